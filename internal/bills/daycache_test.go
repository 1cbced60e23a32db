package bills

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/daycache"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// cacheWarnings records the day cache's warnings.
type cacheWarnings struct {
	mu    sync.Mutex
	lines []string
}

func (w *cacheWarnings) Warn(_ context.Context, msg string, fields map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, fmt.Sprint(msg, fields))
}

func (w *cacheWarnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.lines
	w.lines = nil
	return out
}

// cacheFixture is an emulator, a plain client, and a day cache in front of
// another client of the same API.
type cacheFixture struct {
	env   *testEnv
	plain *fptapi.Client
	cache *DayCache
	dir   string
	warn  *cacheWarnings
}

func newCacheFixture(t *testing.T, cfg emulator.Config, now time.Time) *cacheFixture {
	t.Helper()
	if cfg.Now == nil { // the emulator and the cache share the clock
		cfg.Now = func() time.Time { return now }
	}
	env := newTestEnv(t, cfg)
	f := &cacheFixture{env: env, plain: newTestClient(t, env), dir: t.TempDir(), warn: &cacheWarnings{}}
	f.cache = f.open(t, clock.Fixed(now), daycache.DefaultMaxAge)
	return f
}

func newTestClient(t *testing.T, env *testEnv) *fptapi.Client {
	t.Helper()
	client, err := fptapi.New(fptapi.Config{BaseURL: env.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func (f *cacheFixture) open(t *testing.T, clk clock.Clock, maxAge time.Duration) *DayCache {
	t.Helper()
	store, err := daycache.Open(daycache.Config{Dir: f.dir, Now: clk.Now, MaxAge: maxAge, Logger: f.warn})
	if err != nil {
		t.Fatal(err)
	}
	return &DayCache{Store: store, Endpoint: f.env.URL, Token: testToken, Clock: clk, Location: testPlus7, Log: f.warn}
}

// cached reads q through the day cache, with a new client each time as a
// new plan would have, and returns the result and the requests it made.
func (f *cacheFixture) cached(t *testing.T, q Query) (*Result, int64) {
	t.Helper()
	before := f.env.Emulator.Requests(fptapi.BillsEndpoint)
	result, err := readBills(context.Background(), &CachedSource{Client: newTestClient(t, f.env), Cache: f.cache, Log: nopLogger{}}, q)
	if err != nil {
		t.Fatal(err)
	}
	return result, f.env.Emulator.Requests(fptapi.BillsEndpoint) - before
}

func (f *cacheFixture) uncached(t *testing.T, q Query) *Result {
	t.Helper()
	result, err := readBills(context.Background(), newTestClient(t, f.env), q)
	if err != nil {
		t.Fatal(err)
	}
	return result
}

// sameResult compares everything a read gives but the mode it logs.
func sameResult(t *testing.T, what string, got, want *Result) {
	t.Helper()
	if !reflect.DeepEqual(got.Summary, want.Summary) {
		t.Errorf("%s: the summary differs: %s over %d lines, want %s over %d", what,
			got.Summary.Total, got.Summary.Count, want.Summary.Total, want.Summary.Count)
	}
	if !reflect.DeepEqual(got.Items, want.Items) {
		t.Errorf("%s: the items differ (%d, want %d)", what, len(got.Items), len(want.Items))
	}
}

// TestDayCacheSameAsAPI reads ranges that cross month ends, with filters
// the API applies and filters the provider applies, without the cache, then
// twice with it: every read gives the same summary and the same items in
// the same order, and the second costs only the days that are not closed.
func TestDayCacheSameAsAPI(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 120}, testNow) // today is 2024-09-20 at +07:00
	cases := []struct {
		name      string
		q         Query
		openPages int64 // requests of the second read: the days not closed (2024-09-19 and -20)
	}{
		{name: "closed months", q: Query{From: "2024-01-27", To: "2024-03-03"}},
		{name: "to today", q: Query{From: "2024-07-28", To: "2024-09-20", IncludeItems: true}, openPages: 1},
		{name: "one service, asked of the API", q: Query{From: "2024-06-29", To: "2024-09-20", Services: []string{"Storage"},
			IncludeItems: true, Period: billing.Week}, openPages: 1},
		{name: "one VPC and tags", q: Query{From: "2024-04-28", To: "2024-05-02", VPCNames: []string{"prod-vpc"},
			Tags: []string{"env:prod", billing.NoneKey}, IncludeItems: true}},
		{name: "two services, filtered here", q: Query{From: "2023-12-30", To: "2024-01-02",
			Services: []string{"Instance", "Database"}, Period: billing.Hour, IncludeItems: true}},
		{name: "yesterday and today", q: Query{From: "2024-09-19", To: "2024-09-20", IncludeItems: true}, openPages: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Location, q.MaxItems = testPlus7, defaultBillsMaxItems
			if q.Period == "" {
				q.Period = billing.Day
			}
			want := f.uncached(t, q)
			if want.Summary.Count == 0 {
				t.Fatal("the range has no lines: the test would compare nothing")
			}
			first, firstRequests := f.cached(t, q)
			sameResult(t, "first read with the cache", first, want)
			second, secondRequests := f.cached(t, q)
			sameResult(t, "second read with the cache", second, want)
			if secondRequests != tc.openPages {
				t.Errorf("the second read made %d requests (the first %d), want %d for the days not closed",
					secondRequests, firstRequests, tc.openPages)
			}
		})
	}
	if warned := f.warn.take(); len(warned) != 0 {
		t.Errorf("warnings: %q", warned)
	}
}

