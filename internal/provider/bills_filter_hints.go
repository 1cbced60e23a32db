package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
)

// filterHintNote ends the description of fptcloud_bills' filters.
func filterHintNote(what string) string {
	const tail = " gets a warning (not an error) that names the closest ones, since it adds 0 to the totals."
	switch what {
	case "service":
		return " Names are case-sensitive. A value that matches no line of the range and that FPT Cloud bills no service of " +
			"(by `fptcloud_bill_service_types`, then read once per plan)" + tail +
			" A service that FPT Cloud bills but that has no line in the range gets none: its 0 is true." +
			" One value is sent to the API, which answers with that service's lines only (fewer pages, in a read of its own); " +
			"two or more are applied by the provider to the lines of the whole range, a read that data sources over the same " +
			"days share."
	case "VPC":
		return fmt.Sprintf(" Names are case-sensitive. A value that matches no line and is the %[1]s of no line of the range "+
			"(the range then read once per plan without filters)"+tail+" `%[2]q` never does."+
			" One value other than `%[2]q` is sent to the API, which answers with that VPC's lines only (fewer pages, in a read "+
			"of its own); others are applied by the provider to the lines of the whole range, a read that data sources over "+
			"the same days share.", what, billing.NoneKey)
	default:
		return fmt.Sprintf(" Names are case-sensitive. A value that matches no line and is the %[1]s of no line of the range "+
			"(the range then read once per plan without filters)"+tail+" `%[2]q` never does."+
			" Applied by the provider to the lines of the whole range (the API has no %[1]s filter), a read that data sources "+
			"over the same days share.", what, billing.NoneKey)
	}
}

// filterHint is how one filter of fptcloud_bills speaks of its values.
type filterHint struct {
	attribute string // services, vpc_names, tags
	what      string // service, VPC, tag
	matched   func(*billing.Summary) map[string]billing.Money
	noLine    string // "is for this service"
	noKnown   string // "FPT Cloud bills no service of that name"
}

var filterHints = []filterHint{
	{attribute: "services", what: "service", matched: func(s *billing.Summary) map[string]billing.Money { return s.ByService },
		noLine: "is for this service", noKnown: "FPT Cloud bills no service of that name"},
	{attribute: "vpc_names", what: "VPC", matched: func(s *billing.Summary) map[string]billing.Money { return s.ByVPC },
		noLine: "is in this VPC", noKnown: "no line of the range is in a VPC of that name"},
	{attribute: "tags", what: "tag", matched: func(s *billing.Summary) map[string]billing.Money { return s.ByTag },
		noLine: "has this tag", noKnown: "no line of the range has a tag of that name"},
}

// addFilterHints warns of each filter value of q that matched no line of
// result and is no known value: most often a typo (`instance` for
// `Instance`) that would make the totals 0 and a budget check pass. The
// known services are read (once per plan) only when a service matched
// nothing, the range's VPCs and tags (one read without filters or items,
// shared like any other) only when a VPC or a tag did. A hint never fails
// the read: when its own read fails, it is logged and left out.
func (p *providerData) addFilterHints(ctx context.Context, q bills.Query, result *bills.Result, asError bool, diags *diag.Diagnostics) {
	values := map[string][]string{"services": q.Services, "vpc_names": q.VPCNames, "tags": q.Tags}
	var unfiltered *bills.Result // the range without filters, read at most once
	for _, h := range filterHints {
		var unmatched []string
		for _, v := range values[h.attribute] {
			if _, ok := h.matched(&result.Summary)[v]; !ok && v != billing.NoneKey && !slices.Contains(unmatched, v) {
				unmatched = append(unmatched, v)
			}
		}
		if len(unmatched) == 0 {
			continue
		}
		var known []string
		if h.attribute == "services" {
			serviceTypes, err := p.client.ServiceTypes(ctx)
			if err != nil {
				tflog.Warn(ctx, "cannot read the service types to check the services filter", map[string]any{"error": err.Error()})
				continue
			}
			for _, st := range serviceTypes {
				known = append(known, st.Name)
			}
		} else {
			if unfiltered == nil {
				all := bills.Query{From: q.From, To: q.To, Location: q.Location, Period: q.Period, PageSize: q.PageSize}
				var err error
				if unfiltered, err = p.bills(tflog.SetField(ctx, "bills_filter_hints", h.attribute), all); err != nil {
					tflog.Warn(ctx, "cannot read the range without filters to check its filters", map[string]any{"error": err.Error()})
					return
				}
			}
			if unfiltered.Summary.Count == 0 {
				continue // no line at all: nothing to tell a typo from
			}
			for k := range h.matched(&unfiltered.Summary) {
				if k != billing.NoneKey {
					known = append(known, k)
				}
			}
			slices.Sort(known)
		}
		for _, v := range unmatched {
			if !slices.Contains(known, v) {
				h.warn(diags, asError, v, q.From, q.To, known)
			}
		}
	}
}

// warn adds the warning of value, which matched nothing and is not known.
func (h filterHint) warn(diags *diag.Diagnostics, asError bool, value, from, to string, known []string) {
	detail := fmt.Sprintf("%s = %q: no bill line of %s..%s %s, and %s.", h.attribute, value, from, to, h.noLine, h.noKnown)
	suggestions := billing.Suggest(value, known)
	switch {
	case len(suggestions) == 1 && strings.EqualFold(suggestions[0], value):
		detail += fmt.Sprintf(" Did you mean %q? Names are case-sensitive.", suggestions[0])
	case len(suggestions) > 0:
		detail += " Did you mean " + orList(suggestions) + "?"
	case len(known) == 0:
		detail += fmt.Sprintf(" No %s is known.", h.what)
	default:
		detail += fmt.Sprintf(" No known %s is close to it; the known ones are %s.", h.what, someOf(known, 10))
	}
	detail += " A value that matches nothing adds 0 to the totals, so a budget check over them passes whatever the spend."
	addUnmatched(diags, asError, h.attribute, fmt.Sprintf("No bill line matches %s = %q", h.attribute, value), detail)
}

// orList quotes values as `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
func orList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// someOf quotes the first n of values, saying how many there are in all
// when it leaves some out.
func someOf(values []string, n int) string {
	quoted := make([]string, 0, min(n, len(values)))
	for _, v := range values[:min(n, len(values))] {
		quoted = append(quoted, fmt.Sprintf("%q", v))
	}
	s := strings.Join(quoted, ", ")
	if len(values) > n {
		s += fmt.Sprintf(", … (%d in all)", len(values))
	}
	return s
}
