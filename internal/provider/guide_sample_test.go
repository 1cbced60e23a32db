package provider

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// updateGuideSamples makes TestAccCLIBudgetExample_guideSample write the
// budget-checks guide's samples instead of comparing them; `make generate`
// runs it so (tools/tools.go) before rendering the docs.
var updateGuideSamples = flag.Bool("update-guide-samples", false,
	"write the budget-checks guide's samples from the demo instead of comparing them")

// guideSampleNow is the moment the guide's samples are read at: late in a
// month, so that the month over month change and the 1st's spike show,
// in the afternoon at +07:00 (the provider's default time zone and the
// emulated account's).
var guideSampleNow = time.Date(2026, time.November, 26, 15, 0, 0, 0, emulator.APITimeZone)

// The files the budget-checks guide includes (templates/guides/budget-checks.md.tmpl).
var (
	guideReportFile  = filepath.Join("..", "..", "examples", "guides", "budget-checks", "demo-report.md")
	guideHistoryFile = filepath.Join("..", "..", "examples", "guides", "budget-checks", "demo-report-history.md")
)

// TestAccCLIBudgetExample_guideSample plans the budget-check example as `make
// demo` does (the emulator's data, the demo's budget), with the emulator's
// and the provider's clocks pinned at guideSampleNow, and checks that the
// budget-checks guide's samples are its report: the whole summary_markdown,
// and its month over month line and spikes table. With
// -update-guide-samples it writes them instead, so the samples are never
// written by hand and a change of the report or of the demo's data that
// leaves them stale fails here and in CI's docs drift check.
func TestAccCLIBudgetExample_guideSample(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{Now: func() time.Time { return guideSampleNow }})
	env.Clock = clock.Fixed(guideSampleNow)
	report := &plannedOutput{name: "summary_markdown"}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:             env.providerBlock("") + budgetExampleConfig(t),
			ConfigVariables:    config.Variables{"monthly_budget": config.IntegerVariable(demoBudget)},
			ExpectNonEmptyPlan: true, // a check's scoped data source is read in every plan
			ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{report}},
		}},
	})
	history, err := reportHistory(report.value)
	if err != nil {
		t.Fatalf("%v; the guide says the demo's report shows both. The report:\n%s", err, report.value)
	}
	samples := map[string]string{guideReportFile: report.value, guideHistoryFile: history}
	for file, want := range samples {
		if *updateGuideSamples {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v: run `make generate` to write the guide's samples", err)
		}
		if string(got) != want {
			t.Errorf("%s is not the demo's report any more: run `make generate` and commit the result.\ngot:\n%s\nwant:\n%s",
				file, got, want)
		}
	}
}

// reportHistory is the part of a report that compare_to and spike_detection
// add: the line of the change against the earlier range and the spikes'
// heading and table.
func reportHistory(report string) (string, error) {
	var change string
	var spikes []string
	inSpikes := false
	for line := range strings.Lines(report) {
		switch {
		case strings.HasPrefix(line, "- **Change:**"):
			change = line
		case strings.HasPrefix(line, "#### Spikes"):
			inSpikes = true
		case inSpikes && strings.HasPrefix(line, "#"):
			inSpikes = false
		}
		if inSpikes {
			spikes = append(spikes, line)
		}
	}
	switch {
	case change == "":
		return "", fmt.Errorf("the report has no line of the change against last month")
	case len(spikes) == 0:
		return "", fmt.Errorf("the report has no spikes table")
	}
	return strings.TrimRight(change+"\n"+strings.Join(spikes, ""), "\n") + "\n", nil
}

// plannedOutput is a plan check that records the planned value of a string
// output, and fails when the plan has none.
type plannedOutput struct {
	name  string
	value string
}

func (o *plannedOutput) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan == nil || req.Plan.PlannedValues == nil || req.Plan.PlannedValues.Outputs[o.name] == nil {
		resp.Error = fmt.Errorf("the plan has no output %s", o.name)
		return
	}
	value, ok := req.Plan.PlannedValues.Outputs[o.name].Value.(string)
	if !ok || value == "" {
		resp.Error = fmt.Errorf("output %s is %#v in the plan, want a report", o.name, req.Plan.PlannedValues.Outputs[o.name].Value)
		return
	}
	o.value = value
}
