package fptapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeBillEnvelope feeds arbitrary bodies to the decoder of bill
// pages (both bill endpoints). Whatever it accepts must have a success
// status, hold no more lines than allowed, hold only lines that pass the
// required-field rules, have no negative counts, and survive a round trip:
// the lines, encoded again as a page, decode to the same lines. Whatever it
// refuses as a bad value must name a bill line field and the line's place,
// and show at most maxValueShown bytes of valid UTF-8 of the value.
func FuzzDecodeBillEnvelope(f *testing.F) {
	for _, seed := range []string{
		`{"status":0,"message":"","total":1,"page":1,"page_size":1000,"data":[{"day":"2024-09-04","start_time":"2024-09-04 10:00:00","service":"Instance","name":"web-01","total_price":1200.5,"vpc_name":null,"disk":1e2}]}`,
		`{"status":true,"date":"2024-09-04","data":[]}`,
		`{"status":0,"data":null}`,
		`{"status":500,"message":"failed","data":null}`,
		`{"status":0,"total":-1,"data":[]}`,
		`{"status":0,"page":1.5,"data":[]}`,
		`{"status":0,"data":[{"day":"04/09/2024","start_time":"x","service":"s","name":"n","total_price":1}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":"1"}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":1,"vcpu":"many"}]}`,
		`{"status":0,"data":{}}`, `{"status":0}{"status":0}`, `{"data":[]}`, `[]`, `{"status":0,"data":[{"day":"2024-`,
		`{"status":0,"extra":{"nested":[1,2,{"a":null}]},"data":[]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":"abc"}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":1,"disk":{"a":[1]}}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":"12.5","ram":"0.25"}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"s","name":"n","total_price":1,"tag":7}]}`,
		`{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"東京","name":"n","total_price":"` + strings.Repeat("東", 40) + `"}]}`,
	} {
		f.Add([]byte(seed), 2)
	}
	f.Fuzz(func(t *testing.T, body []byte, maxLines int) {
		maxLines = max(0, maxLines%8) // 0: no limit
		env, err := decodeBillEnvelope(strings.NewReader(string(body)), maxLines)
		if err != nil {
			if env != nil {
				t.Fatalf("an error (%v) came with an envelope", err)
			}
			checkBadValue(t, err, billLineFields, "bill line ")
			return
		}
		if env.Status == nil || !env.Status.OK() {
			t.Fatalf("accepted %q without a success status", body)
		}
		if maxLines > 0 && len(env.Lines) > maxLines {
			t.Fatalf("accepted %d lines with a limit of %d", len(env.Lines), maxLines)
		}
		for name, n := range map[string]*int64{"total": env.Total, "page": env.Page, "page_size": env.PageSize} {
			if n != nil && *n < 0 {
				t.Fatalf("accepted a negative %s: %d", name, *n)
			}
		}
		for i := range env.Lines {
			if err := env.Lines[i].check(); err != nil {
				t.Fatalf("accepted line %d that fails the line rules: %v", i+1, err)
			}
			if !json.Valid([]byte(env.Lines[i].TotalPrice)) {
				t.Fatalf("line %d has a total_price that is not a JSON number: %q", i+1, env.Lines[i].TotalPrice)
			}
		}
		again, err := json.Marshal(map[string]any{"status": 0, "data": env.Lines})
		if err != nil {
			if !utf8.Valid(body) {
				return // invalid UTF-8 is replaced on encoding; nothing to compare
			}
			t.Fatalf("the accepted lines do not encode again: %v", err)
		}
		env2, err := decodeBillEnvelope(strings.NewReader(string(again)), maxLines)
		if err != nil {
			t.Fatalf("the accepted lines, encoded again as %s, are refused: %v", again, err)
		}
		if utf8.Valid(body) && !reflect.DeepEqual(nonNilLines(env.Lines), nonNilLines(env2.Lines)) {
			t.Fatalf("the lines changed in a round trip:\n%+v\n%+v", env.Lines, env2.Lines)
		}
	})
}

