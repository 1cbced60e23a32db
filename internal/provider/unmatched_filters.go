package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The values of unmatched_filters.
const (
	unmatchedWarn  = "warn"
	unmatchedError = "error"
)

// unmatchedFiltersAttribute is the unmatched_filters argument of a data
// source whose filters are named by what.
func unmatchedFiltersAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("What a value of %s that matches nothing and is no known value gives: `%s` (the "+
			"default) a warning, `%s` an error that fails the plan, naming the attribute and the closest known values. "+
			"A scripted run (an export, a CI job) that must not write zeros and exit 0 sets `%s`, for example from a "+
			"variable: `unmatched_filters = var.strict ? \"error\" : \"warn\"` with `TF_VAR_strict=true` in the script. "+
			"A known value that matches nothing in the range is never refused: its 0 is true.",
			what, unmatchedWarn, unmatchedError, unmatchedError),
		Optional:   true,
		Validators: []validator.String{oneOf(unmatchedWarn, unmatchedError)},
	}
}

// unmatchedIsError reports whether unmatched_filters asks for errors.
func unmatchedIsError(v types.String) bool { return v.ValueString() == unmatchedError }

// addUnmatched adds the diagnostic of a filter value that matches nothing:
// a warning, or an error when asError.
func addUnmatched(diags *diag.Diagnostics, asError bool, attribute, summary, detail string) {
	if asError {
		diags.AddAttributeError(path.Root(attribute), summary,
			detail+" unmatched_filters = \"error\" makes this an error; fix the value, or remove it.")
		return
	}
	diags.AddAttributeWarning(path.Root(attribute), summary, detail)
}

// warnSingleDay warns that fptcloud_bills read one day: from without to
// (nor range) is the single day from, which early in a month can look like
// the whole month so far.
func warnSingleDay(diags *diag.Diagnostics, from string) {
	diags.AddAttributeWarning(path.Root("to"), "Only "+from+" is read",
		fmt.Sprintf("from = %q without to reads the single day %s. For a longer range set to (its last day, inclusive) "+
			"or use range, such as range = \"month_to_date\"; to read one day on purpose, set to = %q too, which "+
			"silences this warning.", from, from, from))
}

// statementShortcut is one of fptcloud_resource_statements' filters by a
// field's value, with the values the API's documents name.
type statementShortcut struct {
	attribute  string
	documented []string
	value      func(*resourceStatementsModel) types.String
	field      func(fptapi.Statement) string
	noun       string // "resource type"
}

var statementShortcuts = []statementShortcut{
	{attribute: fptapi.FieldResourceType, documented: []string{"vm", "volume"}, noun: "resource type",
		value: func(m *resourceStatementsModel) types.String { return m.ResourceType },
		field: func(s fptapi.Statement) string { return s.ResourceType }},
	{attribute: fptapi.FieldStatus, documented: []string{"paid", "unpaid"}, noun: "status",
		value: func(m *resourceStatementsModel) types.String { return m.Status },
		field: func(s fptapi.Statement) string { return s.Status }},
	{attribute: fptapi.FieldType, documented: []string{"lease_fee"}, noun: "type",
		value: func(m *resourceStatementsModel) types.String { return m.Type },
		field: func(s fptapi.Statement) string { return s.Type }},
}

// statementHintMaxItems bounds the read of known values: past it, only the
// documented values are known.
const statementHintMaxItems = 10000

// addStatementHints tells of each of resource_type, status and type whose
// value is no known value, when the read found no statement: most often a
// typo (`unpiad`) that gives an empty list and a total of 0. The known
// values are the documented ones and those of the window's statements,
// read once (without the other filters) only then.
func (p *providerData) addStatementHints(ctx context.Context, model *resourceStatementsModel, window bills.StartWindow, found int, diags *diag.Diagnostics) {
	if found > 0 {
		return
	}
	var set []statementShortcut
	for _, s := range statementShortcuts {
		if v := s.value(model); !v.IsNull() && !v.IsUnknown() && !slices.Contains(s.documented, v.ValueString()) {
			set = append(set, s)
		}
	}
	if len(set) == 0 {
		return
	}
	var seen []fptapi.Statement
	list, err := p.client.ResourceStatements(ctx, fptapi.StatementsQuery{Filters: window.Filters(),
		PageSize: fptapi.MaxStatementsPageSize, MaxItems: statementHintMaxItems})
	if err != nil {
		tflog.Warn(ctx, "cannot read the statements' values to check resource_type, status and type", map[string]any{"error": err.Error()})
	} else {
		seen = list.Statements
	}
	asError := unmatchedIsError(model.UnmatchedFilters)
	for _, s := range set {
		known := slices.Clone(s.documented)
		for _, st := range seen {
			if v := s.field(st); v != "" && !slices.Contains(known, v) {
				known = append(known, v)
			}
		}
		value := s.value(model).ValueString()
		if slices.Contains(known, value) {
			continue
		}
		slices.Sort(known)
		detail := fmt.Sprintf("%s = %q: no resource statement has this %s, and it is not one the API documents or "+
			"sends: the known ones are %s.", s.attribute, value, s.noun, someOf(known, 10))
		if suggestions := billing.Suggest(value, known); len(suggestions) > 0 {
			detail += " Did you mean " + orList(suggestions) + "?"
		}
		detail += " A value that matches nothing gives no statements and a total_amount of 0."
		addUnmatched(diags, asError, s.attribute, fmt.Sprintf("No resource statement matches %s = %q", s.attribute, value), detail)
	}
}
