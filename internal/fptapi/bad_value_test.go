package fptapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// numericBillFields are the bill line fields that hold numbers (seed 001).
var numericBillFields = []string{
	"disk", "disk_total", "vcpu", "vcpu_total", "ram", "ram_total", "running_time",
	"total_price", "disk_quantity", "cpu_quantity", "ram_quantity",
}

// billLineWith is a valid line with field set to the JSON text value.
func billLineWith(field, value string) string {
	return fmt.Sprintf(`{"day":"2024-09-04","start_time":"2024-09-04 10:00:00","service":"Instance","name":"web-01","total_price":1,%q:%s}`, field, value)
}

// numberOf returns the text the decoded line holds for a numeric field.
func numberOf(l *BillLine, field string) string {
	for name, n := range map[string]*string{
		"disk": (*string)(l.Disk), "disk_total": (*string)(l.DiskTotal), "vcpu": (*string)(l.VCPU), "vcpu_total": (*string)(l.VCPUTotal),
		"ram": (*string)(l.RAM), "ram_total": (*string)(l.RAMTotal), "running_time": (*string)(l.RunningTime),
		"total_price": (*string)(&l.TotalPrice), "disk_quantity": (*string)(l.DiskQuantity),
		"cpu_quantity": (*string)(l.CPUQuantity), "ram_quantity": (*string)(l.RAMQuantity),
	} {
		if name == field && n != nil {
			return *n
		}
	}
	return "<nil>"
}

// TestBadBillLineValues tries, for every numeric field of a bill line,
// values that cannot be used and the ones that can: each bad one is named
// with the line, the page, the field and the value; a number in a string is
// read exactly.
func TestBadBillLineValues(t *testing.T) {
	long := `"` + strings.Repeat("9", 30) + strings.Repeat("x", 100) + `"`
	for _, field := range numericBillFields {
		t.Run(field, func(t *testing.T) {
			for value, shown := range map[string]string{
				`"abc"`:            `"abc"`,
				`{"amount": 12.5}`: `{"amount": 12.5}`,
				`[1, 2]`:           `[1, 2]`,
				`true`:             `true`,
				`"12.5 "`:          `"12.5 "`,
				`""`:               `""`,
				long:               long[:maxValueShown] + "…",
			} {
				body := `{"status":0,"total":1,"page":1,"page_size":1000,"data":[` + billLineWith(field, value) + `]}`
				env, err := decodeBillEnvelope(strings.NewReader(body), 0)
				if env != nil || err == nil {
					t.Fatalf("%s = %s was accepted", field, value)
				}
				err = withPage(err, "page 3")
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Kind != KindBadValue {
					t.Fatalf("%s = %s: err = %v, want a %s APIError", field, value, err, KindBadValue)
				}
				want := fmt.Sprintf(`bill line 1 of page 3 (day 2024-09-04, service "Instance", name "web-01"): %q is %s, which is not a number`, field, shown)
				if apiErr.Message != want {
					t.Errorf("%s = %s:\n got %s\nwant %s", field, value, apiErr.Message, want)
				}
				if apiErr.Retryable() {
					t.Errorf("%s = %s: a bad value is retryable", field, value)
				}
				if strings.Contains(apiErr.Hint(), "proxy") {
					t.Errorf("%s = %s: the hint blames a proxy: %s", field, value, apiErr.Hint())
				}
			}
			for value, exact := range map[string]string{`"12.5"`: "12.5", `"-1e-3"`: "-1e-3", `0.1`: "0.1", `1000000000000000.01`: "1000000000000000.01"} {
				body := `{"status":0,"data":[` + billLineWith(field, value) + `]}`
				env, err := decodeBillEnvelope(strings.NewReader(body), 0)
				if err != nil {
					t.Fatalf("%s = %s: %v", field, value, err)
				}
				if got := numberOf(&env.Lines[0], field); got != exact {
					t.Errorf("%s = %s was read as %s, want %s", field, value, got, exact)
				}
			}
		})
	}
	t.Run("string_field_holds_a_number", func(t *testing.T) {
		body := `{"status":0,"data":[{"day":"2024-09-04","start_time":"x","service":"Instance","name":12,"total_price":1}]}`
		_, err := decodeBillEnvelope(strings.NewReader(body), 0)
		if want := `bill line 1 (day 2024-09-04, service "Instance"): "name" is 12, which is not a string`; err == nil || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
	})
	t.Run("the_line_is_named_by_its_place", func(t *testing.T) {
		lines := billLineWith("disk", "1") + "," + billLineWith("disk", "2") + "," + billLineWith("ram_total", `"x"`)
		_, err := decodeBillEnvelope(strings.NewReader(`{"status":0,"data":[`+lines+`]}`), 0)
		if err == nil || !strings.HasPrefix(err.Error(), `bill line 3 (day 2024-09-04`) || !strings.Contains(err.Error(), `"ram_total" is "x"`) {
			t.Errorf("err = %v, want bill line 3's ram_total", err)
		}
	})
}

