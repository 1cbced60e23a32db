package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// keptStatement is a statement that goes into the state, with its amount
// parsed (hasAmount false when the API sent none).
type keptStatement struct {
	fptapi.Statement
	amount    billing.Money
	hasAmount bool
}

// statementFields write a statement as an object of
// fptcloud_resource_statements' statements, exactly as statementModel and
// the framework would, with times in loc.
func statementFields(loc *time.Location) []fastlist.Field[keptStatement] {
	instant := func(l *fastlist.ObjectList, name string, sec *int64) {
		text, ok := unixText(sec, loc)
		if !ok {
			l.Null(name)
			return
		}
		l.String(name, text)
	}
	return []fastlist.Field[keptStatement]{
		{Name: "id", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { l.String(n, s.ID) }},
		{Name: "resource_id", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { l.String(n, s.ResourceID) }},
		{Name: "resource_type", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { l.String(n, s.ResourceType) }},
		{Name: "status", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { l.String(n, s.Status) }},
		{Name: "type", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { l.String(n, s.Type) }},
		{Name: "amount", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) {
			if !s.hasAmount {
				l.Null(n)
				return
			}
			l.Number(n, s.amount.String())
		}},
		{Name: "started_time", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { instant(l, n, s.StartedTime) }},
		{Name: "due_time", Write: func(l *fastlist.ObjectList, n string, s *keptStatement) { instant(l, n, s.DueTime) }},
	}
}

// setStatements puts the statements into the state: encoded by the
// provider through its protocol server (fastlist.Server), as models for the
// framework otherwise. Both give the same state.
func setStatements(ctx context.Context, model *resourceStatementsModel, kept []keptStatement, loc *time.Location) error {
	if fastlist.Accepts(ctx) {
		encoded, err := fastlist.EncodeList(kept, statementFields(loc), 160*len(kept))
		if err != nil {
			return err
		}
		model.Statements = nil // written by the server in place of this null
		fastlist.Offer(ctx, "statements", encoded)
		return nil
	}
	model.Statements = make([]statementModel, 0, len(kept))
	for _, st := range kept {
		item := statementModel{
			ID:           types.StringValue(st.ID),
			ResourceID:   types.StringValue(st.ResourceID),
			ResourceType: types.StringValue(st.ResourceType),
			Status:       types.StringValue(st.Status),
			Type:         types.StringValue(st.Type),
			Amount:       types.NumberNull(),
			StartedTime:  unixTime(st.StartedTime, loc),
			DueTime:      unixTime(st.DueTime, loc),
		}
		if st.hasAmount {
			item.Amount = types.NumberValue(st.amount.BigFloat())
		}
		model.Statements = append(model.Statements, item)
	}
	return nil
}
