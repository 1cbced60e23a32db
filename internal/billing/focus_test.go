package billing_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
)

// focusSpec is what FOCUS 1.2 says of each of its Mandatory columns (the
// "Content Constraints" table and the requirements of
// specification/columns/<column>.md at tag v1.2 of
// FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec), written out here apart
// from billing.FocusColumns, so that the test checks the table against
// the specification rather than against itself.
var focusSpec = map[string]struct {
	typ      string // Decimal, String or Date/Time
	nullable bool
	allowed  []string
}{
	"BilledCost":         {"Decimal", false, nil},
	"BillingAccountId":   {"String", false, nil},
	"BillingAccountName": {"String", true, nil},
	"BillingCurrency":    {"String", false, nil},
	"BillingPeriodEnd":   {"Date/Time", false, nil},
	"BillingPeriodStart": {"Date/Time", false, nil},
	"ChargeCategory":     {"String", false, []string{"Usage", "Purchase", "Tax", "Credit", "Adjustment"}},
	"ChargeClass":        {"String", true, []string{"Correction"}},
	"ChargeDescription":  {"String", true, nil},
	"ChargePeriodEnd":    {"Date/Time", false, nil},
	"ChargePeriodStart":  {"Date/Time", false, nil},
	"ContractedCost":     {"Decimal", false, nil},
	"EffectiveCost":      {"Decimal", false, nil},
	"InvoiceIssuerName":  {"String", false, nil},
	"ListCost":           {"Decimal", false, nil},
	"PricingQuantity":    {"Decimal", true, nil},
	"PricingUnit":        {"String", true, nil},
	"ProviderName":       {"String", false, nil},
	"PublisherName":      {"String", false, nil},
	"ServiceCategory": {"String", false, []string{"AI and Machine Learning", "Analytics", "Business Applications", "Compute",
		"Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance",
		"Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other"}},
	"ServiceName": {"String", false, nil},
}

var (
	// NumericFormat: an integer, a decimal or E notation with no "+", no
	// comma, no unit.
	numericFormat = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?$`)
	// DateTimeFormat: YYYY-MM-DDTHH:mm:ssZ, in UTC.
	dateTimeFormat = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`)
	// CurrencyFormat: an ISO 4217 code.
	currencyFormat = regexp.MustCompile(`^[A-Z]{3}$`)
	// ColumnHandling: Pascal case, alphanumeric; custom columns x_ first.
	focusName  = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	customName = regexp.MustCompile(`^x_[A-Z][A-Za-z0-9]*$`)
)

// focusLines are a month of the emulator's lines and lines at the edges:
// RFC 3339 with another offset, an exponent, a credit, a service outside
// the category table, a line without a tenant, tags with and without a
// value, names with commas, quotes and line breaks.
func focusLines(t *testing.T) []fptapi.BillLine {
	t.Helper()
	d := emulator.Generate(emulator.Config{Seed: 1, LinesPerDay: 40})
	lines := d.BillLines("2024-09-01", "2024-09-30")
	str := func(s string) *string { return &s }
	num := func(s string) *json.Number { n := json.Number(s); return &n }
	lines = append(lines,
		fptapi.BillLine{Day: "2024-09-30", StartTime: "2024-09-30T20:30:00Z", Service: "Instance", Name: `web "01", east`,
			TenantName: str("tenant-hanoi"), TotalPrice: "1.5000", Tag: str("team:payments:core")},
		fptapi.BillLine{Day: "2024-09-15", StartTime: "2024-09-15 08:00:00", Service: "Container Registry", Name: "reg\nline",
			TotalPrice: "1E3", Tag: str("production"), RunningTime: num("2.5e-1")},
		fptapi.BillLine{Day: "2024-09-16", StartTime: "2024-09-16 00:00:00", Service: "Storage", Name: "refund",
			TenantName: str(""), TotalPrice: "-2500.75", Tag: str("")},
	)
	return lines
}

func focusRows(t *testing.T, lines []fptapi.BillLine, s billing.FocusSettings) [][]*string {
	t.Helper()
	rows := make([][]*string, 0, len(lines))
	for i := range lines {
		values, err := billing.RecordValues(&lines[i], record.BillLine)
		if err != nil {
			t.Fatal(err)
		}
		row, err := billing.FocusRow(values, &s)
		if err != nil {
			t.Fatalf("line %d (%s): %v", i, lines[i].Name, err)
		}
		rows = append(rows, row)
	}
	return rows
}

var plus7 = time.FixedZone("+07:00", 7*3600)

