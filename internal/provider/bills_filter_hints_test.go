package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// readWithDiagnostics reads fptcloud_bills over 2024-09-10..2024-09-12
// without items, with the given filters, and returns its diagnostics;
// it fails on an error.
func (c *protocolClient) readWithDiagnostics(filters map[string][]string) []*tfprotov6.Diagnostic {
	c.tb.Helper()
	args := map[string]tftypes.Value{
		"from":          tftypes.NewValue(tftypes.String, "2024-09-10"),
		"to":            tftypes.NewValue(tftypes.String, "2024-09-12"),
		"include_items": tftypes.NewValue(tftypes.Bool, false),
	}
	for name, values := range filters {
		elems := make([]tftypes.Value, len(values))
		for i, v := range values {
			elems[i] = tftypes.NewValue(tftypes.String, v)
		}
		args[name] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
	}
	resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: "fptcloud_bills", Config: objectValue(c.tb, c.schemas["fptcloud_bills"].ValueType(), args),
	})
	if err != nil {
		c.tb.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			c.tb.Fatalf("fptcloud_bills: %s: %s", d.Summary, d.Detail)
		}
	}
	return resp.Diagnostics
}

// wantHint is one expected warning: on attribute, its summary, and parts
// its detail holds.
type wantHint struct {
	attribute, summary string
	detail             []string
}

func checkHints(t *testing.T, got []*tfprotov6.Diagnostic, want ...wantHint) {
	t.Helper()
	if len(got) != len(want) {
		for _, d := range got {
			t.Logf("%s: %s", d.Summary, d.Detail)
		}
		t.Fatalf("%d diagnostics, want %d", len(got), len(want))
	}
	for i, w := range want {
		d := got[i]
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Errorf("diagnostic %d: severity %v, want a warning", i, d.Severity)
		}
		if wantPath := tftypes.NewAttributePath().WithAttributeName(w.attribute); !d.Attribute.Equal(wantPath) {
			t.Errorf("diagnostic %d: on %v, want %v", i, d.Attribute, wantPath)
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

// TestAccBills_filterHints: a filter value that matches no line and no known
// value gets a warning naming the closest known values; a matching value or
// a known one without lines gets none.
func TestAccBills_filterHints(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	// A service FPT Cloud bills for, but not this tenant.
	env.Emulator.Data.ServiceTypes = append(env.Emulator.Data.ServiceTypes, fptapi.ServiceType{Code: "VPN", Name: "VPN Gateway"})
	c := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	const consequence = "A value that matches nothing adds 0 to the totals, so a budget check over them passes whatever the spend."

	t.Run("matching values", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{
			"services": {"Instance", "Storage"}, "vpc_names": {"prod-vpc", "(none)"}, "tags": {"env:prod", "(none)"},
		}))
	})
	t.Run("service in the wrong case", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{"services": {"instance"}}), wantHint{
			attribute: "services", summary: `No bill line matches services = "instance"`,
			detail: []string{`services = "instance": no bill line of 2024-09-10..2024-09-12 is for this service, ` +
				`and FPT Cloud bills no service of that name. Did you mean "Instance"? Names are case-sensitive. ` + consequence},
		})
	})
	t.Run("unknown services", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{"services": {"Instance", "Databse", "Compute", "Databse"}}),
			wantHint{attribute: "services", summary: `No bill line matches services = "Databse"`,
				detail: []string{`FPT Cloud bills no service of that name. Did you mean "Database"? ` + consequence}},
			wantHint{attribute: "services", summary: `No bill line matches services = "Compute"`,
				detail: []string{`No known service is close to it; the known ones are "Instance", "Storage", "Floating IP"`, `"VPN Gateway".`}},
		)
	})
	t.Run("known service without lines", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{"services": {"VPN Gateway", "Instance"}}))
	})
	t.Run("VPC typo", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{"vpc_names": {"prod-vcp", "vpc-du-lieu", "prod-vpc"}}),
			wantHint{attribute: "vpc_names", summary: `No bill line matches vpc_names = "prod-vcp"`,
				detail: []string{`vpc_names = "prod-vcp": no bill line of 2024-09-10..2024-09-12 is in this VPC, ` +
					`and no line of the range is in a VPC of that name. Did you mean "prod-vpc"? ` + consequence}},
			wantHint{attribute: "vpc_names", summary: `No bill line matches vpc_names = "vpc-du-lieu"`,
				detail: []string{`Did you mean "vpc-dữ-liệu"?`}},
		)
	})
	t.Run("tag typo", func(t *testing.T) {
		checkHints(t, c.readWithDiagnostics(map[string][]string{"tags": {"Env:Prod", "dự-án:alfa"}}),
			wantHint{attribute: "tags", summary: `No bill line matches tags = "Env:Prod"`,
				detail: []string{`tags = "Env:Prod": no bill line of 2024-09-10..2024-09-12 has this tag, ` +
					`and no line of the range has a tag of that name. Did you mean "env:prod"? Names are case-sensitive.`}},
			wantHint{attribute: "tags", summary: `No bill line matches tags = "dự-án:alfa"`,
				detail: []string{`Did you mean "dự-án:alpha"?`}},
		)
	})
}

