package billing

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
)

// FOCUS is the FinOps Foundation's FinOps Open Cost and Usage
// Specification. This file turns bill lines into rows of FOCUS 1.2: the 21
// columns that version makes Mandatory, Tags, and one x_ column per other
// field of the bill line's field table (record.BillLine). FocusColumns is
// the one list of the columns; the CSV header, the rows and the guide's
// table all loop over it.

// FocusVersion is the version of FOCUS the rows conform to.
const FocusVersion = "1.2"

// FocusProviderName is ProviderName, PublisherName and InvoiceIssuerName:
// FPT Cloud makes the services available, publishes them and invoices them.
const FocusProviderName = "FPT Cloud"

// FocusPricingUnit is PricingUnit: FPT Cloud publishes no price list, and a
// bill line carries no single priced quantity, so each line is priced as
// one charge (PricingQuantity 1).
const FocusPricingUnit = "Charge"

// FocusType is a column's data type in FOCUS.
type FocusType string

// The FOCUS data types the columns use.
const (
	FocusString   FocusType = "String"
	FocusDecimal  FocusType = "Decimal"
	FocusDateTime FocusType = "Date/Time"
	FocusKeyValue FocusType = "JSON" // a key-value object, serialized (KeyValueFormat)
)

// FocusColumn is one column of the rows.
type FocusColumn struct {
	Name string // the column ID, as in the CSV header
	Type FocusType
	// Mandatory: a column FOCUS 1.2 requires in every dataset. Otherwise it
	// is Conditional (Tags) or a custom x_ column.
	Mandatory bool
	Nullable  bool     // whether a row may hold null
	Allowed   []string // the values FOCUS allows, nil for any
	Rule      string   // how the column is filled, in Markdown
	value     func(*focusLine) (*string, error)
}

// FocusServiceCategories maps FPT Cloud's service names (those of
// fptcloud_bill_service_types) to FOCUS's ServiceCategory. A service not
// listed is "Other", as FOCUS asks when no category fits.
var FocusServiceCategories = map[string]string{
	"Instance":       "Compute",
	"Kubernetes":     "Compute",
	"Storage":        "Storage",
	"Object Storage": "Storage",
	"Backup":         "Storage",
	"Database":       "Databases",
	"Load Balancer":  "Networking",
	"Floating IP":    "Networking",
}

// FocusServiceCategoryValues are ServiceCategory's allowed values in FOCUS 1.2.
var FocusServiceCategoryValues = []string{
	"AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools",
	"Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media",
	"Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other",
}

// FocusSettings are what a row needs beyond its bill line.
type FocusSettings struct {
	// Location is the account's time zone: start_time without an offset is
	// read in it, and the billing period is its calendar month.
	Location *time.Location
	Currency string // BillingCurrency, "VND"
	// BillingAccountID is the BillingAccountId of a line without a
	// tenant_name (the provider's tenant_name); "" for none, which makes
	// such a line an error.
	BillingAccountID string
}

// focusLine is one bill line being turned into a row.
type focusLine struct {
	values []*string // in the order of record.BillLine
	price  Money
	start  time.Time
	day    time.Time // the line's day, at midnight in the location
	s      *FocusSettings
}

func (l *focusLine) field(json string) *string { return l.values[billLineIndex[json]] }

// billLineIndex is each field's position in record.BillLine, by JSON name.
var billLineIndex = func() map[string]int {
	m := make(map[string]int, len(record.BillLine))
	for i, f := range record.BillLine {
		m[f.JSON] = i
	}
	return m
}()

// The fields that FOCUS columns carry whole, so that they have no x_ column.
var focusMappedFields = map[string]string{
	"total_price": "BilledCost",
	"service":     "ServiceName",
	"start_time":  "ChargePeriodStart",
}

func constant(v string) func(*focusLine) (*string, error) {
	return func(*focusLine) (*string, error) { return &v, nil }
}

func null(*focusLine) (*string, error) { return nil, nil }

func timeText(t time.Time) *string {
	s := t.UTC().Format("2006-01-02T15:04:05Z")
	return &s
}

