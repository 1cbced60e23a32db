package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
)

// statementItemType is the type of an object of
// fptcloud_resource_statements' statements.
var statementItemType = types.ObjectType{AttrTypes: statementItemAttributeTypes}

// keptStatement is a statement that goes into the state (package bills
// keeps them).
type keptStatement = bills.KeptStatement

// writeInstant writes Unix seconds as RFC 3339 in loc, or null.
func writeInstant(l *fastlist.ObjectList, name string, sec *int64, loc *time.Location) {
	text, ok := unixText(sec, loc)
	if !ok {
		l.Null(name)
		return
	}
	l.String(name, text)
}

// writeAmount writes the parsed amount of s, or null.
func writeAmount(l *fastlist.ObjectList, name string, s *keptStatement) {
	if !s.HasAmount {
		l.Null(name)
		return
	}
	l.Number(name, s.Money.String())
}

// setStatements puts the statements into the state, encoded by the
// provider through its protocol server (fastlist.Server).
func setStatements(ctx context.Context, model *resourceStatementsModel, kept []keptStatement, loc *time.Location) error {
	model.Statements = types.ListNull(statementItemType) // written by the server in place of this null
	if !fastlist.Accepts(ctx) {
		if listsByReflection.statements == nil {
			return errWithoutServer
		}
		list, err := listsByReflection.statements(ctx, kept, loc)
		model.Statements = list
		return err
	}
	encoded, err := fastlist.EncodeList(kept, statementFields(loc), 160*len(kept))
	if err != nil {
		return err
	}
	fastlist.Offer(ctx, "statements", encoded)
	return nil
}
