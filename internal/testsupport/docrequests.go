package testsupport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// DocRequest is one request that documentation shows in an ```http block:
// a request line ("POST /api/v1/billing/bills"), headers, and after a blank
// line the body.
type DocRequest struct {
	Method, Path string
	Query        url.Values
	Headers      http.Header
	Body         string
}

// Key is "METHOD /path", the path relative to the base URL /api.
func (d DocRequest) Key() string { return d.Method + " " + strings.TrimPrefix(d.Path, "/api") }

// DocumentedRequests reads the ```http blocks of the section of file whose
// heading is heading ("## What the provider asks the API"): the headers
// that a block without a request line shows, for every request, and the
// requests.
func DocumentedRequests(t testing.TB, file, heading string) (http.Header, []DocRequest) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", file, heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	common := http.Header{}
	var requests []DocRequest
	for _, block := range strings.Split(section, "```http\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		head, body, _ := strings.Cut(block, "\n\n")
		lines := strings.Split(strings.TrimSpace(head), "\n")
		req := DocRequest{Headers: http.Header{}, Body: strings.TrimSpace(body)}
		if method, target, ok := strings.Cut(lines[0], " "); ok && strings.ToUpper(method) == method && strings.HasPrefix(target, "/") {
			u, err := url.Parse(target)
			if err != nil {
				t.Fatalf("%s: %v", lines[0], err)
			}
			req.Method, req.Path, req.Query = method, u.Path, u.Query()
			lines = lines[1:]
		}
		for _, line := range lines {
			name, value, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("%s: %q is neither a request line nor a header", file, line)
			}
			req.Headers.Set(name, value)
		}
		if req.Method == "" {
			for name := range req.Headers {
				common.Set(name, req.Headers.Get(name))
			}
			continue
		}
		requests = append(requests, req)
	}
	if len(common) == 0 || len(requests) == 0 {
		t.Fatalf("%s, %q: %d common headers and %d requests, want some of each", file, heading, len(common), len(requests))
	}
	return common, requests
}

// SeenRequest is a request as a server received it.
type SeenRequest struct {
	Method, Path string
	Query        url.Values
	Headers      http.Header
	Body         []byte
}

// Recorder keeps every request that reaches Wrap's handler.
type Recorder struct {
	mu   sync.Mutex
	seen []SeenRequest
}

// Wrap records each request, then passes it on to next.
func (r *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		r.mu.Lock()
		r.seen = append(r.seen, SeenRequest{req.Method, req.URL.Path, req.URL.Query(), req.Header.Clone(), body})
		r.mu.Unlock()
		next.ServeHTTP(w, req)
	})
}

// Seen is every request recorded so far, in order.
func (r *Recorder) Seen() []SeenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]SeenRequest(nil), r.seen...)
}

// Mismatch says how seen differs from the documented request in method,
// path, query and body (JSON compared as values, numbers by their text),
// or "" when it does not.
func (d DocRequest) Mismatch(seen SeenRequest) string {
	var diffs []string
	if seen.Method != d.Method || seen.Path != d.Path {
		diffs = append(diffs, fmt.Sprintf("sent %s %s, documented %s %s", seen.Method, seen.Path, d.Method, d.Path))
	}
	if (len(seen.Query) > 0 || len(d.Query) > 0) && !reflect.DeepEqual(seen.Query, d.Query) {
		diffs = append(diffs, fmt.Sprintf("sent the query %v, documented %v", seen.Query, d.Query))
	}
	switch {
	case (len(seen.Body) == 0) != (d.Body == ""):
		diffs = append(diffs, fmt.Sprintf("sent the body %q, documented %q", seen.Body, d.Body))
	case d.Body != "" && !jsonEqual(seen.Body, []byte(d.Body)):
		diffs = append(diffs, fmt.Sprintf("sent the body %s, documented %s", seen.Body, d.Body))
	}
	return strings.Join(diffs, "; ")
}

// HeaderMismatches lists the documented headers (want) that sent lacks or
// holds with another value; a "<...>" in a documented value stands for any
// text.
func HeaderMismatches(want, sent http.Header) []string {
	var out []string
	for name := range want {
		w, have := want.Get(name), sent.Get(name)
		switch {
		case have == "":
			out = append(out, fmt.Sprintf("the header %s is documented but was not sent", name))
		case !matchesPlaceholders(w, have):
			out = append(out, fmt.Sprintf("sent %s: %s, documented %s", name, have, w))
		}
	}
	return out
}

// matchesPlaceholders reports whether have is want with each "<...>"
// replaced by some text.
func matchesPlaceholders(want, have string) bool {
	rest := have
	for {
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
			return want == "" || strings.HasSuffix(rest, want)
		}
		i := strings.Index(rest, next)
		if i < 0 {
			return false
		}
		rest = rest[i:]
	}
}

func jsonEqual(a, b []byte) bool {
	decode := func(raw []byte) (any, bool) {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		return v, d.Decode(&v) == nil
	}
	x, okX := decode(a)
	y, okY := decode(b)
	return okX && okY && reflect.DeepEqual(x, y)
}
