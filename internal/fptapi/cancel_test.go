package fptapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// cancelAfter serves an emulator with latency and cancels the returned
// context when the nth request to endpoint arrives, that is in the middle of
// a read of many pages. It returns the client, the record of the cancel
// (its time, zero until then, and the requests that arrived after it) and a
// stop function that closes the server and the
// client's idle connections, so that no goroutine of the test outlives it.
func cancelAfter(t *testing.T, cfg emulator.Config, endpoint string, n int64) (*fptapi.Client, context.Context, *cancelRecord, func()) {
	t.Helper()
	cfg.Token = testToken
	cfg.Latency = 20 * time.Millisecond
	cfg.Now = pinnedNow
	emu := emulator.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	var seen atomic.Int64
	rec := &cancelRecord{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec.at.Load() != 0 {
			rec.after.Add(1)
		}
		if r.URL.Path == "/api"+endpoint && seen.Add(1) == n {
			rec.at.Store(time.Now().UnixNano()) // elapsed time, not a date
			cancel()
		}
		emu.ServeHTTP(w, r)
	}))
	transport := fptapi.NewHTTPClient()
	c, err := fptapi.New(fptapi.Config{
		BaseURL: ts.URL + "/api", Token: testToken, MaxRetries: 3, MaxConcurrency: cancelConcurrency,
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, HTTPClient: transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := func() {
		cancel()
		ts.Close()
		transport.CloseIdleConnections()
	}
	return c, ctx, rec, stop
}

// cancelRecord is when cancelAfter cancelled the context and how many
// requests arrived after that.
type cancelRecord struct {
	at    atomic.Int64 // UnixNano
	after atomic.Int64
}

// cancelConcurrency is the client's MaxConcurrency in cancelAfter: at most
// that many requests can be on their way when the context is cancelled.
const cancelConcurrency = 4

// checkPrompt asserts that err is the context's cancellation and that the
// call stopped at it: no request started after it but those already on
// their way (at most one per concurrent reader), where the rest of the read
// is many more pages. It counts requests rather than time, so a busy
// machine cannot fail it; the time bound only catches a read that hangs.
func checkPrompt(t *testing.T, err error, rec *cancelRecord, returned time.Time) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	at := rec.at.Load()
	if at == 0 {
		t.Fatal("the read ended before the request that cancels it was made")
	}
	if after := rec.after.Load(); after > cancelConcurrency {
		t.Errorf("%d requests arrived after the context was cancelled, want at most the %d already on their way", after, cancelConcurrency)
	}
	if lag := returned.Sub(time.Unix(0, at)); lag > 10*time.Second {
		t.Errorf("the read returned %s after its context was cancelled", lag)
	}
}

// TestBillsCancelledMidPagination cancels a read of 120 pages when the 6th
// page is requested: Bills must return context.Canceled at once, hand no
// page to yield, and leave no goroutine behind.
func TestBillsCancelledMidPagination(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// 30 days of 40 lines at 10 lines a page: 120 pages, at least 600ms of latency at 4 at once.
	c, ctx, rec, stop := cancelAfter(t, emulator.Config{LinesPerDay: 40}, fptapi.BillsEndpoint, 6)
	defer stop()
	var yielded int
	err := c.Bills(ctx, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-30", PageSize: 10}, func(fptapi.BillPage) error {
		yielded++
		return nil
	})
	checkPrompt(t, err, rec, time.Now()) // elapsed time, not a date
	if yielded != 0 {
		t.Errorf("yield saw %d pages of a read that was cancelled before it was complete", yielded)
	}
}

// TestBillsByDateCancelledMidRead does the same on the per-day fallback.
func TestBillsByDateCancelledMidRead(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// The 405 of the paging endpoint is the first request; the 7th is day 6 or so of 60.
	c, ctx, rec, stop := cancelAfter(t, emulator.Config{LinesPerDay: 4, DeprecatedOnly: true}, fptapi.BillsEndpoint, 7)
	defer stop()
	err := c.Bills(ctx, fptapi.BillQuery{From: "2024-08-01", To: "2024-09-29"}, func(fptapi.BillPage) error { return nil })
	checkPrompt(t, err, rec, time.Now()) // elapsed time, not a date
}

// TestResourceStatementsCancelledMidPagination cancels a walk of 30 pages
// when the 5th page is requested.
func TestResourceStatementsCancelledMidPagination(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	c, ctx, rec, stop := cancelAfter(t, emulator.Config{Statements: 300}, fptapi.StatementsEndpoint, 5)
	defer stop()
	list, err := c.ResourceStatements(ctx, fptapi.StatementsQuery{PageSize: 10})
	checkPrompt(t, err, rec, time.Now()) // elapsed time, not a date
	if list != nil {
		t.Errorf("a cancelled walk returned %d statements", len(list.Statements))
	}
}

// TestCancelledReadIsNotCached checks that a read cut short by its context
// leaves nothing behind in the client's cache, and that a caller with a live
// context that joins the cancelled read while it is still winding down is not
// handed the other caller's cancellation: it gets every page.
func TestCancelledReadIsNotCached(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	c, ctx, rec, stop := cancelAfter(t, emulator.Config{Statements: 120}, fptapi.StatementsEndpoint, 3)
	defer stop()
	q := fptapi.StatementsQuery{PageSize: 10}
	_, err := c.ResourceStatements(ctx, q)
	checkPrompt(t, err, rec, time.Now()) // elapsed time, not a date
	list, err := c.ResourceStatements(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Statements) != 120 {
		t.Errorf("the read after a cancelled one got %d statements, want 120", len(list.Statements))
	}
}
