package fptapi_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

const fallbackWarning = "reading one day at a time"

// TestBillModeAutoFallsBackWhenPagingIsRefused: 404 and 405 (no paging
// endpoint), 400 and 422 (a paging body other than the inferred one) send
// the read to the per-day endpoint, with a WARN that quotes the API, and
// later reads go there at once.
func TestBillModeAutoFallsBackWhenPagingIsRefused(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, c, logs := movingEmulator(t, emulator.Config{LinesPerDay: 7, PagingStatus: status}, fptapi.Config{})
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-05"}
			lines, pages, err := readAll(t, c, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(lines, srv.Data.BillLines(q.From, q.To)) || pages[0].Mode != fptapi.ModeByDate {
				t.Fatalf("got %d lines by %s, want the emulator's %d by date", len(lines), pages[0].Mode, len(srv.Data.BillLines(q.From, q.To)))
			}
			if logs.count(fallbackWarning) != 1 {
				t.Errorf("%d fallback warnings, want 1: %v", logs.count(fallbackWarning), logs.lines)
			}
			// The WARN quotes the API's own message.
			var quoted string
			for _, want := range []string{"from_date", "page_size", "Not found", "Method not allowed"} {
				if logs.count(want) == 1 {
					quoted = want
				}
			}
			if quoted == "" || logs.count(fmt.Sprintf("http_status:%d", status)) != 1 {
				t.Errorf("the fallback warning does not quote the API's message and status: %v", logs.lines)
			}
			if (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity) && logs.count("refused the request body") != 1 {
				t.Errorf("the warning for %d does not say the body was refused: %v", status, logs.lines)
			}
			// A second read does not ask the paging endpoint again.
			if _, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-08-01", To: "2024-08-02"}); err != nil {
				t.Fatal(err)
			}
			if got := srv.RequestsOf(http.MethodPost, fptapi.BillsEndpoint); got != 1 {
				t.Errorf("%d POST requests, want 1", got)
			}
			if got := srv.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); got != 7 {
				t.Errorf("%d GET requests, want 7 (5 days, then 2)", got)
			}
		})
	}
}

// TestBillModeAutoNeverFallsBackOnOtherFailures: 401, 403, 429 and 5xx are
// not about the endpoint's shape; they are reported, never a reason to
// read day by day.
func TestBillModeAutoNeverFallsBackOnOtherFailures(t *testing.T) {
	for _, tc := range []struct {
		status int
		kind   fptapi.ErrorKind
	}{
		{http.StatusUnauthorized, fptapi.KindUnauthorized},
		{http.StatusForbidden, fptapi.KindForbidden},
		{http.StatusTooManyRequests, fptapi.KindRateLimited},
		{http.StatusInternalServerError, fptapi.KindServer},
		{http.StatusServiceUnavailable, fptapi.KindServer},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			srv, c, logs := movingEmulator(t, emulator.Config{LinesPerDay: 7, PagingStatus: tc.status}, fptapi.Config{MaxRetries: 1})
			_, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-05"})
			if !fptapi.IsKind(err, tc.kind) || !strings.Contains(err.Error(), fmt.Sprintf("POST %s: HTTP %d", fptapi.BillsEndpoint, tc.status)) {
				t.Fatalf("err = %v, want a %s error of the paging endpoint", err, tc.kind)
			}
			if got := srv.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); got != 0 {
				t.Errorf("%d per-day requests after a %d, want none", got, tc.status)
			}
			if logs.count(fallbackWarning) != 0 {
				t.Errorf("a fallback was logged: %v", logs.lines)
			}
		})
	}
}

// TestBillModePagingNeverFallsBack: with ModePaging a refused paging
// request is an error whose hint names the way around it.
func TestBillModePagingNeverFallsBack(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, c, _ := movingEmulator(t, emulator.Config{LinesPerDay: 7, PagingStatus: status}, fptapi.Config{BillMode: fptapi.ModePaging})
			_, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-05"})
			apiErr, ok := err.(*fptapi.APIError)
			if !ok || apiErr.HTTPStatus != status {
				t.Fatalf("err = %v, want the paging endpoint's %d", err, status)
			}
			if !strings.Contains(apiErr.Hint(), `bills_endpoint = "by_date"`) || !strings.Contains(apiErr.Hint(), "FPTCLOUD_BILLS_ENDPOINT") {
				t.Errorf("the hint %q does not name the way around the paging endpoint", apiErr.Hint())
			}
			if got := srv.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); got != 0 {
				t.Errorf("%d per-day requests, want none in paging mode", got)
			}
		})
	}
	// And where paging works, it pages.
	srv, c, _ := movingEmulator(t, emulator.Config{LinesPerDay: 7}, fptapi.Config{BillMode: fptapi.ModePaging})
	lines, pages, err := readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-05", PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lines, srv.Data.BillLines("2024-09-01", "2024-09-05")) || pages[0].Mode != fptapi.ModePaging || len(pages) != 4 {
		t.Errorf("got %d lines in %d pages by %s, want the emulator's 35 in 4 pages", len(lines), len(pages), pages[0].Mode)
	}
}

// TestBillModeByDateNeverCallsPaging: ModeByDate reads day by day from the
// first request on, with the same lines as paging.
func TestBillModeByDateNeverCallsPaging(t *testing.T) {
	srv, c, logs := movingEmulator(t, emulator.Config{LinesPerDay: 7}, fptapi.Config{BillMode: fptapi.ModeByDate})
	q := fptapi.BillQuery{From: "2024-08-30", To: "2024-09-02", Service: "Instance"}
	lines, pages, err := readAll(t, c, q)
	if err != nil {
		t.Fatal(err)
	}
	if want := filterLines(srv.Data.BillLines(q.From, q.To), "Instance", ""); !reflect.DeepEqual(lines, want) {
		t.Errorf("got %d lines, want the emulator's %d", len(lines), len(want))
	}
	if len(pages) != 4 || pages[0].Mode != fptapi.ModeByDate {
		t.Errorf("%d units by %s, want 4 days", len(pages), pages[0].Mode)
	}
	if got := srv.RequestsOf(http.MethodPost, fptapi.BillsEndpoint); got != 0 {
		t.Errorf("%d POST requests in by_date mode, want none", got)
	}
	if got := srv.RequestsOf(http.MethodGet, fptapi.BillsEndpoint); got != 4 {
		t.Errorf("%d GET requests, want 4", got)
	}
	if logs.count(fallbackWarning) != 0 {
		t.Errorf("by_date is chosen, not a fallback, yet one was logged: %v", logs.lines)
	}
}

// TestBillModeRefusesUnknownValues: a mode the client does not know is a
// configuration error, not a silent default.
func TestBillModeRefusesUnknownValues(t *testing.T) {
	_, err := fptapi.New(fptapi.Config{Token: "x", BillMode: "pages"})
	if err == nil || !strings.Contains(err.Error(), `"pages"`) || !strings.Contains(err.Error(), `"by_date"`) {
		t.Fatalf("err = %v, want one naming the value and the choices", err)
	}
	for _, mode := range fptapi.BillModes {
		if _, err := fptapi.New(fptapi.Config{Token: "x", BillMode: mode}); err != nil {
			t.Errorf("mode %s: %v", mode, err)
		}
	}
}
