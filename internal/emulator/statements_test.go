package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

type statementsBody struct {
	Status  any                `json:"status"`
	Message string             `json:"message"`
	Total   int                `json:"total"`
	Data    []fptapi.Statement `json:"data"`
}

func getStatements(t *testing.T, s *Server, query url.Values) (int, statementsBody) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, BasePath+fptapi.StatementsEndpoint+"?"+query.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	var body statementsBody
	dec := json.NewDecoder(w.Body)
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("decoding the answer: %v", err)
	}
	return w.Code, body
}

func ids(list []fptapi.Statement) []string {
	out := make([]string, len(list))
	for i, st := range list {
		out[i] = st.ID
	}
	return out
}

// statementsNow pins the emulator's clock in tests of the statements, which
// follow it: 2024-09-20 10:00 at +07:00.
func statementsNow() time.Time { return time.Date(2024, 9, 20, 10, 0, 0, 0, APITimeZone) }

func TestGenerateStatements(t *testing.T) {
	a, b := Generate(Config{Seed: 7, Now: statementsNow}), Generate(Config{Seed: 7, Now: statementsNow})
	if !reflect.DeepEqual(a.Statements, b.Statements) {
		t.Fatal("the same seed gave different statements")
	}
	if len(a.Statements) != defaultStatements {
		t.Fatalf("%d statements, want the default %d", len(a.Statements), defaultStatements)
	}
	if c := Generate(Config{Seed: 8, Now: statementsNow}); reflect.DeepEqual(ids(a.Statements), ids(c.Statements)) {
		t.Error("another seed gave the same statements")
	}
	// Other data sizes do not move the statements: they have their own random source.
	if d := Generate(Config{Seed: 7, LinesPerDay: 99, Now: statementsNow}); !reflect.DeepEqual(a.Statements, d.Statements) {
		t.Error("the statements depend on other settings than the seed and their count")
	}
	if len(Generate(Config{Statements: -1}).Statements) != 0 {
		t.Error("a negative count should generate no statements")
	}

	amount := regexp.MustCompile(`^\d+\.\d{4}$`)
	seen := map[string]bool{}
	kinds := map[string]map[string]bool{"resource_type": {}, "status": {}, "type": {}}
	first, last := statementsWindow(statementsNow())
	if got := time.Unix(first, 0).In(APITimeZone).Format(time.DateOnly); got != "2023-03-01" {
		t.Errorf("the statements start on %s, want 2023-03-01, 18 months before September 2024", got)
	}
	for _, st := range Generate(Config{Seed: 3, Statements: 2000, Now: statementsNow}).Statements {
		if seen[st.ID] || len(st.ID) != 24 || len(st.ResourceID) != 24 {
			t.Fatalf("statement %+v: ids must be unique 24-digit hex", st)
		}
		seen[st.ID] = true
		if !amount.MatchString(st.Amount.String()) {
			t.Fatalf("amount %s does not have 4 decimal places", st.Amount)
		}
		if *st.StartedTime < first || *st.StartedTime >= last || *st.DueTime <= *st.StartedTime {
			t.Fatalf("statement %+v has times out of range", st)
		}
		kinds["resource_type"][st.ResourceType] = true
		kinds["status"][st.Status] = true
		kinds["type"][st.Type] = true
	}
	for field, want := range map[string]int{"resource_type": 3, "status": 2, "type": 3} {
		if len(kinds[field]) != want {
			t.Errorf("%s takes %d values, want %d", field, len(kinds[field]), want)
		}
	}
}

// TestGenerateStatements_followTheClock checks that the statements cover
// every one of the recent months before the emulator's clock, the current
// one included, and that none starts after it, whatever the day.
func TestGenerateStatements_followTheClock(t *testing.T) {
	for _, now := range []time.Time{
		statementsNow(),
		time.Date(2026, 12, 2, 6, 24, 0, 0, time.UTC),
		time.Date(2027, 1, 31, 23, 59, 0, 0, APITimeZone), // the months before cross a year
	} {
		t.Run(now.Format(time.DateOnly), func(t *testing.T) {
			s := New(Config{Token: "t", Now: func() time.Time { return now }})
			months := map[string]int{}
			for _, st := range s.Data.Statements {
				started := time.Unix(*st.StartedTime, 0)
				if started.After(now) {
					t.Fatalf("statement %s starts at %s, after the emulator's now %s", st.ID, started, now)
				}
				months[started.In(APITimeZone).Format("2006-01")]++
			}
			local := now.In(APITimeZone)
			for m := 0; m <= statementsMonths; m++ {
				month := time.Date(local.Year(), local.Month()-time.Month(m), 1, 0, 0, 0, 0, APITimeZone).Format("2006-01")
				if months[month] == 0 && m > 0 {
					t.Errorf("no statement starts in %s, %d months before %s", month, m, local.Format(time.DateOnly))
				}
			}
			if len(months) > statementsMonths+1 {
				t.Errorf("statements start in %d months, want at most %d", len(months), statementsMonths+1)
			}
			// The last 30 days, as a user's started_after would ask for them.
			_, body := getStatements(t, s, url.Values{"filters": {fmt.Sprintf(`[{"key":"started_time","op":"gte","val":%d}]`, now.Add(-30*24*time.Hour).Unix())}})
			if body.Total == 0 {
				t.Error("no statement started in the last 30 days")
			}
		})
	}
}

