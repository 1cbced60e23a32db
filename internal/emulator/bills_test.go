package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

func TestBillsDeterministic(t *testing.T) {
	a := Generate(Config{Seed: 42})
	b := Generate(Config{Seed: 42, Statements: 900}) // other data must not move the bills
	if !reflect.DeepEqual(a.BillLines("2024-09-01", "2024-09-03"), b.BillLines("2024-09-01", "2024-09-03")) {
		t.Fatal("the same seed gave different bill lines")
	}
	if reflect.DeepEqual(a.Bills.Day("2024-09-01"), Generate(Config{Seed: 43}).Bills.Day("2024-09-01")) {
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
	s := New(Config{LinesPerDay: 7})
	s.Data.Bills.Extra = []fptapi.BillLine{{Day: "2024-09-02", StartTime: "2024-09-02 23:59:00", Service: "Instance", Name: "extra", TotalPrice: "1"}}
	post := func(body string) (int, map[string]json.RawMessage, []fptapi.BillLine) {
		req := httptest.NewRequest(http.MethodPost, fptapi.BillsEndpoint, strings.NewReader(body))
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

	old := New(Config{DeprecatedOnly: true})
	req := httptest.NewRequest(http.MethodPost, fptapi.BillsEndpoint, strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	old.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("deprecated-only POST: HTTP %d, want 405", rec.Code)
	}
	req = httptest.NewRequest(http.MethodGet, fptapi.BillsEndpoint+"?search_date=2024-09-02", nil)
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
