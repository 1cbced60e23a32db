package provider

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The expectations below are computed from the emulator's own data by
// hand, with big.Rat sums and sort.SliceStable, not with the code under test.

// handSorted filters statements with keep and sorts them by field (numbers
// as numbers, id breaking ties), descending when desc.
func handSorted(all []fptapi.Statement, keep func(fptapi.Statement) bool, field string, desc bool) []fptapi.Statement {
	var out []fptapi.Statement
	for _, st := range all {
		if keep(st) {
			out = append(out, st)
		}
	}
	less := func(a, b fptapi.Statement) int {
		var c int
		switch field {
		case "started_time":
			c = compareInt(*a.StartedTime, *b.StartedTime)
		case "due_time":
			c = compareInt(*a.DueTime, *b.DueTime)
		case "amount":
			c = rat(a.Amount.String()).Cmp(rat(b.Amount.String()))
		case "status":
			c = strings.Compare(a.Status, b.Status)
		case "resource_type":
			c = strings.Compare(a.ResourceType, b.ResourceType)
		case "type":
			c = strings.Compare(a.Type, b.Type)
		case "resource_id":
			c = strings.Compare(a.ResourceID, b.ResourceID)
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		if desc {
			c = -c
		}
		return c
	}
	slices.SortStableFunc(out, less)
	return out
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func rat(text string) *big.Rat {
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		panic("not a decimal: " + text)
	}
	return r
}

// exactNumber is a decimal text as a 512-bit float, as Terraform holds it.
func exactNumber(text string) *big.Float {
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

// handSum sums decimal amounts exactly, as the decimal text of a big.Rat.
func handSum(statements []fptapi.Statement) *big.Float {
	sum, places := new(big.Rat), 0
	for _, st := range statements {
		text := st.Amount.String()
		if _, frac, ok := strings.Cut(text, "."); ok {
			places = max(places, len(frac))
		}
		sum.Add(sum, rat(text))
	}
	return exactNumber(sum.FloatString(places))
}

// handTotalsBy sums amounts per key.
func handTotalsBy(statements []fptapi.Statement, key func(fptapi.Statement) string) knownvalue.Check {
	groups := map[string][]fptapi.Statement{}
	for _, st := range statements {
		groups[key(st)] = append(groups[key(st)], st)
	}
	checks := map[string]knownvalue.Check{}
	for k, group := range groups {
		checks[k] = knownvalue.NumberExact(handSum(group))
	}
	return knownvalue.MapExact(checks)
}

func expectStatementList(statements []fptapi.Statement, loc *time.Location) knownvalue.Check {
	unix := func(sec *int64) string { return time.Unix(*sec, 0).In(loc).Format(time.RFC3339) }
	checks := make([]knownvalue.Check, 0, len(statements))
	for _, st := range statements {
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":            knownvalue.StringExact(st.ID),
			"resource_id":   knownvalue.StringExact(st.ResourceID),
			"resource_type": knownvalue.StringExact(st.ResourceType),
			"status":        knownvalue.StringExact(st.Status),
			"type":          knownvalue.StringExact(st.Type),
			"amount":        knownvalue.NumberExact(exactNumber(st.Amount.String())),
			"started_time":  knownvalue.StringExact(unix(st.StartedTime)),
			"due_time":      knownvalue.StringExact(unix(st.DueTime)),
		}))
	}
	return knownvalue.ListExact(checks)
}

func expectIDs(statements []fptapi.Statement) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(statements))
	for _, st := range statements {
		checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(st.ID)}))
	}
	return knownvalue.ListExact(checks)
}

// expectStatements checks every output of data source name against statements.
func expectStatements(name string, statements []fptapi.Statement, loc *time.Location) []statecheck.StateCheck {
	addr := "data.fptcloud_resource_statements." + name
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("statements"), expectStatementList(statements, loc)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total"), knownvalue.Int64Exact(int64(len(statements)))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("item_count"), knownvalue.Int64Exact(int64(len(statements)))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_amount"), knownvalue.NumberExact(handSum(statements))),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_status"),
			handTotalsBy(statements, func(st fptapi.Statement) string { return st.Status })),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_resource_type"),
			handTotalsBy(statements, func(st fptapi.Statement) string { return st.ResourceType })),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_type"),
			handTotalsBy(statements, func(st fptapi.Statement) string { return st.Type })),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_resource"),
			handTotalsBy(statements, func(st fptapi.Statement) string { return st.ResourceID })),
	}
}