// checkBadValue holds a refusal that is a *badValue to its promises: it
// names a known field and the item's place, and shows a short, valid value.
func checkBadValue(t *testing.T, err error, fields []typedField, item string) {
	t.Helper()
	var bad *badValue
	if !errors.As(err, &bad) {
		return
	}
	known := false
	for _, f := range fields {
		known = known || f.name == bad.field
	}
	if !known {
		t.Fatalf("a bad value names the unknown field %q: %v", bad.field, err)
	}
	if !strings.HasPrefix(bad.Error(), item) {
		t.Fatalf("a bad value does not name its %s: %v", strings.TrimSpace(item), err)
	}
	if shown := strings.TrimSuffix(bad.value, "…"); len(shown) > maxValueShown || !utf8.ValidString(bad.value) {
		t.Fatalf("a bad value shows %d bytes (valid UTF-8: %v): %q", len(shown), utf8.ValidString(bad.value), bad.value)
	}
	if len(bad.ident) > 3*(maxValueShown+len("…"))+40 {
		t.Fatalf("a bad value's line is named at length: %q", bad.ident)
	}
	if e := withPage(err, "page 1"); !IsKind(e, KindBadValue) {
		t.Fatalf("withPage(%v) = %v, want a %s APIError", err, e, KindBadValue)
	}
}

func nonNilLines(lines []BillLine) []BillLine {
	if lines == nil {
		return []BillLine{}
	}
	return lines
}

