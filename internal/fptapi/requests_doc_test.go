package fptapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
)

// requestsDoc and requestsSection are where the provider's documentation
// shows what it asks the API (rendered to docs/index.md).
const (
	requestsDoc     = "../../templates/index.md.tmpl"
	requestsSection = "## What the provider asks the API"
)

// TestDocumentedRequests: each request the documentation shows is the
// request the client sends for the query it describes, to the endpoint
// constants' paths, with the documented headers; and every endpoint is
// documented. (The provider's tests check that the data sources' settings
// the documentation names make these queries.)
func TestDocumentedRequests(t *testing.T) {
	common, documented := testsupport.DocumentedRequests(t, requestsDoc, requestsSection)
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
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-15", Service: "Instance", VPCName: "prod-vpc"}
			return c.Bills(ctx, q, func(fptapi.BillPage) error { return nil })
		},
		"GET " + fptapi.BillsEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-01"}
			return c.Bills(ctx, q, func(fptapi.BillPage) error { return nil })
		},
		"GET " + fptapi.StatementsEndpoint: func(ctx context.Context, c *fptapi.Client) error {
			_, err := c.ResourceStatements(ctx, fptapi.StatementsQuery{
				Filters: []fptapi.Filter{
					{Key: fptapi.FieldResourceType, Op: fptapi.OpEq, Value: "vm"},
					{Key: fptapi.FieldStartedTime, Op: fptapi.OpGte, Value: "1725123600"}, // 2024-09-01 at +07:00
				},
				SortField: fptapi.FieldStartedTime, SortOrder: "desc",
			})
			return err
		},
	}
	modes := map[string]fptapi.BillMode{"POST " + fptapi.BillsEndpoint: fptapi.ModePaging, "GET " + fptapi.BillsEndpoint: fptapi.ModeByDate}

	seen := map[string]bool{}
	for _, doc := range documented {
		call := calls[doc.Key()]
		if call == nil || !strings.HasPrefix(doc.Path, "/api/") {
			t.Errorf("the documentation shows %s %s, which is no endpoint of the client under /api", doc.Method, doc.Path)
			continue
		}
		seen[doc.Key()] = true
		t.Run(doc.Key(), func(t *testing.T) {
			rec := &testsupport.Recorder{}
			ts := httptest.NewServer(rec.Wrap(http.HandlerFunc(emptyAnswer)))
			defer ts.Close()
			c, err := fptapi.New(fptapi.Config{BaseURL: ts.URL + "/api", Token: testToken, RefreshToken: "refresh-SECRET",
				UserAgent: "terraform-provider-fptcloud/test (+https://registry.terraform.io/providers/fptcloud-billing/fptcloud) Terraform/1.11.0",
				BillMode:  modes[doc.Key()]})
			if err != nil {
				t.Fatal(err)
			}
			if err := call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			sent := rec.Seen()
			if len(sent) != 1 {
				t.Fatalf("the call made %d requests, want the 1 documented", len(sent))
			}
			if diff := doc.Mismatch(sent[0]); diff != "" {
				t.Error(diff)
			}
			headers := common.Clone()
			for name, values := range doc.Headers {
				headers[name] = values
			}
			for _, diff := range testsupport.HeaderMismatches(headers, sent[0].Headers) {
				t.Error(diff)
			}
		})
	}
	for key := range calls {
		if !seen[key] {
			t.Errorf("the documentation shows no request of %s", key)
		}
	}
}

// emptyAnswer answers every endpoint with a success that holds nothing.
func emptyAnswer(w http.ResponseWriter, r *http.Request) {
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
}