func anyStatement(fptapi.Statement) bool { return true }

// TestAccResourceStatements_filters reads with every kind of filter at once,
// in a time zone other than the default, in pages of 7.
func TestAccResourceStatements_filters(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{Statements: 600})
	tokyo := time.FixedZone("UTC+09:00", 9*3600)
	after := time.Date(2024, 3, 1, 0, 0, 0, 0, tokyo).Unix()
	before := time.Date(2024, 8, 15, 12, 0, 0, 0, time.UTC).Unix()
	inWindow := func(st fptapi.Statement) bool {
		return st.ResourceType == "vm" && st.Status == "paid" && st.Type != "upgrade_fee" &&
			strings.Contains(st.ResourceID, "a") && *st.StartedTime >= after && *st.StartedTime < before
	}
	// The amount bound is one of the amounts, so that gte (not gt) matters.
	candidates := handSorted(env.Emulator.Data.Statements, inWindow, "amount", false)
	minAmount := candidates[len(candidates)/3].Amount.String()
	want := handSorted(env.Emulator.Data.Statements, func(st fptapi.Statement) bool {
		return inWindow(st) && rat(st.Amount.String()).Cmp(rat(minAmount)) >= 0
	}, "amount", true)
	if len(want) < 15 {
		t.Fatalf("only %d statements match: the test needs several pages", len(want))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock(`time_zone = "+09:00"`) + fmt.Sprintf(`
data "fptcloud_resource_statements" "test" {
  resource_type  = "vm"
  status         = "paid"
  started_after  = "2024-03-01"
  started_before = "2024-08-15T12:00:00Z"
  filters = [
    { key = "type", op = "ne", value = "upgrade_fee" },
    { key = "amount", op = "gte", value = "%s" },
    { key = "resource_id", op = "contains", value = "a" },
  ]
  sort_field = "amount"
  sort_order = "desc"
  page_size  = 7
}
`, minAmount),
			ConfigStateChecks: expectStatements("test", want, tokyo),
		}},
	})
}

// TestAccResourceStatements_sortBothWays reads the same statements sorted
// each way, and in the API's default order, side by side.
func TestAccResourceStatements_sortBothWays(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{Statements: 250})
	data := env.Emulator.Data.Statements
	unpaid := func(st fptapi.Statement) bool { return st.Status == "unpaid" }
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.fptcloud_resource_statements.asc", tfjsonpath.New("statements"),
			expectIDs(handSorted(data, unpaid, "started_time", false))),
		statecheck.ExpectKnownValue("data.fptcloud_resource_statements.desc", tfjsonpath.New("statements"),
			expectIDs(handSorted(data, unpaid, "started_time", true))),
		statecheck.ExpectKnownValue("data.fptcloud_resource_statements.by_type", tfjsonpath.New("statements"),
			expectIDs(handSorted(data, anyStatement, "resource_type", false))),
		// The API's own order: newest first.
		statecheck.ExpectKnownValue("data.fptcloud_resource_statements.default", tfjsonpath.New("statements"),
			expectIDs(handSorted(data, anyStatement, "started_time", true))),
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "asc" {
  status     = "unpaid"
  sort_field = "started_time"
  sort_order = "asc"
  page_size  = 40
}

data "fptcloud_resource_statements" "desc" {
  status     = "unpaid"
  sort_field = "started_time"
  sort_order = "desc"
  page_size  = 40
}

data "fptcloud_resource_statements" "by_type" {
  sort_field = "resource_type"
  sort_order = "asc"
}

data "fptcloud_resource_statements" "default" {}
`,
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccResourceStatements_manyPages reads 2,500 statements in 100 pages.
func TestAccResourceStatements_manyPages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{Statements: 2500})
	want := handSorted(env.Emulator.Data.Statements, anyStatement, "due_time", false)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "test" {
  sort_field = "due_time"
  sort_order = "asc"
  page_size  = 25
}
`,
			ConfigStateChecks: expectStatements("test", want, time.FixedZone("", 7*3600)),
		}},
	})
	if got := env.Emulator.Requests(fptapi.StatementsEndpoint); got == 0 || got%100 != 0 {
		t.Errorf("%d requests, want a multiple of 100 (one per page per read)", got)
	}
}

func TestAccResourceStatements_empty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	addr := "data.fptcloud_resource_statements.test"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "test" {
  status = "refunded"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("statements"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("total"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("item_count"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_amount"), knownvalue.NumberExact(big.NewFloat(0))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_status"), knownvalue.MapSizeExact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_resource_type"), knownvalue.MapSizeExact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("totals_by_type"), knownvalue.MapSizeExact(0)),
			},
		}},
	})
}