// plainDecimal is a number as FOCUS's NumericFormat writes it without an
// exponent.
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// decimalText is the API's number text when it is a plain decimal (every
// digit, trailing zeros too), else the exact value without an exponent.
func decimalText(text string) (string, error) {
	if plainDecimal.MatchString(text) {
		return text, nil
	}
	m, err := ParseMoney(text)
	if err != nil {
		return "", err
	}
	return m.String(), nil
}

func billedCost(l *focusLine) (*string, error) {
	text, err := decimalText(*l.field("total_price"))
	return &text, err
}

// focusColumns are the FOCUS columns, in the specification's (alphabetical)
// order, then Tags.
var focusColumns = []FocusColumn{
	{Name: "BilledCost", Type: FocusDecimal, Mandatory: true, value: billedCost,
		Rule: "`total_price`, every digit as the API sent it (an exponent written out)."},
	{Name: "BillingAccountId", Type: FocusString, Mandatory: true, value: billingAccount,
		Rule: "The line's `tenant_name`, or the provider's `tenant_name` when the line has none (the read fails when neither is set)."},
	{Name: "BillingAccountName", Type: FocusString, Mandatory: true, Nullable: true, value: billingAccount,
		Rule: "As `BillingAccountId`: FPT Cloud names a tenant by its name."},
	{Name: "BillingCurrency", Type: FocusString, Mandatory: true, value: func(l *focusLine) (*string, error) { return &l.s.Currency, nil },
		Rule: "`VND`, the currency of every amount of the API."},
	{Name: "BillingPeriodEnd", Type: FocusDateTime, Mandatory: true,
		value: func(l *focusLine) (*string, error) { return timeText(l.day.AddDate(0, 1, 1-l.day.Day())), nil },
		Rule:  "The 1st of the month after the line's `day`, 00:00 in the provider's `time_zone`, in UTC: the month's exclusive end."},
	{Name: "BillingPeriodStart", Type: FocusDateTime, Mandatory: true,
		value: func(l *focusLine) (*string, error) { return timeText(l.day.AddDate(0, 0, 1-l.day.Day())), nil },
		Rule:  "The 1st of the line's `day`'s month, 00:00 in the provider's `time_zone`, in UTC."},
	{Name: "ChargeCategory", Type: FocusString, Mandatory: true, Allowed: []string{"Usage", "Purchase", "Tax", "Credit", "Adjustment"},
		value: constant("Usage"),
		Rule:  "`Usage` on every line: a line is what one resource cost over a billed interval, a monthly fee included; the API marks no purchase, tax, credit or adjustment."},
	{Name: "ChargeClass", Type: FocusString, Mandatory: true, Nullable: true, Allowed: []string{"Correction"}, value: null,
		Rule: "Null: the API marks no line as a correction of an invoiced month."},
	{Name: "ChargeDescription", Type: FocusString, Mandatory: true, Nullable: true,
		value: func(l *focusLine) (*string, error) {
			s := *l.field("service") + ": " + *l.field("name")
			return &s, nil
		},
		Rule: "`service` and `name`, such as `Instance: web-01`."},
	{Name: "ChargePeriodEnd", Type: FocusDateTime, Mandatory: true,
		value: func(l *focusLine) (*string, error) {
			d := l.start.In(l.s.Location)
			return timeText(time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, l.s.Location)), nil
		},
		Rule: "The next midnight after `start_time` in the provider's `time_zone`, in UTC (exclusive). The API states no end of a line's interval, and `running_time` no unit, so the interval is closed at the end of its day."},
	{Name: "ChargePeriodStart", Type: FocusDateTime, Mandatory: true,
		value: func(l *focusLine) (*string, error) { return timeText(l.start), nil },
		Rule:  "`start_time` (read in the provider's `time_zone` when it has no offset), in UTC."},
	{Name: "ContractedCost", Type: FocusDecimal, Mandatory: true, value: billedCost,
		Rule: "`BilledCost`: FPT Cloud publishes no contracted unit prices, and FOCUS asks for BilledCost then."},
	{Name: "EffectiveCost", Type: FocusDecimal, Mandatory: true, value: billedCost,
		Rule: "`BilledCost`: the API shows no prepaid purchase to amortize."},
	{Name: "InvoiceIssuerName", Type: FocusString, Mandatory: true, value: constant(FocusProviderName),
		Rule: "`FPT Cloud`."},
	{Name: "ListCost", Type: FocusDecimal, Mandatory: true, value: billedCost,
		Rule: "`BilledCost`: FPT Cloud publishes no list prices, and FOCUS asks for BilledCost then."},
	{Name: "PricingQuantity", Type: FocusDecimal, Mandatory: true, Nullable: true, value: constant("1"),
		Rule: "`1`: a line carries several quantities (`cpu_quantity`, `ram_quantity`, ...) and no single priced one, so each line is one charge."},
	{Name: "PricingUnit", Type: FocusString, Mandatory: true, Nullable: true, value: constant(FocusPricingUnit),
		Rule: "`Charge`, the count unit of `PricingQuantity`."},
	{Name: "ProviderName", Type: FocusString, Mandatory: true, value: constant(FocusProviderName),
		Rule: "`FPT Cloud`."},
	{Name: "PublisherName", Type: FocusString, Mandatory: true, value: constant(FocusProviderName),
		Rule: "`FPT Cloud`."},
	{Name: "ServiceCategory", Type: FocusString, Mandatory: true, Allowed: FocusServiceCategoryValues,
		value: func(l *focusLine) (*string, error) {
			c, ok := FocusServiceCategories[*l.field("service")]
			if !ok {
				c = "Other"
			}
			return &c, nil
		},
		Rule: "From `service` by the table below; `Other` for a service not in it."},
	{Name: "ServiceName", Type: FocusString, Mandatory: true,
		value: func(l *focusLine) (*string, error) { return l.field("service"), nil },
		Rule:  "`service`."},
	{Name: "Tags", Type: FocusKeyValue, Nullable: true, value: focusTags,
		Rule: "`tag` as a JSON object: `key:value` becomes `{\"key\":\"value\"}`, a tag without a colon `{\"tag\":true}` (a key without a value); null when the line has no tag."},
}

