package fptapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// TestWrongBasePathHint: a base URL without /api reaches a server that
// serves nothing there; every endpoint's error then says to check
// api_endpoint and that it should end in /api, whichever bill endpoint
// is used.
func TestWrongBasePathHint(t *testing.T) {
	ts := httptest.NewServer(emulator.New(emulator.Config{Token: testToken, Now: pinnedNow}))
	t.Cleanup(ts.Close)
	calls := map[string]func(c *fptapi.Client) error{
		"bill_info": func(c *fptapi.Client) error { _, err := c.BillInfo(context.Background()); return err },
		"service_types": func(c *fptapi.Client) error {
			_, err := c.ServiceTypes(context.Background())
			return err
		},
		"statements": func(c *fptapi.Client) error {
			_, err := c.ResourceStatements(context.Background(), fptapi.StatementsQuery{})
			return err
		},
	}
	for _, mode := range fptapi.BillModes {
		calls["bills_"+string(mode)] = func(*fptapi.Client) error {
			c, err := fptapi.New(fptapi.Config{BaseURL: ts.URL, Token: testToken, BillMode: mode})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-03"})
			return err
		}
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call(newClient(t, ts.URL, 2))
			var apiErr *fptapi.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusNotFound {
				t.Fatalf("err = %v, want an HTTP 404", err)
			}
			hint := apiErr.Hint()
			wants := []string{"api_endpoint", "FPTCLOUD_API_URL", "should end in /api", fptapi.DefaultBaseURL, apiErr.Endpoint}
			if apiErr.Method == http.MethodPost {
				// Forced to the paging endpoint: the other remedy is the per-day one.
				wants = append(wants, `bills_endpoint = "by_date"`)
			}
			for _, want := range wants {
				if !strings.Contains(hint, want) {
					t.Errorf("the hint does not say %q: %s", want, hint)
				}
			}
		})
	}
}

// TestNotFoundWithAPIMessageKeepsItsHint: a 404 in the API's own JSON
// envelope comes from the API itself, so the base path is right and the
// hint does not blame it.
func TestNotFoundWithAPIMessageKeepsItsHint(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"status":404,"message":"tenant not found"}`))
	}))
	t.Cleanup(ts.Close)
	_, err := newClient(t, ts.URL+"/api", 1).BillInfo(context.Background())
	var apiErr *fptapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "tenant not found" {
		t.Fatalf("err = %v, want the API's 404 with its message", err)
	}
	if strings.Contains(apiErr.Hint(), "should end in /api") {
		t.Errorf("the hint blames the base path of an API that answered: %s", apiErr.Hint())
	}
}