// TestAccResourceStatements_ignoredOffset reads from an API that answers
// the first page for every offset: the read fails after one extra page.
func TestAccResourceStatements_ignoredOffset(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{IgnoreOffset: true})
	start := time.Now() // elapsed time, not a date
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "test" {
  page_size = 50
}
`,
			ExpectError: errorPattern("GET "+fptapi.StatementsEndpoint, "same statements for offset 50 as for offset 0",
				"ignores offset", "set page_size"),
		}},
	})
	if got := env.Emulator.Requests(fptapi.StatementsEndpoint); got != 2 {
		t.Errorf("%d requests, want 2: the first page and the one that repeats it", got)
	}
	if elapsed := time.Since(start); elapsed > time.Minute {
		t.Errorf("the failing read took %s", elapsed)
	}
}

func TestAccResourceStatements_maxItems(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "test" {
  max_items = 10
}
`,
			ExpectError: errorPattern("max_items", "300 resource statements match, more than the limit of 10",
				"Narrow the read", "raise max_items"),
		}},
	})
	if got := env.Emulator.Requests(fptapi.StatementsEndpoint); got != 1 {
		t.Errorf("%d requests, want 1: the first page's total is enough to refuse", got)
	}
}

func TestAccResourceStatements_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	step := func(body string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{
			Config:      env.providerBlock("") + "data \"fptcloud_resource_statements\" \"test\" {\n" + body + "\n}\n",
			ExpectError: want,
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			step(`filters = [{ key = "status", op = "like", value = "paid" }]`,
				errorPattern(`filters[0].op = "like": the value must be one of "eq", "ne", "contains", "gt", "gte", "lt" or "lte".`)),
			step(`sort_order = "up"`, errorPattern("Invalid sort_order", `sort_order = "up": the value must be one of "asc" or "desc".`)),
			step(`page_size = 5000`, errorPattern("page_size = 5000: the value must be between 1 and 1000.")),
			step(`started_after = "01/09/2024"`,
				errorPattern("Invalid started_after", `started_after = "01/09/2024": the value is neither an RFC 3339 time`, `nor a day such as "2024-09-01".`)),
			// sort_order alone is refused, naming sort_field: the vendor
			// does not document the API's default sort field.
			step(`sort_order = "desc"`, errorPattern("Invalid sort_order",
				`sort_order = "desc": the value needs sort_field, the field to sort by, such as sort_field = "started_time"`,
				"FPT Cloud does not document which field its own order sorts by")),
			step("started_after = \"2024-10-01\"\nstarted_before = \"2024-09-01\"",
				errorPattern("started_before", "must be later than started_after", "Swap them")),
		},
	})
	if got := env.Emulator.Requests(fptapi.StatementsEndpoint); got != 0 {
		t.Errorf("%d requests, want none: invalid arguments are refused before any request", got)
	}
}

// TestResourceStatementsSchemaValidators checks validators that need no
// Terraform run.
func TestResourceStatementsSchemaValidators(t *testing.T) {
	var resp datasource.SchemaResponse
	NewResourceStatementsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	for name, want := range map[string]string{
		"max_items":  "must be at least 1",
		"sort_field": `must be one of "id", `,
		"page_size":  "must be between 1 and 1000",
	} {
		attr, ok := resp.Schema.Attributes[name]
		if !ok {
			t.Fatalf("no attribute %s", name)
		}
		var descriptions []string
		switch a := attr.(type) {
		case schema.Int64Attribute:
			for _, v := range a.Validators {
				descriptions = append(descriptions, v.Description(context.Background()))
			}
		case schema.StringAttribute:
			for _, v := range a.Validators {
				descriptions = append(descriptions, v.Description(context.Background()))
			}
		}
		if !strings.Contains(strings.Join(descriptions, "; "), want) {
			t.Errorf("%s validators %q, want one saying %q", name, descriptions, want)
		}
	}
	for name, attr := range resp.Schema.Attributes {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("attribute %s has no description", name)
		}
	}
}