// TestFocusConformance checks every row of focusLines against FOCUS 1.2's
// rules: every Mandatory column present under its exact name, null only
// where allowed, each value in its format and among the allowed values,
// and the rules between columns that apply to a provider without price
// lists.
func TestFocusConformance(t *testing.T) {
	cols := billing.FocusColumns
	index := map[string]int{}
	customSeen := false
	for i, c := range cols {
		if _, dup := index[c.Name]; dup {
			t.Errorf("column %s twice", c.Name)
		}
		index[c.Name] = i
		switch {
		case customName.MatchString(c.Name):
			customSeen = true
		case focusName.MatchString(c.Name):
			if customSeen {
				t.Errorf("FOCUS column %s after a custom column", c.Name)
			}
			if _, ok := focusSpec[c.Name]; !ok && c.Name != "Tags" {
				t.Errorf("column %s is neither a FOCUS 1.2 Mandatory column, Tags, nor prefixed x_", c.Name)
			}
		default:
			t.Errorf("column name %q breaks FOCUS's column naming", c.Name)
		}
	}
	if len(focusSpec) != 21 {
		t.Fatalf("FOCUS 1.2 has 21 Mandatory columns, the test lists %d", len(focusSpec))
	}
	for name, spec := range focusSpec {
		i, ok := index[name]
		if !ok {
			t.Errorf("Mandatory column %s is missing", name)
			continue
		}
		if c := cols[i]; string(c.Type) != spec.typ || c.Nullable != spec.nullable || !c.Mandatory {
			t.Errorf("%s: type %s, nullable %v, mandatory %v; FOCUS 1.2 says %s, nullable %v, mandatory", name, c.Type, c.Nullable, c.Mandatory, spec.typ, spec.nullable)
		}
	}
	for _, x := range []string{"x_VpcName", "x_PoolName", "x_OrgName", "x_TenantName", "x_Day", "x_Name", "x_Tag", "x_RunningTime"} {
		if _, ok := index[x]; !ok {
			t.Errorf("no column %s for the bill line's field", x)
		}
	}

	lines := focusLines(t)
	rows := focusRows(t, lines, billing.FocusSettings{Location: plus7, Currency: "VND", BillingAccountID: "tenant-configured"})
	get := func(row []*string, name string) *string { return row[index[name]] }
	for r, row := range rows {
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("row %d (%s %s): "+format, append([]any{r, lines[r].Day, lines[r].Name}, args...)...)
		}
		for _, c := range cols {
			v := get(row, c.Name)
			spec, mandatory := focusSpec[c.Name]
			if v == nil {
				if mandatory && !spec.nullable || !c.Nullable {
					fail("%s is null", c.Name)
				}
				continue
			}
			typ := string(c.Type)
			if mandatory {
				typ = spec.typ
			}
			switch typ {
			case "Decimal":
				if !numericFormat.MatchString(*v) {
					fail("%s = %q is not NumericFormat", c.Name, *v)
				}
			case "Date/Time":
				if !dateTimeFormat.MatchString(*v) {
					fail("%s = %q is not DateTimeFormat", c.Name, *v)
				}
			case "JSON":
				var obj map[string]any
				if err := json.Unmarshal([]byte(*v), &obj); err != nil {
					fail("%s = %q is not a JSON object: %v", c.Name, *v, err)
				}
				for k, val := range obj {
					switch val.(type) {
					case string, float64, bool, nil:
					default:
						fail("%s: key %q holds a %T; KeyValueFormat allows scalars only", c.Name, k, val)
					}
				}
			}
			if mandatory && spec.allowed != nil && !slices.Contains(spec.allowed, *v) {
				fail("%s = %q is not an allowed value", c.Name, *v)
			}
		}
		// Rules between columns.
		if v := get(row, "BillingCurrency"); !currencyFormat.MatchString(*v) {
			fail("BillingCurrency %q", *v)
		}
		category, class := *get(row, "ChargeCategory"), get(row, "ChargeClass")
		if (category == "Usage" || category == "Purchase") && class == nil && get(row, "PricingQuantity") == nil {
			fail("PricingQuantity is null on a %s charge that is no correction", category)
		}
		if (get(row, "PricingQuantity") == nil) != (get(row, "PricingUnit") == nil) {
			fail("PricingUnit must be null exactly when PricingQuantity is")
		}
		// No ListUnitPrice or ContractedUnitPrice: the costs match BilledCost.
		billed := *get(row, "BilledCost")
		for _, c := range []string{"ListCost", "ContractedCost", "EffectiveCost"} {
			if *get(row, c) != billed {
				fail("%s %s differs from BilledCost %s", c, *get(row, c), billed)
			}
		}
		for _, p := range [][2]string{{"ChargePeriodStart", "ChargePeriodEnd"}, {"BillingPeriodStart", "BillingPeriodEnd"}} {
			if *get(row, p[0]) >= *get(row, p[1]) {
				fail("%s %s is not before %s %s", p[0], *get(row, p[0]), p[1], *get(row, p[1]))
			}
		}
		if want := lines[r].Service; *get(row, "ServiceName") != want {
			fail("ServiceName %q, want %q", *get(row, "ServiceName"), want)
		}
	}
	if n := len(rows); n < 1000 {
		t.Errorf("only %d rows: the emulator's month should give more", n)
	}

	// The edge lines, exactly.
	edge := rows[len(rows)-3:]
	for _, tc := range []struct {
		row          []*string
		column, want string
	}{
		{edge[0], "ChargePeriodStart", "2024-09-30T20:30:00Z"},
		{edge[0], "ChargePeriodEnd", "2024-10-01T17:00:00Z"}, // the next midnight at +07:00 after 03:30 on 10-01
		{edge[0], "BillingPeriodStart", "2024-08-31T17:00:00Z"},
		{edge[0], "BillingPeriodEnd", "2024-09-30T17:00:00Z"},
		{edge[0], "BilledCost", "1.5000"}, // every digit
		{edge[0], "Tags", `{"team":"payments:core"}`},
		{edge[0], "x_Tag", "team:payments:core"},
		{edge[0], "ChargeDescription", `Instance: web "01", east`},
		{edge[0], "BillingAccountId", "tenant-hanoi"},
		{edge[1], "BilledCost", "1000"},
		{edge[1], "x_RunningTime", "0.25"},
		{edge[1], "ServiceCategory", "Other"},
		{edge[1], "Tags", `{"production":true}`},
		{edge[1], "BillingAccountId", "tenant-configured"},
		{edge[1], "ChargePeriodStart", "2024-09-15T01:00:00Z"},
		{edge[1], "ChargePeriodEnd", "2024-09-15T17:00:00Z"},
		{edge[2], "BilledCost", "-2500.75"},
		{edge[2], "ChargeCategory", "Usage"},
		{edge[2], "BillingAccountId", "tenant-configured"}, // an empty tenant_name is none
	} {
		if got := tc.row[index[tc.column]]; got == nil || *got != tc.want {
			t.Errorf("%s of %s = %v, want %q", tc.column, *tc.row[index["x_Name"]], got, tc.want)
		}
	}
	if edge[2][index["Tags"]] != nil {
		t.Errorf("an empty tag gives Tags %q, want null", *edge[2][index["Tags"]])
	}

	// Without a tenant anywhere, the row cannot have a BillingAccountId.
	values, err := billing.RecordValues(&lines[len(lines)-2], record.BillLine)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := billing.FocusRow(values, &billing.FocusSettings{Location: plus7, Currency: "VND"}); err == nil ||
		!strings.Contains(err.Error(), "tenant_name") {
		t.Errorf("a line without a tenant and no configured one: %v", err)
	}
}