// TestAccBills_filterHintReads: the reads behind the hints are made only
// when a value matched nothing, and once per plan: the service types for
// a service, the range without filters for a VPC or a tag.
func TestAccBills_filterHintReads(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	serviceTypes := func() int64 { return env.Emulator.RequestsOf("GET", fptapi.ServiceTypesEndpoint) }
	billReads := func() int64 { return env.Emulator.Requests(fptapi.BillsEndpoint) }
	// costOf is how many bills requests a read of c with filters makes.
	costOf := func(c *protocolClient, filters map[string][]string) int64 {
		t.Helper()
		before := billReads()
		c.readWithDiagnostics(filters)
		return billReads() - before
	}

	// Values that all match: no service types, and the range without
	// filters is still to read afterwards. (One service and one VPC go to
	// the API as its own filters, so the read without filters is another
	// request.)
	matching := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	checkHints(t, matching.readWithDiagnostics(map[string][]string{"services": {"Instance"}, "vpc_names": {"prod-vpc"}, "tags": {"env:prod"}}))
	if n := serviceTypes(); n != 0 {
		t.Errorf("%d reads of the service types after matching values, want none", n)
	}
	unfiltered := costOf(matching, nil)
	if unfiltered == 0 {
		t.Fatal("the read without filters after matching values made no request: the hints read the range")
	}

	// A VPC that matches nothing: the range is read without filters, once;
	// the tags' hints and a read without filters share that read.
	typo := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	if len(typo.readWithDiagnostics(map[string][]string{"vpc_names": {"prod-vcp"}})) != 1 {
		t.Error("no warning for vpc_names = [\"prod-vcp\"]")
	}
	if got := costOf(typo, map[string][]string{"tags": {"env:Prod"}}); got != 0 {
		t.Errorf("the tags' read after the VPC's hint made %d requests, want 0", got)
	}
	if got := costOf(typo, nil); got != 0 {
		t.Errorf("the read without filters after the VPC's hint made %d requests, want 0: the hint read the range once", got)
	}
	if n := serviceTypes(); n != 0 {
		t.Errorf("%d reads of the service types for VPCs and tags, want none", n)
	}

	// Services that match nothing: the service types are read once a plan.
	typo.readWithDiagnostics(map[string][]string{"services": {"instance"}})
	typo.readWithDiagnostics(map[string][]string{"services": {"Instance", "Storag"}})
	if n := serviceTypes(); n != 1 {
		t.Errorf("%d reads of the service types, want 1", n)
	}
}

// TestAccBills_filterHintPlanSucceeds: a typo warns, it does not fail the
// plan, and the totals it gives are 0.
func TestAccBills_filterHintPlanSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bills" "typo" {
  from          = "2024-09-01"
  to            = "2024-09-20"
  services      = ["instance"]
  include_items = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.typo", tfjsonpath.New("item_count"), knownvalue.Int64Exact(0)),
			},
		}},
	})
	if n := env.Emulator.RequestsOf("GET", fptapi.ServiceTypesEndpoint); n == 0 {
		t.Error("the typo's plan read no service types")
	}
}
