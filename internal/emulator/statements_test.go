package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

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
	req := httptest.NewRequest(http.MethodGet, "/api"+fptapi.StatementsEndpoint+"?"+query.Encode(), nil)
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

func TestGenerateStatements(t *testing.T) {
	a, b := Generate(Config{Seed: 7}), Generate(Config{Seed: 7})
	if !reflect.DeepEqual(a.Statements, b.Statements) {
		t.Fatal("the same seed gave different statements")
	}
	if len(a.Statements) != defaultStatements {
		t.Fatalf("%d statements, want the default %d", len(a.Statements), defaultStatements)
	}
	if c := Generate(Config{Seed: 8}); reflect.DeepEqual(ids(a.Statements), ids(c.Statements)) {
		t.Error("another seed gave the same statements")
	}
	// Other data sizes do not move the statements: they have their own random source.
	if d := Generate(Config{Seed: 7, LinesPerDay: 99}); !reflect.DeepEqual(a.Statements, d.Statements) {
		t.Error("the statements depend on other settings than the seed and their count")
	}
	if len(Generate(Config{Statements: -1}).Statements) != 0 {
		t.Error("a negative count should generate no statements")
	}

	amount := regexp.MustCompile(`^\d+\.\d{4}$`)
	seen := map[string]bool{}
	kinds := map[string]map[string]bool{"resource_type": {}, "status": {}, "type": {}}
	for _, st := range Generate(Config{Seed: 3, Statements: 2000}).Statements {
		if seen[st.ID] || len(st.ID) != 24 || len(st.ResourceID) != 24 {
			t.Fatalf("statement %+v: ids must be unique 24-digit hex", st)
		}
		seen[st.ID] = true
		if !amount.MatchString(st.Amount.String()) {
			t.Fatalf("amount %s does not have 4 decimal places", st.Amount)
		}
		if *st.StartedTime < statementsFirstStarted || *st.StartedTime >= statementsLastStarted || *st.DueTime <= *st.StartedTime {
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

func TestStatementsEndpoint(t *testing.T) {
	s := New(Config{Token: "t", Statements: 500})
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
		filters := `[{"key":"resource_type","op":"eq","val":"vm"},{"key":"started_time","op":"gte","val":1727715600},` +
			`{"key":"amount","op":"lt","val":"20"},{"key":"id","op":"contains","val":"a"}]`
		_, body := getStatements(t, s, url.Values{"limit": {"1000"}, "filters": {filters}})
		want := 0
		for _, st := range all {
			amount, _ := st.Amount.Float64()
			if st.ResourceType == "vm" && *st.StartedTime >= 1727715600 && amount < 20 && strings.Contains(st.ID, "a") {
				want++
			}
		}
		if want == 0 || body.Total != want || len(body.Data) != want {
			t.Errorf("total %d, %d statements; want %d", body.Total, len(body.Data), want)
		}
	})

	t.Run("ignore_offset", func(t *testing.T) {
		broken := New(Config{Token: "t", Statements: 50, IgnoreOffset: true})
		_, first := getStatements(t, broken, url.Values{"limit": {"10"}, "offset": {"0"}})
		_, later := getStatements(t, broken, url.Values{"limit": {"10"}, "offset": {"20"}})
		if !reflect.DeepEqual(ids(first.Data), ids(later.Data)) || later.Total != 50 {
			t.Error("with IgnoreOffset every offset must answer the first page")
		}
	})

	t.Run("replaced_data_is_served", func(t *testing.T) {
		s := New(Config{Token: "t", Statements: 20})
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
