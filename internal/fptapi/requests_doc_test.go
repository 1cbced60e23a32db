package fptapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// docRequest is one request the provider's documentation shows.
type docRequest struct {
	method, path string
	query        url.Values
	headers      http.Header
	body         string
}

// documentedRequests reads the ```http blocks of the section "What the
// provider asks the API" of the provider page's template: the headers
// every request carries (a block without a request line), and one
// request per endpoint.
func documentedRequests(t *testing.T) (http.Header, []docRequest) {
	t.Helper()
	raw, err := os.ReadFile("../../templates/index.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## What the provider asks the API\n")
	if !ok {
		t.Fatal(`templates/index.md.tmpl has no section "## What the provider asks the API"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	common := http.Header{}
	var requests []docRequest
	for _, block := range strings.Split(section, "```http\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		head, body, _ := strings.Cut(block, "\n\n")
		lines := strings.Split(strings.TrimSpace(head), "\n")
		req := docRequest{headers: http.Header{}, body: strings.TrimSpace(body)}
		if method, target, ok := strings.Cut(lines[0], " "); ok && strings.ToUpper(method) == method && strings.HasPrefix(target, "/") {
			u, err := url.Parse(target)
			if err != nil {
				t.Fatalf("%s: %v", lines[0], err)
			}
			req.method, req.path, req.query = method, u.Path, u.Query()
			lines = lines[1:]
		}
		for _, line := range lines {
			name, value, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("%q is neither a request line nor a header", line)
			}
			req.headers.Set(name, value)
		}
		if req.method == "" {
			for name := range req.headers {
				common.Set(name, req.headers.Get(name))
			}
			continue
		}
		requests = append(requests, req)
	}
	return common, requests
}

// recorded is a request as the test server saw it.
type recorded struct {
	method, path string
	query        url.Values
	headers      http.Header
	body         []byte
}

