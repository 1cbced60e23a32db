package provider

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// EnvBillsEndpoint is read when the provider block leaves bills_endpoint unset.
const EnvBillsEndpoint = "FPTCLOUD_BILLS_ENDPOINT"

// billsEndpointAttribute is the provider's bills_endpoint: which bills
// endpoint fptcloud_bills reads.
func billsEndpointAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("How `fptcloud_bills` reads bill lines. `%s` (the default) uses the paging endpoint "+
			"(`POST /v1/billing/bills`) and, where the API answers it with HTTP 404, 405, 400 or 422, reads one day at a time "+
			"instead, logging a warning with the API's message; 401, 403, 429 and 5xx never cause that fallback. `%s` uses only "+
			"the paging endpoint, whose request body is inferred rather than documented by FPT Cloud. `%s` uses only the "+
			"documented per-day endpoint (`GET /v1/billing/bills?search_date=`), one request per day of the range: set it "+
			"when the paging endpoint gives errors. Can also be set with the `%s` environment variable.",
			fptapi.ModeAuto, fptapi.ModePaging, fptapi.ModeByDate, EnvBillsEndpoint),
		Optional:   true,
		Validators: []validator.String{oneOfOrUnset(billModeNames()...)},
	}
}

func billModeNames() []string {
	names := make([]string, len(fptapi.BillModes))
	for i, m := range fptapi.BillModes {
		names[i] = string(m)
	}
	return names
}

// billsEndpoint is the configured bills endpoint, from the provider block
// or else the environment; the schema validates the first, this the second.
func billsEndpoint(v types.String) (fptapi.BillMode, error) {
	if s := v.ValueString(); s != "" {
		return fptapi.BillMode(s), nil
	}
	env := os.Getenv(EnvBillsEndpoint)
	if env == "" {
		return fptapi.ModeAuto, nil
	}
	for _, m := range fptapi.BillModes {
		if env == string(m) {
			return m, nil
		}
	}
	return "", fmt.Errorf("%s is %q; set it to one of %q, %q or %q, or unset it for %q",
		EnvBillsEndpoint, env, fptapi.ModeAuto, fptapi.ModePaging, fptapi.ModeByDate, fptapi.ModeAuto)
}
