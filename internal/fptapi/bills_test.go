package fptapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

const testToken = "bills-test-token"

func newClient(t testing.TB, url string, concurrency int) *fptapi.Client {
	t.Helper()
	c, err := fptapi.New(fptapi.Config{
		BaseURL: url, Token: testToken, MaxRetries: 3, MaxConcurrency: concurrency,
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, RestartBackoff: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pinnedNow is the emulators' clock in these tests: every day they read
// (September 2024) is over, on any day the tests run.
func pinnedNow() time.Time { return time.Date(2024, 10, 1, 12, 0, 0, 0, emulator.APITimeZone) }

// startEmulator serves an emulator and returns it with a client of it.
func startEmulator(t testing.TB, cfg emulator.Config, concurrency int) (*emulator.Server, *fptapi.Client) {
	t.Helper()
	cfg.Token = testToken
	cfg.Now = pinnedNow
	srv := emulator.New(cfg)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, newClient(t, ts.URL+"/api", concurrency)
}

// readAll collects every line of q and the pages' numbers.
func readAll(t testing.TB, c *fptapi.Client, q fptapi.BillQuery) ([]fptapi.BillLine, []fptapi.BillPage, error) {
	t.Helper()
	var lines []fptapi.BillLine
	var pages []fptapi.BillPage
	err := c.Bills(context.Background(), q, func(p fptapi.BillPage) error {
		lines = append(lines, p.Lines...)
		p.Lines = nil
		pages = append(pages, p)
		return nil
	})
	return lines, pages, err
}

func filterLines(lines []fptapi.BillLine, service, vpc string) []fptapi.BillLine {
	var kept []fptapi.BillLine
	for _, l := range lines {
		if (service == "" || l.Service == service) && (vpc == "" || (l.VPCName != nil && *l.VPCName == vpc)) {
			kept = append(kept, l)
		}
	}
	return kept
}

// TestBillsBothEndpointsAgree reads the same range through the paging
// endpoint and through the per-day fallback and expects the emulator's lines
// in both cases, filtered or not.
func TestBillsBothEndpointsAgree(t *testing.T) {
	paging, pagingClient := startEmulator(t, emulator.Config{LinesPerDay: 37}, 4)
	_, byDateClient := startEmulator(t, emulator.Config{LinesPerDay: 37, DeprecatedOnly: true}, 4)
	all := paging.Data.BillLines("2024-08-28", "2024-09-06")
	if len(all) != 370 {
		t.Fatalf("the emulator served %d lines for 10 days, want 370", len(all))
	}
	for _, tc := range []struct{ service, vpc string }{{"", ""}, {"Instance", ""}, {"", "prod-vpc"}, {"Storage", "vpc-dữ-liệu"}} {
		t.Run(fmt.Sprintf("service=%q,vpc=%q", tc.service, tc.vpc), func(t *testing.T) {
			q := fptapi.BillQuery{From: "2024-08-28", To: "2024-09-06", Service: tc.service, VPCName: tc.vpc, PageSize: 50}
			want := filterLines(all, tc.service, tc.vpc)
			gotPaging, pagingPages, err := readAll(t, pagingClient, q)
			if err != nil {
				t.Fatal(err)
			}
			gotByDate, byDatePages, err := readAll(t, byDateClient, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotPaging, want) {
				t.Errorf("paging: %d lines differ from the emulator's %d", len(gotPaging), len(want))
			}
			if !reflect.DeepEqual(gotByDate, gotPaging) {
				t.Errorf("per-day fallback: %d lines differ from paging's %d", len(gotByDate), len(gotPaging))
			}
			if pagingPages[0].Mode != fptapi.ModePaging || byDatePages[0].Mode != fptapi.ModeByDate {
				t.Errorf("modes: %s and %s", pagingPages[0].Mode, byDatePages[0].Mode)
			}
			if len(byDatePages) != 10 {
				t.Errorf("the fallback yielded %d days, want 10", len(byDatePages))
			}
			for i, p := range append(pagingPages, byDatePages...) {
				_ = i
				if p.Number < 1 || p.Number > p.Of {
					t.Errorf("page %d of %d", p.Number, p.Of)
				}
			}
		})
	}
}

// TestBillsFallback checks that 404 and 405 from the paging endpoint lead
// to one GET per day, and that the client remembers it.
func TestBillsFallback(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			data := emulator.Generate(emulator.Config{Seed: 7, LinesPerDay: 5, Now: pinnedNow})
			var posts, gets atomic.Int64
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					posts.Add(1)
					w.WriteHeader(status)
					_, _ = w.Write([]byte(`{"status": 1, "message": "no such route"}`))
					return
				}
				gets.Add(1)
				day := r.URL.Query().Get("search_date")
				writeTestJSON(w, map[string]any{"status": 0, "message": "", "date": day, "data": data.Bills.Day(day)})
			}))
			defer ts.Close()
			c := newClient(t, ts.URL, 3)
			q := fptapi.BillQuery{From: "2024-02-27", To: "2024-03-02"} // across a leap day
			lines, pages, err := readAll(t, c, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(lines, data.BillLines(q.From, q.To)) {
				t.Errorf("got %d lines, want the emulator's %d", len(lines), len(data.BillLines(q.From, q.To)))
			}
			if len(pages) != 5 || pages[1].Day != "2024-02-28" || pages[2].Day != "2024-02-29" {
				t.Errorf("days: %+v", pages)
			}
			// Another range: the paging endpoint is not asked again.
			if _, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-03-03", To: "2024-03-03"}); err != nil {
				t.Fatal(err)
			}
			if posts.Load() != 1 || gets.Load() != 6 {
				t.Errorf("%d POSTs and %d GETs, want 1 and 6", posts.Load(), gets.Load())
			}
		})
	}
}

