package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// serve makes one request to s and decodes the envelope.
func serve(t *testing.T, s *Server, method, target, body string) (int, map[string]json.RawMessage) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var env map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("%s %s: %v: %s", method, target, err, rec.Body.String())
	}
	return rec.Code, env
}

func pageOf(t *testing.T, s *Server, page int) (int64, []fptapi.BillLine) {
	t.Helper()
	_, env := serve(t, s, http.MethodPost, BasePath+fptapi.BillsEndpoint,
		fmt.Sprintf(`{"from_date":"2024-09-01","to_date":"2024-09-03","page":%d,"page_size":5}`, page))
	var total int64
	var lines []fptapi.BillLine
	if err := json.Unmarshal(env["total"], &total); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(env["data"], &lines); err != nil {
		t.Fatal(err)
	}
	return total, lines
}

// TestBillArrivals: every K-th bills request adds a line for the last day
// of its range, first among that day's lines; total grows, lines shift one
// place across page boundaries, and the data of every past instant can be
// read back. Arrivals stop after Arrivals lines.
func TestBillArrivals(t *testing.T) {
	s := New(Config{Now: pinnedNow, LinesPerDay: 4, ArriveEvery: 2, Arrivals: 2})
	before := s.Data.BillLines("2024-09-01", "2024-09-03")
	total1, page1 := pageOf(t, s, 3) // request 1: nothing arrives
	total2, page2 := pageOf(t, s, 3) // request 2: a line for 2024-09-03 arrives first
	if total1 != 12 || total2 != 13 {
		t.Fatalf("totals %d then %d, want 12 then 13", total1, total2)
	}
	if s.Data.Bills.Arrived() != 1 {
		t.Fatalf("%d lines arrived, want 1", s.Data.Bills.Arrived())
	}
	// Page 3 (lines 11..15) held the last two lines; now it holds the
	// line that ended page 2 before, shifted down, and the last three.
	if len(page1) != 2 || len(page2) != 3 || !reflect.DeepEqual(page2[0], before[9]) || !reflect.DeepEqual(page2[1:], page1) {
		t.Errorf("page 3 was %d lines, then %d: the lines did not shift by one", len(page1), len(page2))
	}
	after := s.Data.BillLines("2024-09-01", "2024-09-03")
	if !strings.Contains(after[8].Name, "-late-1") || after[8].Day != "2024-09-03" {
		t.Errorf("the new line is %+v, want the first of 2024-09-03", after[8])
	}
	if !reflect.DeepEqual(s.Data.Bills.RangeAt("2024-09-01", "2024-09-03", 0), before) {
		t.Error("RangeAt(0) is not the data before the arrival")
	}
	for range 6 {
		pageOf(t, s, 1)
	}
	if s.Data.Bills.Arrived() != 2 {
		t.Errorf("%d lines arrived after 8 requests with Arrivals = 2, want 2", s.Data.Bills.Arrived())
	}
	// The per-day endpoint brings lines for its own day, or ArrivalDay.
	d := New(Config{Now: pinnedNow, LinesPerDay: 4, ArriveEvery: 1, Arrivals: -1, ArrivalDay: "2024-09-30"})
	serve(t, d, http.MethodGet, BasePath+fptapi.BillsEndpoint+"?search_date=2024-09-01", "")
	serve(t, d, http.MethodGet, BasePath+fptapi.BillsEndpoint+"?search_date=2024-09-02", "")
	if got := len(d.Data.Bills.Day("2024-09-30")); got != 6 {
		t.Errorf("2024-09-30 has %d lines, want 4 + 2 arrivals", got)
	}
	if got := len(d.Data.Bills.Day("2024-09-01")); got != 4 {
		t.Errorf("2024-09-01 has %d lines, want its 4", got)
	}
}

// TestStatementArrivals: a statement newer than every other arrives every
// K-th request, first under the default order, raising the total.
func TestStatementArrivals(t *testing.T) {
	s := New(Config{Now: pinnedNow, Statements: 10, ArriveEvery: 1, Arrivals: -1})
	_, env := serve(t, s, http.MethodGet, BasePath+fptapi.StatementsEndpoint+"?limit=3", "")
	var page []fptapi.Statement
	_ = json.Unmarshal(env["data"], &page)
	if string(env["total"]) != "11" || s.StatementsArrived() != 1 {
		t.Fatalf("total %s after one request, %d arrived; want 11 and 1", env["total"], s.StatementsArrived())
	}
	all := s.StatementsAt(1)
	if len(page) != 3 || page[0].ID != all[len(all)-1].ID {
		t.Errorf("the new statement %s is not first on the page: %+v", all[len(all)-1].ID, page)
	}
	if len(s.StatementsAt(0)) != 10 {
		t.Errorf("StatementsAt(0) has %d statements, want 10", len(s.StatementsAt(0)))
	}
}

// TestPagingStatusAndRouteCounts: the paging endpoint can refuse every
// request with a status, and the counters tell the two bill routes apart.
func TestPagingStatusAndRouteCounts(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound} {
		s := New(Config{Now: pinnedNow, PagingStatus: status})
		code, env := serve(t, s, http.MethodPost, BasePath+fptapi.BillsEndpoint, `{"from_date":"2024-09-01","to_date":"2024-09-01","page":1,"page_size":10}`)
		if code != status || len(env["message"]) < 5 {
			t.Errorf("PagingStatus %d: answered %d %s", status, code, env["message"])
		}
		if code, _ := serve(t, s, http.MethodGet, BasePath+fptapi.BillsEndpoint+"?search_date=2024-09-01", ""); code != http.StatusOK {
			t.Errorf("PagingStatus %d: the per-day endpoint answered %d", status, code)
		}
		if s.RequestsOf(http.MethodPost, fptapi.BillsEndpoint) != 1 || s.RequestsOf(http.MethodGet, fptapi.BillsEndpoint) != 1 ||
			s.Requests(fptapi.BillsEndpoint) != 2 || s.TotalRequests() != 2 {
			t.Errorf("counts: POST %d, GET %d, path %d, total %d", s.RequestsOf(http.MethodPost, fptapi.BillsEndpoint),
				s.RequestsOf(http.MethodGet, fptapi.BillsEndpoint), s.Requests(fptapi.BillsEndpoint), s.TotalRequests())
		}
		_, stats := serve(t, s, http.MethodGet, StatsPath, "")
		var routes map[string]int64
		if err := json.Unmarshal(stats["by_route"], &routes); err != nil || routes["POST "+fptapi.BillsEndpoint] != 1 {
			t.Errorf("stats by_route = %s", stats["by_route"])
		}
	}
}