// TestShownValueIsCutOnARuneBoundary: a long value is cut to at most
// maxValueShown bytes of valid UTF-8.
func TestShownValueIsCutOnARuneBoundary(t *testing.T) {
	for _, raw := range []string{strings.Repeat("ệ", 40), "x" + strings.Repeat("東", 40), strings.Repeat("a", 64), "\xff\xfe"} {
		got := shownValue([]byte(raw))
		cut := strings.TrimSuffix(got, "…")
		if len(cut) > maxValueShown || !utf8.ValidString(got) {
			t.Errorf("shownValue(%q) = %q: %d bytes, valid UTF-8 %v", raw, got, len(cut), utf8.ValidString(got))
		}
		if len(raw) <= maxValueShown && utf8.ValidString(raw) && got != raw {
			t.Errorf("shownValue(%q) = %q, want it whole", raw, got)
		}
	}
}

// TestBadStatementValues tries, for every numeric field of a statement,
// values that cannot be used: each is named with the statement's id and
// the page, at once, with one request.
func TestBadStatementValues(t *testing.T) {
	cases := []struct {
		field, value, reason string
	}{
		{"amount", `"abc"`, "is not a number"},
		{"amount", `{"vnd": 1}`, "is not a number"},
		{"amount", `[]`, "is not a number"},
		{"started_time", `1.5`, "is not a whole number"},
		{"started_time", `"1725003272"`, "is not a whole number"},
		{"started_time", `{"s": 1}`, "is not a whole number"},
		{"due_time", `"tomorrow"`, "is not a whole number"},
		{"due_time", `1e3`, "is not a whole number"},
		{"status", `1`, "is not a string"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			var requests atomic.Int64
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				_, _ = fmt.Fprintf(w, `{"status":true,"total":2,"data":[{"id":"st-1","amount":1},{"id":"st-2","resource_type":"vm",%q:%s}]}`, tc.field, tc.value)
			}))
			defer ts.Close()
			c, err := New(Config{BaseURL: ts.URL, Token: "t", MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ResourceStatements(context.Background(), StatementsQuery{PageSize: 10})
			want := fmt.Sprintf(`GET %s: HTTP 200 OK: statement 2 of the page at offset 0 (id "st-2"): %q is %s, which %s`, StatementsEndpoint, tc.field, tc.value, tc.reason)
			if !IsKind(err, KindBadValue) || err.Error() != want {
				t.Errorf("err = %v\nwant %s", err, want)
			}
			if requests.Load() != 1 {
				t.Errorf("%d requests, want 1: a bad value is not retried", requests.Load())
			}
		})
	}
	t.Run("amount_in_a_string_is_exact", func(t *testing.T) {
		env, err := decodeStatementsPage(strings.NewReader(`{"status":true,"data":[{"id":"a","amount":"12.5"},{"id":"b","amount":0.1,"started_time":null}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if env.Data[0].Amount != "12.5" || env.Data[1].Amount != "0.1" || env.Data[1].StartedTime != nil {
			t.Errorf("read %+v", env.Data)
		}
	})
}

// TestBadValueAcrossTheClient: through the client, a bad value of the
// per-day endpoint names the day's request, and one of the paging endpoint
// the page; neither is retried, and neither is blamed on a proxy. A body
// that is not the envelope keeps the proxy hint.
func TestBadValueAcrossTheClient(t *testing.T) {
	var requests atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		day := r.URL.Query().Get("search_date")
		line := strings.ReplaceAll(billLineWith("total_price", `"abc"`), "2024-09-04", day)
		_, _ = fmt.Fprintf(w, `{"status":0,"date":%q,"data":[%s]}`, day, line)
	}))
	defer ts.Close()
	c, err := New(Config{BaseURL: ts.URL, Token: "t", MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Bills(context.Background(), BillQuery{From: "2024-09-05", To: "2024-09-05"}, func(BillPage) error { return nil })
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindBadValue {
		t.Fatalf("err = %v, want %s", err, KindBadValue)
	}
	want := `GET /v1/billing/bills: HTTP 200 OK: bill line 1 of search_date=2024-09-05 (day 2024-09-05, service "Instance", name "web-01"): "total_price" is "abc", which is not a number`
	if err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if !strings.Contains(apiErr.Hint(), "not retried") || strings.Contains(apiErr.Hint(), "proxy") {
		t.Errorf("hint %q", apiErr.Hint())
	}
	if requests.Load() != 2 { // the paging endpoint's 404, then the day
		t.Errorf("%d requests, want 2", requests.Load())
	}
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html><body>Gateway says hi</body></html>"))
	}))
	defer html.Close()
	c, err = New(Config{BaseURL: html.URL, Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Bills(context.Background(), BillQuery{From: "2024-09-05", To: "2024-09-05"}, func(BillPage) error { return nil })
	if !errors.As(err, &apiErr) || apiErr.Kind != KindBadResponse || !strings.Contains(apiErr.Hint(), "proxy") {
		t.Errorf("an HTML answer: err = %v, want %s with the proxy hint", err, KindBadResponse)
	}
}