// entryFile is where the day cache keeps a day of q.
func (f *cacheFixture) entryFile(q fptapi.BillQuery, day string) string {
	return filepath.Join(f.dir, "days", f.cache.key(q, day).String()+".day")
}

// TestDayCacheHoles reads a range whose cache lacks scattered days and has
// damaged entries: each run of missing days is one narrow read, the
// damaged entries are logged and replaced, and the result is unchanged.
func TestDayCacheHoles(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 50}, testNow)
	q := Query{From: "2024-07-25", To: "2024-08-05", Location: testPlus7, Period: billing.Day, IncludeItems: true, MaxItems: 10_000}
	want := f.uncached(t, q)
	if _, requests := f.cached(t, q); requests != 1 {
		t.Fatalf("a cold read of 12 days of 50 lines made %d requests, want 1 page", requests)
	}
	api := fptapi.BillQuery{}
	for _, day := range []string{"2024-07-25", "2024-07-28", "2024-07-29", "2024-08-05"} {
		if err := os.Remove(f.entryFile(api, day)); err != nil {
			t.Fatal(err)
		}
	}
	damaged := f.entryFile(api, "2024-08-01")
	if err := os.WriteFile(damaged, []byte("not what the cache wrote"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An entry that verifies but whose lines do not decode (or are of
	// another day) is not trusted either.
	if err := f.cache.Store.Put(context.Background(), f.cache.key(api, "2024-08-03"), encodeDayLines(codecLines())); err != nil {
		t.Fatal(err)
	}
	got, requests := f.cached(t, q)
	sameResult(t, "read with holes", got, want)
	// 07-25, 07-28..29, 08-01, 08-03 and 08-05: five runs, one request each.
	if requests != 5 {
		t.Errorf("a read with five runs of missing days made %d requests, want 5", requests)
	}
	warned := f.warn.take()
	if len(warned) != 2 || !strings.Contains(warned[0], damaged) || !strings.Contains(warned[1], "2024-08-03") {
		t.Errorf("warnings %q, want one naming %s and one naming 2024-08-03", warned, damaged)
	}
	if got, requests := f.cached(t, q); requests != 0 {
		t.Errorf("after the holes were filled a read made %d requests", requests)
	} else {
		sameResult(t, "read after the holes were filled", got, want)
	}
}

// TestDayCacheWhatIsKept checks what reaches the disk: only closed days,
// only the days read, separately per API-side filter and per account, and
// nothing of the token.
func TestDayCacheWhatIsKept(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 20}, testNow)
	q := Query{From: "2024-09-15", To: "2024-09-20", Location: testPlus7, Period: billing.Day, MaxItems: 10_000}
	f.cached(t, q)
	all := fptapi.BillQuery{}
	for _, day := range []string{"2024-09-15", "2024-09-16", "2024-09-17", "2024-09-18"} {
		if _, err := os.Stat(f.entryFile(all, day)); err != nil {
			t.Errorf("closed day %s is not cached: %v", day, err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(f.dir, "days"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d entries, want the 4 closed days (not 2024-09-19, yesterday, nor today)", len(entries))
	}
	// The API-side filter makes entries of its own; the provider-side one does not.
	q.Services = []string{"Storage"}
	storage, requests := f.cached(t, q)
	if requests == 0 || storage.Summary.Count == 0 {
		t.Errorf("a read with a service filter asked of the API made %d requests for %d lines", requests, storage.Summary.Count)
	}
	if _, err := os.Stat(f.entryFile(fptapi.BillQuery{Service: "Storage"}, "2024-09-15")); err != nil {
		t.Errorf("the Storage lines are not cached under their filter: %v", err)
	}
	q.Services = []string{"Storage", "Instance"}
	if _, requests := f.cached(t, q); requests != 1 {
		t.Errorf("a read filtered by the provider made %d requests, want 1 (only the open days)", requests)
	}
	// Another account (token) does not see these entries.
	other := *f.cache
	other.Token = "another-account-token"
	if _, ok := other.get(context.Background(), all, "2024-09-15"); ok {
		t.Error("an entry of one token is read with another")
	}
	// Nothing on disk holds the token or the API address.
	err = filepath.WalkDir(f.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, secret := range []string{testToken, f.env.URL} {
			if strings.Contains(p, secret) || strings.Contains(string(data), secret) {
				t.Errorf("%s holds %q", p, secret)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDayCacheMaxAge picks up a vendor's correction of a closed day once
// the cached day is older than the maximum age.
func TestDayCacheMaxAge(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 30}, testNow)
	q := Query{From: "2024-09-01", To: "2024-09-10", Location: testPlus7, Period: billing.Day, MaxItems: 10_000}
	before := f.uncached(t, q)
	f.cached(t, q)
	correction := fptapi.BillLine{Day: "2024-09-05", StartTime: "2024-09-05 12:00:00", Service: "Instance", Name: "web-01", TotalPrice: "-1000"}
	f.env.Emulator.Data.Bills.Extra = append(f.env.Emulator.Data.Bills.Extra, correction)
	after := f.uncached(t, q)
	if after.Summary.Count != before.Summary.Count+1 {
		t.Fatalf("the correction is not served: %d lines, then %d", before.Summary.Count, after.Summary.Count)
	}
	// Within the maximum age the cached (older) day is used.
	f.cache = f.open(t, clock.Fixed(testNow.Add(47*time.Hour)), 48*time.Hour)
	got, requests := f.cached(t, q)
	if requests != 0 {
		t.Errorf("within the maximum age a read made %d requests", requests)
	}
	sameResult(t, "within the maximum age", got, before)
	// After it, every closed day is read again, in one request.
	f.cache = f.open(t, clock.Fixed(testNow.Add(49*time.Hour)), 48*time.Hour)
	got, requests = f.cached(t, q)
	if requests != 1 {
		t.Errorf("past the maximum age a read made %d requests, want 1", requests)
	}
	sameResult(t, "past the maximum age", got, after)
}

// TestDayCacheIncomplete caches nothing of a read that failed: a day is
// only written when the whole run it is in was read.
func TestDayCacheIncomplete(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 600}, testNow)
	q := Query{From: "2024-08-01", To: "2024-08-04", Location: testPlus7, Period: billing.Day, MaxItems: 10_000}
	// Page 1 is served; page 2 fails, and is not retried.
	var calls atomic.Int64
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 2 {
			return nil, errors.New("connection refused")
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	client, err := fptapi.New(fptapi.Config{BaseURL: f.env.URL, Token: testToken, MaxRetries: -1,
		HTTPClient: &http.Client{Transport: transport}, MaxConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readBills(context.Background(), &CachedSource{Client: client, Cache: f.cache, Log: nopLogger{}}, q); err == nil || calls.Load() < 2 {
		t.Fatalf("a read whose second request failed: %v after %d requests", err, calls.Load())
	}
	entries, err := os.ReadDir(filepath.Join(f.dir, "days"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("a failed read left %d cache entries", len(entries))
	}
	// max_items fails the read once every line is counted (to say how many
	// match): the days were read whole, so they may be cached.
	q.IncludeItems, q.MaxItems = true, 700
	_, err = readBills(context.Background(), &CachedSource{Client: newTestClient(t, f.env), Cache: f.cache, Log: nopLogger{}}, q)
	var tooMany *TooManyItemsError
	if !errors.As(err, &tooMany) || tooMany.Count <= 700 {
		t.Fatalf("max_items = 700: got %v, want a TooManyItemsError that counts every line", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDayCacheConcurrentPlans reads overlapping ranges from several
// caches on one directory at once, as plans running side by side would:
// every read gives the uncached result and nothing is reported damaged.
func TestDayCacheConcurrentPlans(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 40}, testNow)
	ranges := [][2]string{{"2024-07-20", "2024-08-10"}, {"2024-07-30", "2024-09-20"}, {"2024-08-01", "2024-08-31"}}
	want := make([]*Result, len(ranges))
	for i, r := range ranges {
		want[i] = f.uncached(t, Query{From: r[0], To: r[1], Location: testPlus7, Period: billing.Day, IncludeItems: true, MaxItems: 10_000})
	}
	var wg sync.WaitGroup
	for plan := range 6 {
		cache := f.open(t, clock.Fixed(testNow), daycache.DefaultMaxAge)
		wg.Go(func() {
			for round := range 3 {
				i := (plan + round) % len(ranges)
				q := Query{From: ranges[i][0], To: ranges[i][1], Location: testPlus7, Period: billing.Day, IncludeItems: true, MaxItems: 10_000}
				client, err := fptapi.New(fptapi.Config{BaseURL: f.env.URL, Token: testToken})
				if err != nil {
					t.Error(err)
					return
				}
				got, err := readBills(context.Background(), &CachedSource{Client: client, Cache: cache, Log: nopLogger{}}, q)
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(got.Summary, want[i].Summary) || !reflect.DeepEqual(got.Items, want[i].Items) {
					t.Errorf("plan %d round %d: %s..%s differs from the read without the cache", plan, round, q.From, q.To)
				}
			}
		})
	}
	wg.Wait()
	if warned := f.warn.take(); len(warned) != 0 {
		t.Errorf("warnings: %q", warned)
	}
}

// TestDayCacheBounded keeps the directory under its size after a read that
// cached more than fits, removing the oldest entries, and the read is right.
func TestDayCacheBounded(t *testing.T) {
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 40}, testNow)
	q := Query{From: "2024-08-01", To: "2024-08-20", Location: testPlus7, Period: billing.Day, MaxItems: 10_000}
	one := int64(len(encodeDayLines(f.env.Emulator.Data.Bills.Day("2024-08-01")))) + 200 // a day and its header, with room
	store, err := daycache.Open(daycache.Config{Dir: f.dir, Now: clock.Fixed(testNow).Now, MaxBytes: 5 * one, Logger: f.warn})
	if err != nil {
		t.Fatal(err)
	}
	f.cache.Store = store
	got, _ := f.cached(t, q)
	sameResult(t, "a read that overfills the cache", got, f.uncached(t, q))
	var size int64
	entries := cacheEntries(t, f.dir)
	for _, name := range entries {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		size += info.Size()
	}
	if size > 5*one || len(entries) == 0 {
		t.Errorf("after the read the cache holds %d entries, %d bytes; want some, and at most %d bytes", len(entries), size, 5*one)
	}
}

// TestDayCacheWhileLinesArrive reads a range whose closed days are cached
// and whose open days are streamed (more lines than the client shares)
// while today's lines arrive: the streamed read sees the data move, the
// whole read starts again with the cached days handed on again, and the
// result is the data at one instant, cached days included.
func TestDayCacheWhileLinesArrive(t *testing.T) {
	now := time.Date(2024, 9, 20, 16, 50, 0, 0, time.UTC) // 23:50 at +07:00: today has most of its lines
	f := newCacheFixture(t, emulator.Config{LinesPerDay: 6000, ArriveEvery: 15, Arrivals: 2, ArrivalDay: "2024-09-20"}, now)
	warm := Query{From: "2024-09-16", To: "2024-09-18", Location: testPlus7, Period: billing.Day, MaxItems: defaultBillsMaxItems}
	if _, requests := f.cached(t, warm); requests == 0 {
		t.Fatal("the warm-up read made no request")
	}
	before := f.env.Emulator.Data.Bills.Arrived()
	q := warm
	q.To = "2024-09-20"
	got, _ := f.cached(t, q)
	arrived := f.env.Emulator.Data.Bills.Arrived()
	if arrived == before {
		t.Fatalf("no line arrived during the read (%d before it): the test shows nothing", before)
	}
	for v := arrived; v >= 0; v-- {
		lines := f.env.Emulator.Data.Bills.RangeAt(q.From, q.To, v)
		prices := make([]string, len(lines))
		for i := range lines {
			prices[i] = lines[i].TotalPrice.String()
		}
		if got.Summary.Count == int64(len(lines)) && got.Summary.Total.Cmp(sumOf(t, prices)) == 0 {
			return
		}
	}
	t.Fatalf("%d lines summing to %s are the emulator's data at no instant (%d lines arrived)",
		got.Summary.Count, got.Summary.Total, arrived)
}