// TestFocusServiceCategories: every service the emulated tenant is billed
// for has a category of its own in the table, each an allowed value.
func TestFocusServiceCategories(t *testing.T) {
	d := emulator.Generate(emulator.Config{Seed: 1})
	for _, st := range d.ServiceTypes {
		if c, ok := billing.FocusServiceCategories[st.Name]; !ok {
			t.Errorf("service %q has no ServiceCategory in the table", st.Name)
		} else if !slices.Contains(focusSpec["ServiceCategory"].allowed, c) {
			t.Errorf("service %q: %q is no ServiceCategory of FOCUS 1.2", st.Name, c)
		}
	}
}

// TestFocusCSVSumsExactly writes the CSV and reads it back: the header
// names every column, each record has every field, and BilledCost sums to
// the aggregator's total of the same lines to the last digit.
func TestFocusCSVSumsExactly(t *testing.T) {
	lines := focusLines(t)
	var buf bytes.Buffer
	fw, err := billing.NewFocusWriter(&buf, billing.FocusSettings{Location: plus7, Currency: "VND", BillingAccountID: "tenant-configured"})
	if err != nil {
		t.Fatal(err)
	}
	agg, err := billing.NewAggregator(billing.Day, plus7, "2024-09-01", "2024-09-30")
	if err != nil {
		t.Fatal(err)
	}
	for i := range lines {
		values, err := billing.RecordValues(&lines[i], record.BillLine)
		if err != nil {
			t.Fatal(err)
		}
		if err := fw.Write(values); err != nil {
			t.Fatal(err)
		}
		start, err := billing.ParseLineTime(lines[i].StartTime, plus7)
		if err != nil {
			t.Fatal(err)
		}
		agg.Add(&billing.Line{Day: lines[i].Day, Start: start, Service: lines[i].Service, Name: lines[i].Name,
			Price: billing.MustParseMoney(lines[i].TotalPrice.String())})
	}
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(lines)+1 {
		t.Fatalf("%d records for %d lines and a header", len(records), len(lines))
	}
	var names []string
	for _, c := range billing.FocusColumns {
		names = append(names, c.Name)
	}
	if !slices.Equal(records[0], names) {
		t.Errorf("header %v, want %v", records[0], names)
	}
	col := slices.Index(records[0], "BilledCost")
	var sum billing.Money
	for _, rec := range records[1:] {
		m, err := billing.ParseMoney(rec[col])
		if err != nil {
			t.Fatal(err)
		}
		sum = sum.Add(m)
	}
	total := agg.Summary().Total
	if sum.Cmp(total) != 0 || sum.String() != total.String() {
		t.Errorf("BilledCost sums to %s, the lines' total is %s", sum, total)
	}
	if !strings.Contains(text, ",\"reg\nline\",") {
		t.Error("a name with a line break is not quoted in the CSV")
	}
}