func TestStatementsEndpoint(t *testing.T) {
	s := New(Config{Token: "t", Statements: 500, Now: statementsNow})
	all := s.Data.Statements

	t.Run("pages_cover_the_list_in_order", func(t *testing.T) {
		var got []string
		for offset := 0; ; offset += 30 {
			code, body := getStatements(t, s, url.Values{"limit": {"30"}, "offset": {strconv.Itoa(offset)}, "sortField": {"amount"}, "sortOrder": {"asc"}})
			if code != http.StatusOK || body.Status != true || body.Total != len(all) {
				t.Fatalf("HTTP %d, status %v, total %d", code, body.Status, body.Total)
			}
			if len(body.Data) == 0 {
				break
			}
			got = append(got, ids(body.Data)...)
		}
		if len(got) != len(all) {
			t.Fatalf("the pages held %d statements, want %d", len(got), len(all))
		}
		_, desc := getStatements(t, s, url.Values{"limit": {"1000"}, "sortField": {"amount"}, "sortOrder": {"desc"}})
		reversed := ids(desc.Data)
		slices.Reverse(reversed)
		if !reflect.DeepEqual(got, reversed) {
			t.Error("desc is not the exact reverse of asc")
		}
	})

	t.Run("filters", func(t *testing.T) {
		filters := `[{"key":"resource_type","op":"eq","val":"vm"},{"key":"started_time","op":"gte","val":1717174800},` + // 2024-06-01 00:00 +07:00
			`{"key":"amount","op":"lt","val":"20"},{"key":"id","op":"contains","val":"a"}]`
		_, body := getStatements(t, s, url.Values{"limit": {"1000"}, "filters": {filters}})
		want := 0
		for _, st := range all {
			amount, _ := st.Amount.Float64()
			if st.ResourceType == "vm" && *st.StartedTime >= 1717174800 && amount < 20 && strings.Contains(st.ID, "a") {
				want++
			}
		}
		if want == 0 || body.Total != want || len(body.Data) != want {
			t.Errorf("total %d, %d statements; want %d", body.Total, len(body.Data), want)
		}
	})

	t.Run("ignore_offset", func(t *testing.T) {
		broken := New(Config{Token: "t", Statements: 50, IgnoreOffset: true, Now: statementsNow})
		_, first := getStatements(t, broken, url.Values{"limit": {"10"}, "offset": {"0"}})
		_, later := getStatements(t, broken, url.Values{"limit": {"10"}, "offset": {"20"}})
		if !reflect.DeepEqual(ids(first.Data), ids(later.Data)) || later.Total != 50 {
			t.Error("with IgnoreOffset every offset must answer the first page")
		}
	})

	t.Run("replaced_data_is_served", func(t *testing.T) {
		s := New(Config{Token: "t", Statements: 20, Now: statementsNow})
		getStatements(t, s, url.Values{})
		s.Data.Statements = s.Data.Statements[:5:5]
		if _, body := getStatements(t, s, url.Values{}); body.Total != 5 {
			t.Errorf("total %d after the data changed, want 5", body.Total)
		}
	})

	for name, query := range map[string]url.Values{
		"bad_limit":       {"limit": {"-1"}},
		"bad_offset":      {"offset": {"x"}},
		"bad_sort_field":  {"sortField": {"price"}},
		"bad_sort_order":  {"sortOrder": {"up"}},
		"bad_filters":     {"filters": {"{"}},
		"unknown_key":     {"filters": {`[{"key":"name","op":"eq","val":"x"}]`}},
		"unknown_op":      {"filters": {`[{"key":"status","op":"like","val":"x"}]`}},
		"contains_number": {"filters": {`[{"key":"amount","op":"contains","val":"1"}]`}},
		"not_a_number":    {"filters": {`[{"key":"due_time","op":"gt","val":"soon"}]`}},
	} {
		t.Run(name, func(t *testing.T) {
			code, body := getStatements(t, s, query)
			if code != http.StatusBadRequest || body.Status != false || body.Message == "" {
				t.Errorf("HTTP %d, status %v, message %q; want 400, false and a message", code, body.Status, body.Message)
			}
		})
	}
}