func writeTestJSON(w http.ResponseWriter, body any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// fakePages serves the paging endpoint from lines with a hook to lie.
type fakePages struct {
	lines    []fptapi.BillLine
	delay    time.Duration
	mutate   func(page int, body map[string]any) // may change the answer
	requests atomic.Int64
	inFlight atomic.Int64
	maxSeen  atomic.Int64
}

func (f *fakePages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	now := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		seen := f.maxSeen.Load()
		if now <= seen || f.maxSeen.CompareAndSwap(seen, now) {
			break
		}
	}
	var req struct {
		Page     int `json:"page"`
		PageSize int `json:"page_size"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	time.Sleep(f.delay)
	lo := min(len(f.lines), (req.Page-1)*req.PageSize)
	hi := min(len(f.lines), lo+req.PageSize)
	body := map[string]any{"status": 0, "message": "", "total": len(f.lines), "page": req.Page, "page_size": req.PageSize,
		"data": f.lines[lo:hi]}
	if f.mutate != nil {
		f.mutate(req.Page, body)
	}
	writeTestJSON(w, body)
}

func generatedLines(n int) []fptapi.BillLine {
	data := emulator.Generate(emulator.Config{Seed: 3, LinesPerDay: n, Now: pinnedNow})
	return data.Bills.Day("2024-09-01")
}

func TestBillsPagesConcurrentlyInOrder(t *testing.T) {
	fake := &fakePages{lines: generatedLines(2000), delay: 20 * time.Millisecond}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	c := newClient(t, ts.URL, 3)
	lines, pages, err := readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-01", PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lines, fake.lines) {
		t.Errorf("got %d lines, want %d in the API's order", len(lines), len(fake.lines))
	}
	for i, p := range pages {
		if p.Number != i+1 || p.Of != 20 {
			t.Errorf("page %d came as %d of %d", i+1, p.Number, p.Of)
		}
	}
	if got := fake.maxSeen.Load(); got > 3 || got < 2 {
		t.Errorf("at most %d requests were in flight, want 2 or 3 (the limit is 3)", got)
	}
	if fake.requests.Load() != 20 {
		t.Errorf("%d requests, want 20", fake.requests.Load())
	}
}

// TestBillsInconsistentPages covers APIs that repeat pages or lie about
// the total: each must end in an error, quickly, never in an endless loop.
// Contradictions that moving data explains are KindChanged, after the read
// was made again up to the bound (restarts); the others are
// KindInconsistent at once. A read too large to share (total_too_large)
// has no Reset to restart with and fails at once.
func TestBillsInconsistentPages(t *testing.T) {
	cases := []struct {
		name     string
		mutate   func(page int, body map[string]any)
		want     string
		kind     fptapi.ErrorKind
		attempts int
	}{
		{"ignores_page", func(page int, body map[string]any) {
			body["page"] = 1
		}, "asked for page 2, the API answered page 1", fptapi.KindInconsistent, 1},
		{"repeats_page", func(page int, body map[string]any) {
			if page == 3 {
				body["data"] = generatedLines(500)[100:200]
				body["page"] = 3
			}
		}, "page 3 repeats the lines of page 2, the same on 2 reads in a row with nothing else changing: the API's pages contradict each other", fptapi.KindInconsistent, 1},
		{"total_too_large", func(page int, body map[string]any) {
			body["total"] = 1_000_000_000_000
		}, "holds 0 lines", fptapi.KindChanged, 1},
		{"total_too_small", func(page int, body map[string]any) {
			body["total"] = 150
		}, "page 2 of 2 holds 100 lines, but a total of 150 at 100 lines a page means 50, the same on 2 reads in a row", fptapi.KindInconsistent, 1},
		{"total_changes", func(page int, body map[string]any) {
			if page == 4 {
				body["total"] = 499
			}
		}, "page 1 said 500 lines in total, page 4 says 499, the same on 2 reads in a row", fptapi.KindInconsistent, 1},
		{"no_total", func(page int, body map[string]any) {
			delete(body, "total")
		}, `page 1 has no "total"`, fptapi.KindInconsistent, 1},
		{"line_outside_range", func(page int, body map[string]any) {
			if page == 2 {
				lines := append([]fptapi.BillLine(nil), generatedLines(500)[100:200]...)
				lines[5].Day = "2024-09-02"
				body["data"] = lines
			}
		}, "holds a line of day 2024-09-02, outside the requested 2024-09-01..2024-09-01", fptapi.KindInconsistent, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakePages{lines: generatedLines(500), mutate: tc.mutate}
			ts := httptest.NewServer(fake)
			defer ts.Close()
			c := newClient(t, ts.URL, 4)
			_, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-01", PageSize: 100})
			if !fptapi.IsKind(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want a %s error that says %q", err, tc.kind, tc.want)
			}
			if !strings.Contains(err.Error(), "POST /v1/billing/bills") {
				t.Errorf("the error %q does not name the endpoint", err)
			}
			made := fmt.Sprintf("the whole read was made %d times", tc.attempts)
			if got := strings.Contains(err.Error(), made); got != (tc.attempts > 1) {
				t.Errorf("the error %q says how often the read was made: %v, want %v (%q)", err, got, tc.attempts > 1, made)
			}
			// The requests bound the work of giving up; its time is the
			// machine's, so none is asserted.
			if fake.requests.Load() > int64(20*tc.attempts) {
				t.Errorf("%d requests before giving up", fake.requests.Load())
			}
		})
	}
}

// TestBillsSharedAndCached checks that identical reads, concurrent or not,
// cost one set of requests while small, and that large reads are not kept.
func TestBillsSharedAndCached(t *testing.T) {
	srv, c := startEmulator(t, emulator.Config{LinesPerDay: 300, Latency: 20 * time.Millisecond}, 4)
	q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-05", PageSize: 200} // 1500 lines, 8 pages
	want := srv.Data.BillLines(q.From, q.To)
	var wg sync.WaitGroup
	results := make([][]fptapi.BillLine, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines, _, err := readAll(t, c, q)
			if err != nil {
				t.Error(err)
			}
			results[i] = lines
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("reader %d got %d lines, want %d", i, len(got), len(want))
		}
	}
	if got := srv.Requests(fptapi.BillsEndpoint); got != 8 {
		t.Errorf("three concurrent identical reads made %d requests, want 8 (one set)", got)
	}
	_, pages, err := readAll(t, c, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests(fptapi.BillsEndpoint); got != 8 || !pages[0].FromCache {
		t.Errorf("a later identical read made %d requests in all (want 8) and FromCache=%v", got, pages[0].FromCache)
	}

	// 11 days of 1000 lines pass the sharing limit: each read streams.
	big := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-11"}
	srv2, c2 := startEmulator(t, emulator.Config{LinesPerDay: 1000}, 4)
	for range 2 {
		lines, pages, err := readAll(t, c2, big)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 11000 || len(pages) != 11 {
			t.Fatalf("%d lines in %d pages, want 11000 in 11", len(lines), len(pages))
		}
	}
	if got := srv2.Requests(fptapi.BillsEndpoint); got != 22 {
		t.Errorf("two large reads made %d requests, want 22 (not cached, page 1 not fetched twice)", got)
	}
}

// TestBillsRetriedPageYieldsOnce injects truncated bodies and resets:
// every retried page must still be handed on exactly once.
func TestBillsRetriedPageYieldsOnce(t *testing.T) {
	for _, deprecated := range []bool{false, true} {
		t.Run(fmt.Sprint("deprecated=", deprecated), func(t *testing.T) {
			srv, c := startEmulator(t, emulator.Config{LinesPerDay: 120, DeprecatedOnly: deprecated}, 3)
			if deprecated { // learn the mode first, so that the faults hit the GETs
				if _, _, err := readAll(t, c, fptapi.BillQuery{From: "2024-01-01", To: "2024-01-01"}); err != nil {
					t.Fatal(err)
				}
			}
			srv.InjectFaults(fptapi.BillsEndpoint, emulator.FaultTrunc, emulator.Fault503, emulator.FaultReset)
			q := fptapi.BillQuery{From: "2024-09-01", To: "2024-09-03", PageSize: 50}
			lines, _, err := readAll(t, c, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(lines, srv.Data.BillLines(q.From, q.To)) {
				t.Errorf("got %d lines, want %d, each once", len(lines), 360)
			}
		})
	}
}

func TestBillsYieldErrorStops(t *testing.T) {
	// 12000 lines are more than a shared read holds, so they stream.
	fake := &fakePages{lines: generatedLines(12000), delay: 5 * time.Millisecond}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	c := newClient(t, ts.URL, 2)
	stop := errors.New("enough")
	seen := 0
	err := c.Bills(context.Background(), fptapi.BillQuery{From: "2024-09-01", To: "2024-09-01", PageSize: 500},
		func(p fptapi.BillPage) error {
			seen++
			if p.Number == 6 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || seen != 6 {
		t.Fatalf("err %v after %d pages, want the handler's error after 6", err, seen)
	}
	if got := fake.requests.Load(); got > 9 {
		t.Errorf("%d requests after stopping at page 6 of 24 with 2 at once", got)
	}
}

// TestBillLineNullsAndNumbers decodes lines whose optional fields are null,
// absent or zero, and numbers float64 cannot hold.
func TestBillLineNullsAndNumbers(t *testing.T) {
	body := `{"status": 0, "message": "", "date": "2024-09-04", "data": [
	  {"org_name": null, "tenant_name": "t", "day": "2024-09-04", "start_time": "2024-09-04 10:00:00",
	   "service": "Instance", "name": "máy-chủ", "disk": 0, "vcpu": null, "ram": 1e2,
	   "total_price": 1000000000000000.01, "tag": "", "unknown_field": {"x": [1, 2]}}
	]}`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	defer ts.Close()
	lines, _, err := readAll(t, newClient(t, ts.URL, 1), fptapi.BillQuery{From: "2024-09-04", To: "2024-09-04"})
	if err != nil {
		t.Fatal(err)
	}
	l := lines[0]
	switch {
	case l.OrgName != nil || l.VPCName != nil || l.VCPU != nil || l.RunningTime != nil:
		t.Error("null or absent fields are not nil")
	case l.Disk == nil || *l.Disk != "0" || l.RAM == nil || *l.RAM != "1e2":
		t.Errorf("numbers lost their text: disk %v ram %v", l.Disk, l.RAM)
	case l.TotalPrice != "1000000000000000.01":
		t.Errorf("total_price %s", l.TotalPrice)
	case l.Tag == nil || *l.Tag != "" || l.Name != "máy-chủ":
		t.Errorf("strings: tag %v name %q", l.Tag, l.Name)
	}
}

// TestBillLineRequiredFields: a line without a required field, or with a
// value of the wrong kind, fails the read at once (no retry) with a
// KindBadValue error that names the line, the page, the field and the value.
func TestBillLineRequiredFields(t *testing.T) {
	const where = `bill line 1 of page 1 (day 2024-09-04, service "s", name "n"): `
	for want, line := range map[string]string{
		where + `"total_price" is missing`:                                `{"day": "2024-09-04", "start_time": "x", "service": "s", "name": "n"}`,
		`bill line 1 of page 1 (service "s", name "n"): "day" is missing`: `{"day": null, "start_time": "x", "service": "s", "name": "n", "total_price": 1}`,
		`bill line 1 of page 1 (day 04/09/2024, service "s", name "n"): "day" is "04/09/2024", which is not a date (YYYY-MM-DD)`: `{"day": "04/09/2024", "start_time": "x", "service": "s", "name": "n", "total_price": 1}`,
		`bill line 1 of page 1 (day 2024-09-04, service "s"): "name" is missing`:                                                 `{"day": "2024-09-04", "start_time": "x", "service": "s", "total_price": 1}`,
		where + `"disk" is {"a": 1}, which is not a number`:                                                                      `{"day": "2024-09-04", "start_time": "x", "service": "s", "name": "n", "total_price": 1, "disk": {"a": 1}}`,
		where + `"vcpu" is "many", which is not a number`:                                                                        `{"day": "2024-09-04", "start_time": "x", "service": "s", "name": "n", "total_price": 1, "vcpu": "many"}`,
	} {
		var requests atomic.Int64
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			_, _ = fmt.Fprintf(w, `{"status": 0, "total": 1, "page": 1, "page_size": 1000, "data": [%s]}`, line)
		}))
		_, _, err := readAll(t, newClient(t, ts.URL, 1), fptapi.BillQuery{From: "2024-09-04", To: "2024-09-04"})
		ts.Close()
		if !fptapi.IsKind(err, fptapi.KindBadValue) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want a bad value that says %s", line, err, want)
		}
		if requests.Load() != 1 {
			t.Errorf("%s: %d requests, want 1: a bad value is not transient", line, requests.Load())
		}
	}
}

func TestBillsByDateMismatch(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		_, _ = w.Write([]byte(`{"status": 0, "date": "2024-09-04", "data": [{"day": "2024-09-03", "start_time": "x", "service": "s", "name": "n", "total_price": 1}]}`))
	}))
	defer ts.Close()
	_, _, err := readAll(t, newClient(t, ts.URL, 1), fptapi.BillQuery{From: "2024-09-04", To: "2024-09-04"})
	if !fptapi.IsKind(err, fptapi.KindInconsistent) || !strings.Contains(err.Error(), "search_date=2024-09-04 returned a line of day 2024-09-03") {
		t.Fatalf("error %v", err)
	}
}

func TestBillQueryValidation(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1", 1)
	for _, q := range []fptapi.BillQuery{
		{From: "2024-9-1", To: "2024-09-02"},
		{From: "2024-09-03", To: "2024-09-02"},
		{From: "2024-09-01", To: "2024-09-02", PageSize: 1001},
	} {
		if err := c.Bills(context.Background(), q, func(fptapi.BillPage) error { return nil }); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
}
