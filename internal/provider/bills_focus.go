package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
)

// billsFocusAttributes are fptcloud_bills's FOCUS export: the switch and
// the CSV.
func billsFocusAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"include_focus_csv": schema.BoolAttribute{
			MarkdownDescription: "Whether to write `focus_csv`. Defaults to `false`. It reads the lines as `include_items` does " +
				"(and `max_items` applies), but keeps them in the state only as the CSV: with `include_items = false` the state " +
				"holds the CSV and not the list.",
			Optional: true,
		},
		"focus_csv": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("The matching bill lines as FOCUS %s rows (the FinOps Foundation's cost and usage format), "+
				"a CSV text (RFC 4180, UTF-8, a header row, an empty field for null), in the order of `items`: the 21 Mandatory "+
				"columns of FOCUS %s under their exact names, `Tags`, and an `x_` column for every other field of a bill line "+
				"(`x_VpcName`, `x_PoolName`, ...). Amounts keep every digit; times are UTC (`2024-09-01T03:00:00Z`), ends exclusive. "+
				"`csvdecode(...)` gives the rows as maps. The guide \"FOCUS export\" lists the columns and how each is filled. "+
				"Null unless `include_focus_csv` is true.", billing.FocusVersion, billing.FocusVersion),
			Computed: true,
		},
	}
}

// focusCSV writes lines as FOCUS CSV, in the provider's time zone, with
// the provider's tenant_name for lines without one.
func (p *providerData) focusCSV(lines []fptapi.BillLine) (string, error) {
	var b strings.Builder
	fw, err := billing.NewFocusWriter(&b, billing.FocusSettings{Location: p.location, Currency: billsCurrency, BillingAccountID: p.tenantName})
	if err != nil {
		return "", err
	}
	for i := range lines {
		values, err := billing.RecordValues(&lines[i], record.BillLine)
		if err != nil {
			return "", err
		}
		if err := fw.Write(values); err != nil {
			return "", err
		}
	}
	if err := fw.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}
