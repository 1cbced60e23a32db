package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// TestAccBills_reportBudget gives the report a budget: over the month so
// far it leads with the spend and the forecast and shows both as shares
// of the budget; over a year that is over, with period = "month", it
// draws 12 bars and shows no forecast. (TestAccBadInput_dataSources
// refuses a budget of 0.)
func TestAccBills_reportBudget(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{LinesPerDay: 4})
	month := expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-20"), nil)
	spent := sumOf(t, month.prices)
	budget := billing.MustParseMoney("400000000")
	if spent.Cmp(budget) >= 0 {
		t.Fatalf("the month so far (%s) is not under the budget: the test does not exercise \"left\"", spent)
	}
	spentText, err := billing.Format(spent, "VND")
	if err != nil {
		t.Fatal(err)
	}
	year := expectLines(env.Emulator.Data.BillLines("2023-09-01", "2024-08-31"), nil)
	yearTotal := sumOf(t, year.prices)
	yearBudget := billing.MustParseMoney("1000")
	yearText, err := billing.Format(yearTotal, "VND")
	if err != nil {
		t.Fatal(err)
	}

	config := env.providerBlock("") + fmt.Sprintf(`
data "fptcloud_bills" "month" {
  range         = "month_to_date"
  include_items = false
  report = {
    budget = %s
  }
}

data "fptcloud_bills" "year" {
  from          = "2023-09-01"
  to            = "2024-08-31"
  period        = "month"
  include_items = false
  report = {
    budget         = %s
    max_characters = 2000
  }
}
`, budget, yearBudget)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("summary_markdown"), containsAll{
					"### FPT Cloud spend, 2024-09-01..2024-09-20\n\n**" + spentText + "** spent from 2024-09-01 to 2024-09-20, forecast **",
					fmt.Sprintf("- **Budget:** 400,000,000 VND; spent %s (%s left); forecast ",
						shareOf(t, spent, budget), shareOf(t, budget.Sub(spent), budget)),
					"| Service | Amount | Share | Forecast | Forecast share |\n",
				}),
				statecheck.ExpectKnownValue("data.fptcloud_bills.month", tfjsonpath.New("summary_markdown"),
					knownvalue.StringRegexp(regexp.MustCompile(`\n- \*\*Budget:\*\* [^\n]*; forecast [0-9.]+% \((🔴 OVER|[0-9.]+% left[^\n]*)\)\n`))),
				statecheck.ExpectKnownValue("data.fptcloud_bills.year", tfjsonpath.New("summary_markdown"), containsAll{
					"**" + yearText + "** spent from 2023-09-01 to 2024-08-31, final.\n\n",
					fmt.Sprintf("- **Budget:** 1,000 VND; spent %s (🔴 OVER)\n", shareOf(t, yearTotal, yearBudget)),
				}),
				statecheck.ExpectKnownValue("data.fptcloud_bills.year", tfjsonpath.New("summary_markdown"),
					knownvalue.StringRegexp(regexp.MustCompile("\n- \\*\\*Monthly spend:\\*\\* `[▁▂▃▄▅▆▇█]{12}` \\(highest: [0-9,]+ VND in 20[0-9-]+\\)\n"))),
				statecheck.ExpectKnownValue("data.fptcloud_bills.year", tfjsonpath.New("summary_markdown"),
					knownvalue.StringRegexp(regexp.MustCompile(`^(?s:[^F]|F[^o])*$`))), // no "Forecast" anywhere
			},
		}},
	})
}
