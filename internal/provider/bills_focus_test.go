package provider

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// focusCSVCheck checks a focus_csv value: the header is every column of
// billing.FocusColumns, there is one record per line, each as wide as the
// header, and BilledCost sums to total exactly.
type focusCSVCheck struct {
	lines int
	total billing.Money
}

func (c focusCSVCheck) CheckValue(v any) error {
	text, ok := v.(string)
	if !ok {
		return fmt.Errorf("focus_csv is %T, want a string", v)
	}
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		return err
	}
	var header []string
	for _, col := range billing.FocusColumns {
		header = append(header, col.Name)
	}
	if len(records) == 0 || !slices.Equal(records[0], header) {
		return fmt.Errorf("the header is not the FOCUS columns: %v", records[:min(1, len(records))])
	}
	if len(records)-1 != c.lines {
		return fmt.Errorf("%d rows for %d lines", len(records)-1, c.lines)
	}
	col := slices.Index(header, "BilledCost")
	var sum billing.Money
	for _, r := range records[1:] {
		m, err := billing.ParseMoney(r[col])
		if err != nil {
			return err
		}
		sum = sum.Add(m)
	}
	if sum.Cmp(c.total) != 0 {
		return fmt.Errorf("BilledCost sums to %s, total_price is %s", sum, c.total)
	}
	return nil
}

func (c focusCSVCheck) String() string {
	return fmt.Sprintf("FOCUS CSV of %d lines summing to %s", c.lines, c.total)
}

// TestAccBills_focusCSV reads ten days as FOCUS rows without items: the
// CSV has a row per line summing exactly to the lines' total, csvdecode
// reads it, and the list of items stays null.
func TestAccBills_focusCSV(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 20})
	lines := env.Emulator.Data.BillLines("2024-09-01", "2024-09-10")
	e := expectLines(lines, nil)
	total := sumOf(t, e.prices)
	addr := "data.fptcloud_bills.focus"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bills" "focus" {
  from              = "2024-09-01"
  to                = "2024-09-10"
  include_items     = false
  include_focus_csv = true
}

locals {
  rows = csvdecode(data.fptcloud_bills.focus.focus_csv)
}

output "row_count" {
  value = length(local.rows)
}

output "providers" {
  value = distinct([for r in local.rows : r.ProviderName])
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("focus_csv"), focusCSVCheck{lines: len(lines), total: total}),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_price"), moneyCheck(total)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("items"), knownvalue.Null()),
				statecheck.ExpectKnownOutputValue("row_count", knownvalue.Int64Exact(int64(len(lines)))),
				statecheck.ExpectKnownOutputValue("providers", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("FPT Cloud")})),
			},
		}, {
			// Without include_focus_csv, no CSV.
			Config: env.providerBlock("") + `
data "fptcloud_bills" "focus" {
  from          = "2024-09-01"
  to            = "2024-09-10"
  include_items = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("focus_csv"), knownvalue.Null()),
			},
		}},
	})
}