// TestDocumentedRequests: each request the documentation shows is the
// request the client sends for the query it describes, to the endpoint
// constants' paths, with the documented headers; and every endpoint is
// documented.
func TestDocumentedRequests(t *testing.T) {
	common, documented := documentedRequests(t)
	if len(common) == 0 {
		t.Fatal("the section shows no headers")
	}
	calls := map[string]func(context.Context, *fptapi.Client) error{
		"GET " + fptapi.BillInfoEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			_, err := c.BillInfo(ctx)
			return err
		},
		"GET " + fptapi.ServiceTypesEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			_, err := c.ServiceTypes(ctx)
			return err
		},
		"POST " + fptapi.BillsEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-30", Service: "Instance", VPCName: "prod-vpc"}
			return c.Bills(ctx, q, func(fptapi.BillPage) error { return nil })
		},
		"GET " + fptapi.BillsEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-01"}
			return c.Bills(ctx, q, func(fptapi.BillPage) error { return nil })
		},
		"GET " + fptapi.StatementsEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			// resource_type = "vm", started_after = "2024-09-01" at +07:00, as the provider maps them.
			_, err := c.ResourceStatements(ctx, fptapi.StatementsQuery{
				Filters: []fptapi.Filter{
					{Key: fptapi.FieldResourceType, Op: fptapi.OpEq, Value: "vm"},
					{Key: fptapi.FieldStartedTime, Op: fptapi.OpGte, Value: "1725123600"},
				},
				SortField: fptapi.FieldStartedTime, SortOrder: "desc",
			})
			return err
		},
	}
	modes := map[string]fptapi.BillMode{"POST " + fptapi.BillsEndpoint: fptapi.ModePaging, "GET " + fptapi.BillsEndpoint: fptapi.ModeByDate}

	seen := map[string]bool{}
	for _, doc := range documented {
		endpoint, ok := strings.CutPrefix(doc.path, "/api")
		key := doc.method + " " + endpoint
		call := calls[key]
		if !ok || call == nil {
			t.Errorf("the documentation shows %s %s, which is no endpoint of the client under /api", doc.method, doc.path)
			continue
		}
		seen[key] = true
		t.Run(key, func(t *testing.T) {
			var mu sync.Mutex
			var got []recorded
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				got = append(got, recorded{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), body})
				mu.Unlock()
				answer := `{"status":0,"message":"","data":[]}`
				switch {
				case r.Method == http.MethodPost:
					answer = `{"status":0,"message":"","total":0,"page":1,"page_size":1000,"data":[]}`
				case r.URL.Query().Has("search_date"):
					answer = `{"status":0,"message":"","date":"` + r.URL.Query().Get("search_date") + `","data":[]}`
				case strings.HasSuffix(r.URL.Path, fptapi.StatementsEndpoint):
					answer = `{"status":true,"message":"","total":0,"data":[]}`
				}
				_, _ = w.Write([]byte(answer))
			}))
			defer ts.Close()
			c, err := fptapi.New(fptapi.Config{BaseURL: ts.URL + "/api", Token: testToken, RefreshToken: "refresh-SECRET",
				UserAgent: "terraform-provider-fptcloud/test (+https://registry.terraform.io/providers/fptcloud-billing/fptcloud) Terraform/1.11.0",
				BillMode:  modes[key]})
			if err != nil {
				t.Fatal(err)
			}
			if err := call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("the call made %d requests, want the 1 documented", len(got))
			}
			r := got[0]
			if r.method != doc.method || r.path != doc.path {
				t.Errorf("the client sent %s %s, the documentation shows %s %s", r.method, r.path, doc.method, doc.path)
			}
			if !reflect.DeepEqual(r.query, doc.query) && (len(r.query) > 0 || len(doc.query) > 0) {
				t.Errorf("the client sent the query %v, the documentation shows %v", r.query, doc.query)
			}
			if (len(r.body) == 0) != (doc.body == "") {
				t.Errorf("the client sent the body %q, the documentation shows %q", r.body, doc.body)
			} else if doc.body != "" && !jsonEqual(t, r.body, []byte(doc.body)) {
				t.Errorf("the client sent the body %s, the documentation shows %s", r.body, doc.body)
			}
			headers := common.Clone()
			for name, values := range doc.headers {
				headers[name] = values
			}
			for name := range headers {
				want := headers.Get(name)
				have := r.headers.Get(name)
				switch {
				case have == "":
					t.Errorf("the documentation shows the header %s, which the client did not send", name)
				case !strings.Contains(want, "<") && have != want:
					t.Errorf("the client sent %s: %s, the documentation shows %s", name, have, want)
				case strings.Contains(want, "<") && !matchesPlaceholders(want, have):
					t.Errorf("the client sent %s: %s, which does not have the documented shape %s", name, have, want)
				}
			}
		})
	}
	for key := range calls {
		if !seen[key] {
			t.Errorf("the documentation shows no request of %s", key)
		}
	}
}

// matchesPlaceholders reports whether have is want with each "<...>"
// replaced by some text.
func matchesPlaceholders(want, have string) bool {
	rest := have
	for want != "" {
		literal, after, found := strings.Cut(want, "<")
		if !strings.HasPrefix(rest, literal) {
			return false
		}
		rest = rest[len(literal):]
		if !found {
			return rest == ""
		}
		_, want, _ = strings.Cut(after, ">")
		next, _, _ := strings.Cut(want, "<")
		if next == "" {
			return true
		}
		i := strings.Index(rest, next)
		if i < 0 {
			return false
		}
		rest = rest[i:]
	}
	return rest == ""
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	for _, in := range []struct {
		raw []byte
		out *any
	}{{a, &x}, {b, &y}} {
		d := json.NewDecoder(bytes.NewReader(in.raw))
		d.UseNumber()
		if err := d.Decode(in.out); err != nil {
			t.Fatalf("%s: %v", in.raw, err)
		}
	}
	return reflect.DeepEqual(x, y)
}
