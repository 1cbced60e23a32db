package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// pinnedNow is the emulator's clock in these tests, after every day they
// read: 2032-01-01 12:00 at +07:00.
func pinnedNow() time.Time { return time.Date(2032, 1, 1, 12, 0, 0, 0, APITimeZone) }

func TestBillsDeterministic(t *testing.T) {
	a := Generate(Config{Now: pinnedNow, Seed: 42})
	b := Generate(Config{Now: pinnedNow, Seed: 42, Statements: 900}) // other data must not move the bills
	if !reflect.DeepEqual(a.BillLines("2024-09-01", "2024-09-03"), b.BillLines("2024-09-01", "2024-09-03")) {
		t.Fatal("the same seed gave different bill lines")
	}
	if reflect.DeepEqual(a.Bills.Day("2024-09-01"), Generate(Config{Now: pinnedNow, Seed: 43}).Bills.Day("2024-09-01")) {
		t.Fatal("different seeds gave the same bill lines")
	}
	lines := a.Bills.Day("2031-12-31")
	if len(lines) != DefaultLinesPerDay {
		t.Fatalf("%d lines on a day, want %d by default", len(lines), DefaultLinesPerDay)
	}
	var nullVPC, nullTag, rfc3339, unicode bool
	for i, l := range lines {
		if l.Day != "2031-12-31" || l.TotalPrice == "" || l.Name == "" || l.Service == "" {
			t.Errorf("line %d lacks a required field: %+v", i, l)
		}
		nullVPC = nullVPC || l.VPCName == nil
		nullTag = nullTag || l.Tag == nil
		rfc3339 = rfc3339 || strings.Contains(l.StartTime, "T")
		unicode = unicode || strings.ContainsFunc(l.Name, func(r rune) bool { return r > 127 })
	}
	if !nullVPC || !nullTag || !rfc3339 || !unicode {
		t.Errorf("a day lacks variety: null vpc %v, null tag %v, RFC 3339 start %v, unicode name %v", nullVPC, nullTag, rfc3339, unicode)
	}
}

