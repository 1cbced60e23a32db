package fptapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeStatements is a statements API whose paging can be made to misbehave.
type fakeStatements struct {
	items        []Statement
	ignoreOffset bool        // every page starts at offset 0
	noTotal      bool        // the body has no total
	total        *int64      // overrides the true total
	capLimit     int         // serves at most this many per page
	failOffset   int         // answers 500 at this offset (when > 0)
	repeat       map[int]int // offset -> serve this other offset's page instead

	requests atomic.Int64
	mu       sync.Mutex
	queries  []string
	offsets  []int
}

func (f *fakeStatements) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.RawQuery)
	f.offsets = append(f.offsets, offset)
	f.mu.Unlock()
	if f.failOffset > 0 && offset == f.failOffset {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"status": false, "message": "boom"}`))
		return
	}
	if f.ignoreOffset {
		offset = 0
	}
	if other, ok := f.repeat[offset]; ok {
		offset = other
	}
	if f.capLimit > 0 {
		limit = min(limit, f.capLimit)
	}
	start := min(offset, len(f.items))
	end := min(start+limit, len(f.items))
	body := map[string]any{"status": true, "message": "ok", "data": f.items[start:end]}
	switch {
	case f.total != nil:
		body["total"] = *f.total
	case !f.noTotal:
		body["total"] = len(f.items)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakeStatements) sortedOffsets() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(slices.Values(f.offsets))
}

func makeStatements(n int) []Statement {
	items := make([]Statement, n)
	for i := range items {
		started := int64(1725000000 + i)
		items[i] = Statement{
			ID: fmt.Sprintf("st-%05d", i), ResourceID: fmt.Sprintf("res-%03d", i%7), ResourceType: "vm",
			Status: "paid", StartedTime: &started, Type: "lease_fee", Amount: json.Number(fmt.Sprintf("%d.%04d", i, i%10000)),
		}
	}
	return items
}

func newFakeClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL, Token: "t", MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxConcurrency: 4,
		RestartBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func checkIDs(t *testing.T, got []Statement, want []Statement) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d statements, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			t.Fatalf("statement %d is %s, want %s (the pages are not stitched in offset order)", i, got[i].ID, want[i].ID)
		}
	}
}

func TestResourceStatementsPagesInOrder(t *testing.T) {
	for _, tc := range []struct {
		name      string
		n, size   int
		wantPages int64
	}{
		{"empty", 0, 10, 1},
		{"one_short_page", 7, 10, 1},
		{"exact_pages", 100, 10, 10},
		{"last_page_short", 1001, 100, 11},
		{"page_of_one", 25, 1, 25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeStatements{items: makeStatements(tc.n)}
			c := newFakeClient(t, fake)
			list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: tc.size})
			if err != nil {
				t.Fatal(err)
			}
			checkIDs(t, list.Statements, fake.items)
			if list.Total != int64(tc.n) {
				t.Errorf("Total = %d, want %d", list.Total, tc.n)
			}
			if got := fake.requests.Load(); got != tc.wantPages || int64(list.Requests) != tc.wantPages {
				t.Errorf("%d requests (Requests %d), want %d", got, list.Requests, tc.wantPages)
			}
		})
	}
}

func TestResourceStatementsIgnoredOffsetEndsAfterOneExtraPage(t *testing.T) {
	for _, noTotal := range []bool{false, true} {
		t.Run(fmt.Sprintf("no_total_%v", noTotal), func(t *testing.T) {
			fake := &fakeStatements{items: makeStatements(1000), ignoreOffset: true, noTotal: noTotal}
			c := newFakeClient(t, fake)
			done := make(chan struct{})
			var err error
			go func() {
				defer close(done)
				_, err = c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 50})
			}()
			select {
			case <-done:
			case <-time.After(time.Minute): // a hang, not a slow machine
				t.Fatal("the walk did not end against an API that ignores offset")
			}
			if !IsKind(err, KindInconsistent) {
				t.Fatalf("err = %v, want a %s APIError", err, KindInconsistent)
			}
			for _, part := range []string{StatementsEndpoint, "same statements for offset 50 as for offset 0", "ignores offset"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
			if got := fake.requests.Load(); got != 2 {
				t.Errorf("%d requests, want 2 (the first page and one extra)", got)
			}
		})
	}
}

func TestResourceStatementsWithoutTotalStopsOnEmptyPage(t *testing.T) {
	fake := &fakeStatements{items: makeStatements(95), noTotal: true}
	c := newFakeClient(t, fake)
	list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, list.Statements, fake.items)
	if list.Total != -1 {
		t.Errorf("Total = %d, want -1 (none sent)", list.Total)
	}
	if got := fake.requests.Load(); got != 11 {
		t.Errorf("%d requests, want 11 (10 pages and the empty one)", got)
	}
	// Each offset follows what the page before held.
	if got, want := fmt.Sprint(fake.sortedOffsets()), "[0 10 20 30 40 50 60 70 80 90 95]"; got != want {
		t.Errorf("offsets %s, want %s", got, want)
	}
}

func TestResourceStatementsTotalThatLies(t *testing.T) {
	t.Run("too_high", func(t *testing.T) {
		total := int64(100_000)
		fake := &fakeStatements{items: makeStatements(230), total: &total}
		c := newFakeClient(t, fake)
		list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		checkIDs(t, list.Statements, fake.items)
		if list.Total != total {
			t.Errorf("Total = %d, want the API's %d", list.Total, total)
		}
		// 23 full pages and the first empty one; at most MaxConcurrency
		// requests can be in flight past it.
		if got := fake.requests.Load(); got < 24 || got > 24+int64(c.MaxConcurrency()) {
			t.Errorf("%d requests, want 24 to %d: pages past the first empty one must not be requested", got, 24+c.MaxConcurrency())
		}
	})
	t.Run("too_low", func(t *testing.T) {
		total := int64(25)
		fake := &fakeStatements{items: makeStatements(100), total: &total}
		c := newFakeClient(t, fake)
		list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10})
		if err != nil {
			t.Fatal(err)
		}
		checkIDs(t, list.Statements, fake.items[:30])
		if got := fake.requests.Load(); got != 3 {
			t.Errorf("%d requests, want 3 (enough pages for the total)", got)
		}
	})
	t.Run("negative", func(t *testing.T) {
		total := int64(-1)
		c := newFakeClient(t, &fakeStatements{items: makeStatements(5), total: &total})
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{})
		if !IsKind(err, KindBadResponse) || !strings.Contains(err.Error(), "negative total") {
			t.Fatalf("err = %v, want a bad response about the negative total", err)
		}
	})
}

func TestResourceStatementsDuplicateAcrossPages(t *testing.T) {
	items := makeStatements(60)
	items[45].ID = items[3].ID // the list changed between two pages
	fake := &fakeStatements{items: items}
	c := newFakeClient(t, fake)
	_, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10})
	// A list that changed is read again; this one "changes" the same way
	// every time, so the second read tells that the pages contradict each
	// other rather than data that moves.
	if !IsKind(err, KindInconsistent) || !strings.Contains(err.Error(), "the same on 2 reads in a row") {
		t.Fatalf("err = %v, want %s, the same on 2 reads", err, KindInconsistent)
	}
	if n := fake.requests.Load(); n > 12 {
		t.Errorf("%d requests, want at most the 6 pages read twice", n)
	}
	if want := fmt.Sprintf("statement %q came back in the page at offset 40 after the page at offset 0", items[3].ID); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestResourceStatementsRepeatedPageMidWalk(t *testing.T) {
	// An API that ignores offset only from some offset on is caught by the
	// concurrent part of the walk, and the walk still ends.
	fake := &fakeStatements{items: makeStatements(500), repeat: map[int]int{300: 200}}
	c := newFakeClient(t, fake)
	_, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 100})
	if !IsKind(err, KindInconsistent) || !strings.Contains(err.Error(), "ignores offset") {
		t.Fatalf("err = %v, want %s saying the API ignores offset", err, KindInconsistent)
	}
}

func TestResourceStatementsServerCapsPageSize(t *testing.T) {
	fake := &fakeStatements{items: makeStatements(250), capLimit: 20}
	c := newFakeClient(t, fake)
	list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	checkIDs(t, list.Statements, fake.items)
	if got := fake.requests.Load(); got != 13 {
		t.Errorf("%d requests, want 13 (pages of the 20 the API serves)", got)
	}
}

func TestResourceStatementsMaxItems(t *testing.T) {
	t.Run("total_known", func(t *testing.T) {
		fake := &fakeStatements{items: makeStatements(120)}
		c := newFakeClient(t, fake)
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10, MaxItems: 100})
		var tooMany *TooManyItemsError
		if !errors.As(err, &tooMany) || tooMany.Total != 120 || tooMany.Max != 100 {
			t.Fatalf("err = %v, want TooManyItemsError{120, 100}", err)
		}
		if got := fake.requests.Load(); got != 1 {
			t.Errorf("%d requests, want 1: the total on the first page is enough to refuse", got)
		}
	})
	t.Run("no_total", func(t *testing.T) {
		fake := &fakeStatements{items: makeStatements(120), noTotal: true}
		c := newFakeClient(t, fake)
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10, MaxItems: 100})
		var tooMany *TooManyItemsError
		if !errors.As(err, &tooMany) || tooMany.Total != -1 {
			t.Fatalf("err = %v, want TooManyItemsError without a total", err)
		}
		if !strings.Contains(err.Error(), "more than 100") {
			t.Errorf("error %q does not say more than 100", err)
		}
	})
	t.Run("exactly_max", func(t *testing.T) {
		c := newFakeClient(t, &fakeStatements{items: makeStatements(100), noTotal: true})
		list, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10, MaxItems: 100})
		if err != nil || len(list.Statements) != 100 {
			t.Fatalf("got %v, %v; want 100 statements", list, err)
		}
	})
}

func TestResourceStatementsQuery(t *testing.T) {
	fake := &fakeStatements{items: makeStatements(3)}
	c := newFakeClient(t, fake)
	_, err := c.ResourceStatements(context.Background(), StatementsQuery{
		Filters: []Filter{
			{Key: FieldResourceType, Op: OpEq, Value: "vm"},
			{Key: FieldStartedTime, Op: OpGte, Value: "1725000000"},
			{Key: FieldAmount, Op: OpGt, Value: "not-a-number"},
			{Key: FieldResourceID, Op: OpContains, Value: "12"},
		},
		SortField: FieldAmount, SortOrder: "desc", PageSize: 25,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.queries) != 1 {
		t.Fatalf("%d requests, want 1", len(fake.queries))
	}
	got, err := url.ParseQuery(fake.queries[0])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"limit": "25", "offset": "0", "sortField": "amount", "sortOrder": "desc",
		"filters": `[{"key":"resource_type","op":"eq","val":"vm"},{"key":"started_time","op":"gte","val":1725000000},` +
			`{"key":"amount","op":"gt","val":"not-a-number"},{"key":"resource_id","op":"contains","val":"12"}]`,
	}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, got.Get(k), v)
		}
	}

	// Without sort and filters, the parameters are left out.
	fake2 := &fakeStatements{}
	c2 := newFakeClient(t, fake2)
	if _, err := c2.ResourceStatements(context.Background(), StatementsQuery{}); err != nil {
		t.Fatal(err)
	}
	if fake2.queries[0] != "limit=100&offset=0" {
		t.Errorf("query = %q, want limit=100&offset=0", fake2.queries[0])
	}
}

func TestResourceStatementsBadQuery(t *testing.T) {
	c := newFakeClient(t, &fakeStatements{})
	for name, q := range map[string]StatementsQuery{
		"page_size":  {PageSize: 1001},
		"sort_order": {SortOrder: "up"},
		"op":         {Filters: []Filter{{Key: "status", Op: "like", Value: "x"}}},
		"key":        {Filters: []Filter{{Op: "eq", Value: "x"}}},
	} {
		if _, err := c.ResourceStatements(context.Background(), q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestResourceStatementsFailures(t *testing.T) {
	t.Run("statement_without_id", func(t *testing.T) {
		items := makeStatements(3)
		items[1].ID = ""
		c := newFakeClient(t, &fakeStatements{items: items})
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{})
		if !IsKind(err, KindBadValue) || !strings.Contains(err.Error(), `statement 2 of the page at offset 0: "id" is missing`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("status_false", func(t *testing.T) {
		c := newFakeClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"status": false, "message": "filters is invalid", "data": null}`))
		}))
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{})
		if !IsKind(err, KindAPI) || !strings.Contains(err.Error(), "filters is invalid (API status false)") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("page_fails_mid_walk", func(t *testing.T) {
		fake := &fakeStatements{items: makeStatements(500), failOffset: 300}
		c := newFakeClient(t, fake)
		_, err := c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 50})
		if !IsKind(err, KindServer) || !strings.Contains(err.Error(), "HTTP 500") {
			t.Fatalf("err = %v, want the 500 of the page at offset 300", err)
		}
	})
	t.Run("amount_keeps_its_text", func(t *testing.T) {
		c := newFakeClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"status": true, "message": "ok", "total": 1, "data": [` +
				`{"id": "a", "amount": 12345678901234567890.1234, "started_time": 1725003272, "due_time": null}]}`))
		}))
		list, err := c.ResourceStatements(context.Background(), StatementsQuery{})
		if err != nil {
			t.Fatal(err)
		}
		st := list.Statements[0]
		if st.Amount != "12345678901234567890.1234" || st.StartedTime == nil || *st.StartedTime != 1725003272 || st.DueTime != nil {
			t.Errorf("statement = %+v", st)
		}
	})
}

func TestResourceStatementsSharedWithinProcess(t *testing.T) {
	fake := &fakeStatements{items: makeStatements(40)}
	c := newFakeClient(t, fake)
	q := StatementsQuery{PageSize: 10, Filters: []Filter{{Key: "status", Op: "eq", Value: "paid"}}}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := c.ResourceStatements(context.Background(), q); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, err := c.ResourceStatements(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if got := fake.requests.Load(); got != 4 {
		t.Errorf("%d requests, want 4: one walk for five identical reads", got)
	}
	q.SortOrder = "asc"
	if _, err := c.ResourceStatements(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if got := fake.requests.Load(); got != 8 {
		t.Errorf("%d requests, want 8: another query is another walk", got)
	}
}

func TestEncodeFilters(t *testing.T) {
	got, err := EncodeFilters([]Filter{
		{Key: "due_time", Op: "lt", Value: "1.5e9"},
		{Key: "amount", Op: "eq", Value: "-0.25"},
		{Key: "amount", Op: "eq", Value: "01"}, // not a JSON number: sent as text
		{Key: "type", Op: "eq", Value: "12"},   // a text field: sent as text
		{Key: "status", Op: "ne", Value: `say "hi"`},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"key":"due_time","op":"lt","val":1.5e9},{"key":"amount","op":"eq","val":-0.25},` +
		`{"key":"amount","op":"eq","val":"01"},{"key":"type","op":"eq","val":"12"},{"key":"status","op":"ne","val":"say \"hi\""}]`
	if got != want {
		t.Errorf("EncodeFilters =\n%s\nwant\n%s", got, want)
	}
	if got, err := EncodeFilters(nil); got != "" || err != nil {
		t.Errorf("EncodeFilters(nil) = %q, %v", got, err)
	}
}
