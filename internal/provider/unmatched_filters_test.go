package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// readDiagnostics reads the data source typeName with the string
// arguments args (a list for services, vpc_names and tags) and returns its
// diagnostics, errors included.
func (c *protocolClient) readDiagnostics(typeName string, args map[string]string) []*tfprotov6.Diagnostic {
	c.tb.Helper()
	values := map[string]tftypes.Value{}
	for name, v := range args {
		switch name {
		case "services", "vpc_names", "tags":
			values[name] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, v)})
		case "include_items":
			values[name] = tftypes.NewValue(tftypes.Bool, v == "true")
		default:
			values[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: objectValue(c.tb, c.schemas[typeName].ValueType(), values),
	})
	if err != nil {
		c.tb.Fatal(err)
	}
	return resp.Diagnostics
}

// wantDiagnostic is one expected diagnostic.
type wantDiagnostic struct {
	severity           tfprotov6.DiagnosticSeverity
	attribute, summary string
	detail             []string
}

func checkDiagnostics(t *testing.T, got []*tfprotov6.Diagnostic, want ...wantDiagnostic) {
	t.Helper()
	if len(got) != len(want) {
		for _, d := range got {
			t.Logf("%v %s: %s", d.Severity, d.Summary, d.Detail)
		}
		t.Fatalf("%d diagnostics, want %d", len(got), len(want))
	}
	for i, w := range want {
		d := got[i]
		if d.Severity != w.severity {
			t.Errorf("diagnostic %d: severity %v, want %v", i, d.Severity, w.severity)
		}
		if p := tftypes.NewAttributePath().WithAttributeName(w.attribute); !d.Attribute.Equal(p) {
			t.Errorf("diagnostic %d: on %v, want %v", i, d.Attribute, p)
		}
		if d.Summary != w.summary {
			t.Errorf("diagnostic %d: summary %q, want %q", i, d.Summary, w.summary)
		}
		for _, part := range w.detail {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("diagnostic %d: detail %q does not hold %q", i, d.Detail, part)
			}
		}
	}
}

const (
	warning = tfprotov6.DiagnosticSeverityWarning
	failure = tfprotov6.DiagnosticSeverityError
)

// TestAccBills_singleDayWarning: from without to reads one day and says
// which; to = from reads the same day without a word.
func TestAccBills_singleDayWarning(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	checkDiagnostics(t, c.readDiagnostics("fptcloud_bills", map[string]string{"from": "2024-09-01", "include_items": "false"}),
		wantDiagnostic{warning, "to", "Only 2024-09-01 is read", []string{
			`from = "2024-09-01" without to reads the single day 2024-09-01.`, `range = "month_to_date"`,
			`set to = "2024-09-01" too, which silences this warning`,
		}})
	checkDiagnostics(t, c.readDiagnostics("fptcloud_bills", map[string]string{"from": "2024-09-01", "to": "2024-09-01", "include_items": "false"}))
	checkDiagnostics(t, c.readDiagnostics("fptcloud_bills", map[string]string{"range": "today", "include_items": "false"}))
}

// TestAccBills_unmatchedFiltersError: unmatched_filters = "error" makes a
// filter value that matches nothing and is no known value fail the read,
// with the hint; "warn" and unset warn; a matching value passes either way.
func TestAccBills_unmatchedFiltersError(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	read := func(mode, attribute, value string) []*tfprotov6.Diagnostic {
		args := map[string]string{"from": "2024-09-10", "to": "2024-09-12", "include_items": "false", attribute: value}
		if mode != "" {
			args["unmatched_filters"] = mode
		}
		return c.readDiagnostics("fptcloud_bills", args)
	}
	hint := []string{`services = "instance": no bill line of 2024-09-10..2024-09-12 is for this service`, `Did you mean "Instance"?`}
	checkDiagnostics(t, read("error", "services", "instance"), wantDiagnostic{failure, "services", `No bill line matches services = "instance"`,
		append(hint, `unmatched_filters = "error" makes this an error`)})
	checkDiagnostics(t, read("error", "tags", "env:prd"), wantDiagnostic{failure, "tags", `No bill line matches tags = "env:prd"`,
		[]string{`Did you mean "env:prod"?`}})
	checkDiagnostics(t, read("warn", "services", "instance"), wantDiagnostic{warning, "services", `No bill line matches services = "instance"`, hint})
	checkDiagnostics(t, read("", "services", "instance"), wantDiagnostic{warning, "services", `No bill line matches services = "instance"`, hint})
	checkDiagnostics(t, read("error", "services", "Instance"))
}

// TestAccStatements_filterHints: a resource_type, status or type that no
// statement has and that is no documented or seen value gets a warning
// with the closest ones (an error with unmatched_filters = "error"); a
// documented value or one the statements have gets none.
func TestAccStatements_filterHints(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	read := func(args map[string]string) []*tfprotov6.Diagnostic {
		return c.readDiagnostics("fptcloud_resource_statements", args)
	}
	const consequence = "A value that matches nothing gives no statements and a total_amount of 0."
	checkDiagnostics(t, read(map[string]string{"status": "unpiad"}), wantDiagnostic{warning, "status",
		`No resource statement matches status = "unpiad"`, []string{
			`status = "unpiad": no resource statement has this status, and it is not one the API documents or sends: ` +
				`the known ones are "paid", "unpaid".`, `Did you mean "unpaid"? ` + consequence}})
	checkDiagnostics(t, read(map[string]string{"type": "lease_fe", "resource_type": "volumes"}),
		wantDiagnostic{warning, "resource_type", `No resource statement matches resource_type = "volumes"`, []string{`Did you mean "volume"?`}},
		wantDiagnostic{warning, "type", `No resource statement matches type = "lease_fe"`, []string{`Did you mean "lease_fee"?`}})
	// renewal_fee is not documented; the emulator's statements have it.
	checkDiagnostics(t, read(map[string]string{"type": "Renewal_Fee"}), wantDiagnostic{warning, "type",
		`No resource statement matches type = "Renewal_Fee"`, []string{`Did you mean "renewal_fee"?`, `"upgrade_fee"`}})
	checkDiagnostics(t, read(map[string]string{"status": "unpiad", "unmatched_filters": "error"}), wantDiagnostic{failure, "status",
		`No resource statement matches status = "unpiad"`, []string{`Did you mean "unpaid"?`, `unmatched_filters = "error"`}})
	// Known values: no hint, whether statements match or not.
	checkDiagnostics(t, read(map[string]string{"status": "unpaid", "type": "renewal_fee", "unmatched_filters": "error"}))
	checkDiagnostics(t, read(map[string]string{"status": "paid", "started_after": "2030-01-01", "unmatched_filters": "error"}))
}