func TestParseInstant(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	for in, want := range map[string]string{
		"2024-09-01":                "2024-09-01T00:00:00+07:00",
		"2024-09-01T10:30:00Z":      "2024-09-01T10:30:00Z",
		"2024-09-01T10:30:00+09:00": "2024-09-01T10:30:00+09:00",
		"2024-09-01T10:30:00.5Z":    "2024-09-01T10:30:00Z",
	} {
		got, err := bills.ParseInstant(in, ict)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("bills.ParseInstant(%q) = %s, %v; want %s", in, got.Format(time.RFC3339), err, want)
		}
	}
	for _, bad := range []string{"", "2024-9-1", "2024-09-01 10:00:00", "yesterday", "2024-13-01"} {
		if _, err := bills.ParseInstant(bad, ict); err == nil {
			t.Errorf("bills.ParseInstant(%q) succeeded", bad)
		}
	}
	after, _ := bills.ParseInstant("2024-09-01T00:00:00.5Z", ict)
	w := bills.StartWindow{After: &after}
	if f := w.Filters()[0]; f.Value != fmt.Sprint(after.Unix()+1) || f.Op != "gte" {
		t.Errorf("a bound with a fraction of a second gives %+v, want gte the next whole second", f)
	}

	// The window is checked again on what the API returns: [after, before).
	from, _ := bills.ParseInstant("2024-09-01", ict)
	to, _ := bills.ParseInstant("2024-10-01", ict)
	month := bills.StartWindow{After: &from, Before: &to}
	for sec, want := range map[int64]bool{
		from.Unix() - 1: false, from.Unix(): true, to.Unix() - 1: true, to.Unix(): false,
	} {
		if got := month.Contains(&sec); got != want {
			t.Errorf("contains(%s) = %v, want %v", time.Unix(sec, 0).In(ict).Format(time.RFC3339), got, want)
		}
	}
	if month.Contains(nil) || !(bills.StartWindow{}).Contains(nil) {
		t.Error("a statement without a start time must be outside a window, and inside no window")
	}
}

func TestAccResourceStatements_faults(t *testing.T) {
	t.Parallel()
	testFaultCases(t, "GET", fptapi.StatementsEndpoint, `
data "fptcloud_resource_statements" "test" {}
`, func(env *testEnv) []statecheck.StateCheck {
		addr := "data.fptcloud_resource_statements.test"
		data := env.Emulator.Data.Statements
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("item_count"), knownvalue.Int64Exact(int64(len(data)))),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_amount"), knownvalue.NumberExact(handSum(data))),
		}
	})
}

// TestLoggerConcurrentMasking logs from many goroutines sharing one context
// with masking on, as the concurrent page requests of a read do. Run under
// the race detector (.ci/run does), it also proves that the shared context
// is only read.
func TestLoggerConcurrentMasking(t *testing.T) {
	var out lockedBuffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	ctx = tflog.SetField(ctx, "tf_data_source_type", "fptcloud_resource_statements")
	ctx = tflog.MaskAllFieldValuesStrings(ctx, testToken)
	const goroutines, each = 8, 1000
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for i := range each {
				tflogLogger{}.Debug(ctx, "FPT Cloud API response", map[string]any{"offset": i, "token": testToken})
			}
		})
	}
	wg.Wait()
	text := out.String()
	if strings.Contains(text, testToken) {
		t.Fatal("the token was logged unmasked")
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != goroutines*each {
		t.Fatalf("%d log lines, want %d", len(lines), goroutines*each)
	}
	for _, line := range lines {
		if !strings.Contains(line, `"token":"***"`) || !strings.Contains(line, `"component":"fptapi"`) {
			t.Fatalf("a log line lacks the masked token or the component: %s", line)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestAccResourceStatements_priceOneResource prices a named resource the
// way a configuration next to that resource would, creating nothing: the
// lookup must give the exact sum of that resource's statements.
func TestAccResourceStatements_priceOneResource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	counts := map[string]int{}
	for _, st := range env.Emulator.Data.Statements {
		counts[st.ResourceID]++
	}
	// The resource with the most statements, so the sum adds several amounts.
	var target string
	for id, n := range counts {
		if n > counts[target] || (n == counts[target] && id < target) {
			target = id
		}
	}
	var mine []fptapi.Statement
	for _, st := range env.Emulator.Data.Statements {
		if st.ResourceID == target {
			mine = append(mine, st)
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_resource_statements" "all" {
  page_size = 1000
}
output "resource_cost" {
  value = lookup(data.fptcloud_resource_statements.all.totals_by_resource, "` + target + `", 0)
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("resource_cost", knownvalue.NumberExact(handSum(mine))),
			},
		}},
	})
	t.Logf("resource %s has %d statements", target, len(mine))
}