// FocusColumns lists every column of the rows, in order: the FOCUS
// columns, then an x_ column for each field of the bill line that no
// FOCUS column carries whole.
var FocusColumns = func() []FocusColumn {
	cols := append([]FocusColumn(nil), focusColumns...)
	for i, f := range record.BillLine {
		if _, ok := focusMappedFields[f.JSON]; ok {
			continue
		}
		col := FocusColumn{Name: "x_" + pascalCase(f.JSON), Type: FocusString, Nullable: f.Kind != record.String,
			Rule: fmt.Sprintf("`%s` as the API sent it.", f.JSON)}
		index := i
		col.value = func(l *focusLine) (*string, error) { return l.values[index], nil }
		if f.Kind == record.Number || f.Kind == record.OptNumber {
			col.Type = FocusDecimal
			col.Rule = fmt.Sprintf("`%s`, every digit as the API sent it.", f.JSON)
			col.value = func(l *focusLine) (*string, error) {
				v := l.values[index]
				if v == nil {
					return nil, nil
				}
				text, err := decimalText(*v)
				return &text, err
			}
		}
		cols = append(cols, col)
	}
	return cols
}()

// pascalCase writes a snake_case name in Pascal case: vpc_name is VpcName.
func pascalCase(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func billingAccount(l *focusLine) (*string, error) {
	if t := l.field("tenant_name"); t != nil && *t != "" {
		return t, nil
	}
	if l.s.BillingAccountID != "" {
		return &l.s.BillingAccountID, nil
	}
	return nil, fmt.Errorf("the line %q of %s has no tenant_name, and no tenant_name is configured for the billing account: set the provider's tenant_name",
		*l.field("name"), *l.field("day"))
}

func focusTags(l *focusLine) (*string, error) {
	tag := l.field("tag")
	if tag == nil || *tag == "" {
		return nil, nil
	}
	var obj map[string]any
	if key, value, ok := strings.Cut(*tag, ":"); ok && key != "" && value != "" {
		obj = map[string]any{key: value}
	} else {
		obj = map[string]any{*tag: true}
	}
	text, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	s := string(text)
	return &s, nil
}

// FocusRow is the row of one bill line: a value per column of FocusColumns,
// nil for null. values are the line's fields in the order of
// record.BillLine (RecordValues reads them), nil for null.
func FocusRow(values []*string, s *FocusSettings) ([]*string, error) {
	if len(values) != len(record.BillLine) {
		return nil, fmt.Errorf("a bill line of %d fields, want %d", len(values), len(record.BillLine))
	}
	l := focusLine{values: values, s: s}
	for _, f := range []string{"total_price", "service", "start_time", "day", "name"} {
		if l.field(f) == nil {
			return nil, fmt.Errorf("a bill line without %s", f)
		}
	}
	var err error
	if l.price, err = ParseMoney(*l.field("total_price")); err != nil {
		return nil, fmt.Errorf("total_price of %q: %w", *l.field("name"), err)
	}
	if l.start, err = ParseLineTime(*l.field("start_time"), s.Location); err != nil {
		return nil, fmt.Errorf("line %q: %w", *l.field("name"), err)
	}
	day, err := ParseDate(*l.field("day"))
	if err != nil {
		return nil, fmt.Errorf("day of %q: %w", *l.field("name"), err)
	}
	l.day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.Location)
	row := make([]*string, len(FocusColumns))
	for i := range FocusColumns {
		if row[i], err = FocusColumns[i].value(&l); err != nil {
			return nil, fmt.Errorf("%s: %w", FocusColumns[i].Name, err)
		}
	}
	return row, nil
}