// FuzzDecodeStatementsPage feeds arbitrary bodies to the decoder of a
// statements page. Whatever it accepts must have a success status, and its
// statements must survive a round trip through JSON; every amount the API
// sent must be a JSON number kept as its exact text.
func FuzzDecodeStatementsPage(f *testing.F) {
	for _, seed := range []string{
		`{"status":true,"message":"ok","total":2,"data":[{"id":"st-1","resource_id":"vm-1","resource_type":"vm","status":"paid","started_time":1725003272,"due_time":null,"type":"lease_fee","amount":12.50}]}`,
		`{"status":true,"total":0,"data":[]}`,
		`{"status":false,"message":"no","data":null}`,
		`{"status":true,"data":[{"id":"x","amount":"12"}]}`,
		`{"status":true,"data":[{"id":"x","amount":1e400}]}`,
		`{"status":true,"data":[{"id":"x","started_time":1.5}]}`,
		`{"status":true,"data":[{"id":"x","started_time":"1"}]}`,
		`{"status":true,"total":-3,"data":[]}`,
		`{"status":true,"data":[{"id":"x"}`, `{"status":"true"}`, `null`,
	} {
		f.Add([]byte(seed))
	}
	for _, seed := range []string{
		`{"status":true,"data":[{"id":"x","amount":"abc"}]}`,
		`{"status":true,"data":[{"id":"x","amount":{"v":1}}]}`,
		`{"status":true,"data":[{"id":"x","due_time":"soon"}]}`,
		`{"status":true,"data":[{"id":7}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := decodeStatementsPage(strings.NewReader(string(body)))
		if err != nil {
			checkBadValue(t, err, statementFields, "statement ")
			return
		}
		if env.Status == nil || !env.Status.OK() {
			t.Fatalf("accepted %q without a success status", body)
		}
		for i, st := range env.Data {
			if st.Amount != "" && !json.Valid([]byte(st.Amount)) {
				t.Fatalf("statement %d: amount %q is not a JSON number", i, st.Amount)
			}
		}
		if !utf8.Valid(body) {
			return // invalid UTF-8 is replaced on encoding; nothing to compare
		}
		again, err := json.Marshal(map[string]any{"status": true, "data": env.Data})
		if err != nil {
			t.Fatalf("the accepted statements do not encode again: %v", err)
		}
		env2, err := decodeEnvelope[[]Statement](strings.NewReader(string(again)))
		if err != nil {
			t.Fatalf("the accepted statements, encoded again as %s, are refused: %v", again, err)
		}
		// An absent amount is "" and encodes as 0: the one difference allowed.
		for i := range env.Data {
			if env.Data[i].Amount == "" {
				env.Data[i].Amount = "0"
			}
		}
		if len(env.Data) != len(env2.Data) || (len(env.Data) > 0 && !reflect.DeepEqual(env.Data, env2.Data)) {
			t.Fatalf("the statements changed in a round trip:\n%+v\n%+v", env.Data, env2.Data)
		}
	})
}

// FuzzEncodeFilters checks the filters query parameter: two filters are
// encoded, put in a query string and read back. An accepted pair must come
// back with the same keys, operators and values, each value a JSON string,
// or a JSON number with the same text on a numeric field. A refused pair
// must have an empty key or an unknown operator.
func FuzzEncodeFilters(f *testing.F) {
	f.Add("status", "eq", "unpaid", "amount", "gte", "12.5")
	f.Add("started_time", "lt", "1725003272", "resource_type", "contains", "v&m=1")
	f.Add("amount", "gt", "1e3", "due_time", "lte", "01")
	f.Add("tên", "ne", "dữ-liệu \"quoted\" \\ +%20", "id", "eq", "")
	f.Add("", "eq", "x", "id", "eq", "y")
	f.Add("id", "like", "x", "id", "eq", "y")
	f.Fuzz(func(t *testing.T, key1, op1, val1, key2, op2, val2 string) {
		in := []Filter{{Key: key1, Op: op1, Value: val1}, {Key: key2, Op: op2, Value: val2}}
		encoded, err := EncodeFilters(in)
		valid := func(f Filter) bool { return f.Key != "" && slices.Contains(FilterOps, f.Op) }
		if err != nil {
			if valid(in[0]) && valid(in[1]) {
				t.Fatalf("EncodeFilters(%+v) refused valid filters: %v", in, err)
			}
			return
		}
		if !valid(in[0]) || !valid(in[1]) {
			t.Fatalf("EncodeFilters(%+v) accepted an empty key or an unknown operator", in)
		}
		query, err := url.ParseQuery(url.Values{"filters": {encoded}, "limit": {"10"}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if got := query.Get("filters"); got != encoded {
			t.Fatalf("the query string changed the filters: %q became %q", encoded, got)
		}
		var out []struct {
			Key string          `json:"key"`
			Op  string          `json:"op"`
			Val json.RawMessage `json:"val"`
		}
		if err := json.Unmarshal([]byte(query.Get("filters")), &out); err != nil {
			t.Fatalf("filters %q are not a JSON array of filters: %v", encoded, err)
		}
		if len(out) != len(in) {
			t.Fatalf("%d filters came back from %q, want %d", len(out), encoded, len(in))
		}
		for i, want := range in {
			got := out[i]
			if !utf8.ValidString(want.Key + want.Op + want.Value) {
				continue // JSON encoding replaces invalid UTF-8; Terraform strings are always valid
			}
			if got.Key != want.Key || got.Op != want.Op {
				t.Fatalf("filter %d came back as key %q op %q, want %q %q", i, got.Key, got.Op, want.Key, want.Op)
			}
			if err := checkFilterValue(want, got.Val); err != nil {
				t.Fatalf("filter %d (%+v): %v", i, want, err)
			}
		}
	})
}

// checkFilterValue says whether raw is how the filter's value should travel.
func checkFilterValue(f Filter, raw json.RawMessage) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s != f.Value {
			return fmt.Errorf("value came back as %q", s)
		}
		if slices.Contains(NumericStatementFields, f.Key) && jsonNumber.MatchString(f.Value) {
			return errors.New("a number on a numeric field was sent as a string")
		}
		return nil
	}
	if !slices.Contains(NumericStatementFields, f.Key) {
		return fmt.Errorf("value %s on a text field is not a JSON string", raw)
	}
	if string(raw) != f.Value {
		return fmt.Errorf("number came back as %s", raw)
	}
	return nil
}