// TestBillsPaging checks the paging endpoint's slices against the per-day
// lines, with and without filters, and the deprecated-only mode.
func TestBillsPaging(t *testing.T) {
	s := New(Config{Now: pinnedNow, LinesPerDay: 7})
	s.Data.Bills.Extra = []fptapi.BillLine{{Day: "2024-09-02", StartTime: "2024-09-02 23:59:00", Service: "Instance", Name: "extra", TotalPrice: "1"}}
	post := func(body string) (int, map[string]json.RawMessage, []fptapi.BillLine) {
		req := httptest.NewRequest(http.MethodPost, BasePath+fptapi.BillsEndpoint, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test-token")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var env map[string]json.RawMessage
		_ = json.Unmarshal(rec.Body.Bytes(), &env)
		var lines []fptapi.BillLine
		_ = json.Unmarshal(env["data"], &lines)
		return rec.Code, env, lines
	}
	all := s.Data.BillLines("2024-09-01", "2024-09-03")
	if len(all) != 22 {
		t.Fatalf("%d lines, want 3×7 + 1 extra", len(all))
	}
	var paged []fptapi.BillLine
	for page := 1; page <= 5; page++ {
		code, env, lines := post(`{"from_date": "2024-09-01", "to_date": "2024-09-03", "page": ` + string(rune('0'+page)) + `, "page_size": 5}`)
		if code != http.StatusOK || string(env["total"]) != "22" {
			t.Fatalf("page %d: HTTP %d, total %s", page, code, env["total"])
		}
		paged = append(paged, lines...)
	}
	if !reflect.DeepEqual(paged, all) {
		t.Errorf("the pages hold %d lines that differ from the days' %d", len(paged), len(all))
	}
	_, env, lines := post(`{"from_date": "2024-09-01", "to_date": "2024-09-03", "page": 1, "page_size": 1000, "service": "Instance"}`)
	for _, l := range lines {
		if l.Service != "Instance" {
			t.Errorf("filtered page holds a %s line", l.Service)
		}
	}
	if string(env["total"]) == "22" || len(lines) == 0 {
		t.Errorf("the service filter kept %s of 22 lines", env["total"])
	}
	for _, bad := range []string{`{"from_date": "2024-09-03", "to_date": "2024-09-01"}`, `{"from_date": "2024-9-1", "to_date": "2024-09-01"}`, `{"from_date": "2024-09-01", "to_date": "2024-09-01", "page_size": 1001}`, `[`} {
		if code, _, _ := post(bad); code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", bad, code)
		}
	}

	old := New(Config{Now: pinnedNow, DeprecatedOnly: true})
	req := httptest.NewRequest(http.MethodPost, BasePath+fptapi.BillsEndpoint, strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	old.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("deprecated-only POST: HTTP %d, want 405", rec.Code)
	}
	req = httptest.NewRequest(http.MethodGet, BasePath+fptapi.BillsEndpoint+"?search_date=2024-09-02", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	rec = httptest.NewRecorder()
	old.ServeHTTP(rec, req)
	var env2 struct {
		Date string            `json:"date"`
		Data []fptapi.BillLine `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env2); err != nil || env2.Date != "2024-09-02" || len(env2.Data) != DefaultLinesPerDay {
		t.Errorf("GET by date: HTTP %d, date %q, %d lines, err %v", rec.Code, env2.Date, len(env2.Data), err)
	}
}

// TestBillsNeverAfterNow checks that the emulator, like the API, serves no
// line that starts after its clock's now: today's lines up to now, none of
// tomorrow's, on both endpoints.
func TestBillsNeverAfterNow(t *testing.T) {
	now := time.Date(2026, 12, 2, 13, 1, 0, 0, APITimeZone)
	s := New(Config{LinesPerDay: 40, Now: func() time.Time { return now }})
	s.Data.Bills.Extra = []fptapi.BillLine{
		{Day: "2026-12-02", StartTime: "2026-12-02 13:00:00", Service: "Instance", Name: "started", TotalPrice: "1"},
		{Day: "2026-12-02", StartTime: "2026-12-02 23:24:00", Service: "Floating IP", Name: "later today", TotalPrice: "1"},
	}
	lines := s.Data.BillLines("2026-12-01", "2026-12-03")
	today := 0
	for _, l := range lines {
		start, err := time.ParseInLocation(time.DateTime, l.StartTime, APITimeZone)
		if err != nil {
			start, err = time.Parse(time.RFC3339, l.StartTime)
		}
		if err != nil {
			t.Fatalf("line %+v: %v", l, err)
		}
		if start.After(now) {
			t.Errorf("served a line that starts after now (%s): %s %s", now, l.StartTime, l.Name)
		}
		if l.Day == "2026-12-02" {
			today++
		}
	}
	// 13:01 is minute 781; line i starts at minute i*36: lines 0..21 have
	// started, and the extra line of 13:00.
	if today != 23 {
		t.Errorf("%d lines today, want 22 generated lines up to 13:01 and one extra", today)
	}
	if got := len(s.Data.BillLines("2026-12-03", "2026-12-31")); got != 0 {
		t.Errorf("%d lines after today, want none", got)
	}
	req := httptest.NewRequest(http.MethodPost, BasePath+fptapi.BillsEndpoint, strings.NewReader(`{"from_date":"2026-12-02","to_date":"2026-12-03","page_size":1000}`))
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var env struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Total != 23 {
		t.Errorf("the paging endpoint's total is %d (%v), want 23", env.Total, err)
	}
}

// TestBillsStory checks the account's story: the monthly fee at 00:00 on
// the 1st, the weekend's share and the growth from one month to the next.
func TestBillsStory(t *testing.T) {
	s := New(Config{LinesPerDay: 40, Now: func() time.Time { return time.Date(2026, 12, 15, 12, 0, 0, 0, APITimeZone) }})
	fee := s.Data.Bills.Day("2026-12-01")[0]
	if fee.Service != monthlyFeeService || fee.StartTime != "2026-12-01 00:00:00" || fee.TotalPrice != "180000000.0000" {
		t.Errorf("the 1st's first line is %+v, want the monthly fee of 180,000,000 VND at 00:00", fee)
	}
	if prev := s.Data.Bills.Day("2026-11-01")[0]; prev.TotalPrice != "138461538.4615" {
		t.Errorf("last month's fee is %s, want 180,000,000 / 1.3 rounded down", prev.TotalPrice)
	}
	// The same line of a weekday and a Saturday a week apart in the same
	// month differs only by the weekend's share (line generation is seeded
	// by the day, so compare the scale rather than two lines).
	b := s.Data.Bills
	wed, sat := time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 12, 0, 0, 0, 0, time.UTC)
	if got, want := b.scale(10000_0000, sat), int64(4000_0000); got != want {
		t.Errorf("a Saturday scales 10,000 VND to %d, want %d", got, want)
	}
	if got, want := b.scale(10000_0000, wed), int64(10000_0000); got != want {
		t.Errorf("a weekday of the anchor month scales 10,000 VND to %d, want %d", got, want)
	}
	if got, want := b.scale(10000_0000, time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)), int64(13000_0000); got != want {
		t.Errorf("a weekday of the next month scales 10,000 VND to %d, want %d", got, want)
	}
}

// TestAPIServedUnderBasePathOnly: every endpoint answers under BasePath
// and nowhere else, so that a base URL without /api fails as it would
// against the real API instead of working by accident.
func TestAPIServedUnderBasePathOnly(t *testing.T) {
	s := New(Config{Now: func() time.Time { return time.Date(2024, time.September, 15, 12, 0, 0, 0, APITimeZone) }})
	for _, ep := range []struct{ method, path, body string }{
		{http.MethodGet, fptapi.BillInfoEndpoint, ""},
		{http.MethodGet, fptapi.ServiceTypesEndpoint, ""},
		{http.MethodGet, fptapi.BillsEndpoint + "?search_date=2024-09-02", ""},
		{http.MethodPost, fptapi.BillsEndpoint, `{"from_date":"2024-09-01","to_date":"2024-09-02","page":1,"page_size":10}`},
		{http.MethodGet, fptapi.StatementsEndpoint + "?limit=3", ""},
	} {
		for prefix, want := range map[string]int{BasePath: http.StatusOK, "": http.StatusNotFound, "/v2": http.StatusNotFound} {
			req := httptest.NewRequest(ep.method, prefix+ep.path, strings.NewReader(ep.body))
			req.Header.Set("Authorization", "Bearer test-token")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != want {
				t.Errorf("%s %s: HTTP %d, want %d: %s", ep.method, prefix+ep.path, rec.Code, want, rec.Body.String())
			}
			if want == http.StatusNotFound && json.Valid(rec.Body.Bytes()) {
				t.Errorf("%s %s: the 404's body is JSON (%s), not the plain page of a path nothing serves", ep.method, prefix+ep.path, rec.Body.String())
			}
		}
	}
}