// FocusWriter writes rows as CSV (RFC 4180, UTF-8, a header row of the
// column names; null is an empty field).
type FocusWriter struct {
	w      *csv.Writer
	s      FocusSettings
	fields []string
}

// NewFocusWriter writes the header to w.
func NewFocusWriter(w io.Writer, s FocusSettings) (*FocusWriter, error) {
	fw := &FocusWriter{w: csv.NewWriter(w), s: s, fields: make([]string, len(FocusColumns))}
	for i, c := range FocusColumns {
		fw.fields[i] = c.Name
	}
	if err := fw.w.Write(fw.fields); err != nil {
		return nil, err
	}
	return fw, nil
}

// Write writes the row of one bill line (its fields as FocusRow takes them).
func (fw *FocusWriter) Write(values []*string) error {
	row, err := FocusRow(values, &fw.s)
	if err != nil {
		return err
	}
	for i, v := range row {
		fw.fields[i] = ""
		if v != nil {
			fw.fields[i] = *v
		}
	}
	return fw.w.Write(fw.fields)
}

// Flush writes what is buffered and reports any error of the writes.
func (fw *FocusWriter) Flush() error {
	fw.w.Flush()
	return fw.w.Error()
}

// RecordValues reads the fields of a record struct (or a pointer to one)
// in the order of table, by their Go names: strings and string-based
// types (such as json.Number) as their text, pointers to them as nil or
// their text.
func RecordValues(v any, table []record.Field) ([]*string, error) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("a record must be a struct, not %s", rv.Kind())
	}
	out := make([]*string, len(table))
	for i, f := range table {
		fv := rv.FieldByName(f.Go)
		if !fv.IsValid() {
			return nil, fmt.Errorf("%s has no field %s", rv.Type(), f.Go)
		}
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		if fv.Kind() != reflect.String {
			return nil, fmt.Errorf("field %s of %s is a %s, not text", f.Go, rv.Type(), fv.Kind())
		}
		s := fv.String()
		out[i] = &s
	}
	return out, nil
}

// FocusColumnsMarkdown is the table of the columns for the guide: each
// column's name, type, whether it may be null, and how it is filled; then
// the table of service categories.
func FocusColumnsMarkdown() string {
	var b strings.Builder
	b.WriteString("| Column | FOCUS 1.2 | Type | Null allowed | Filled with |\n| :-- | :-- | :-- | :-- | :-- |\n")
	for _, c := range FocusColumns {
		level := "Custom"
		switch {
		case c.Mandatory:
			level = "Mandatory"
		case !strings.HasPrefix(c.Name, "x_"):
			level = "Conditional"
		}
		null := "no"
		if c.Nullable {
			null = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.Name, level, c.Type, null, c.Rule)
	}
	b.WriteString("\n| FPT Cloud service | ServiceCategory |\n| :-- | :-- |\n")
	names := make([]string, 0, len(FocusServiceCategories))
	for name := range FocusServiceCategories {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(&b, "| %s | %s |\n", name, FocusServiceCategories[name])
	}
	b.WriteString("| any other | Other |\n")
	return b.String()
}
