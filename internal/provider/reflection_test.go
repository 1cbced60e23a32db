package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The framework's reflection path for the large lists: what the provider
// served without NewServer sets, and the fast encoders are held to.
func init() {
	listsByReflection.billItems = func(ctx context.Context, lines []fptapi.BillLine) (types.List, error) {
		items := make([]billItemModel, 0, len(lines))
		for i := range lines {
			item, err := itemModel(&lines[i])
			if err != nil {
				return types.ListNull(billItemType), err
			}
			items = append(items, item)
		}
		list, diags := types.ListValueFrom(ctx, billItemType, items)
		if diags.HasError() {
			return types.ListNull(billItemType), fmt.Errorf("items: %v", diags)
		}
		return list, nil
	}
	listsByReflection.statements = func(ctx context.Context, kept []keptStatement, loc *time.Location) (types.List, error) {
		items := make([]statementModel, 0, len(kept))
		for i := range kept {
			items = append(items, statementModelOf(&kept[i], loc))
		}
		list, diags := types.ListValueFrom(ctx, statementItemType, items)
		if diags.HasError() {
			return types.ListNull(statementItemType), fmt.Errorf("statements: %v", diags)
		}
		return list, nil
	}
}

func optString(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// unixTime formats Unix seconds as RFC 3339 in loc, or null.
func unixTime(sec *int64, loc *time.Location) types.String {
	text, ok := unixText(sec, loc)
	if !ok {
		return types.StringNull()
	}
	return types.StringValue(text)
}

func statementAmount(st *keptStatement) types.Number {
	if !st.HasAmount {
		return types.NumberNull()
	}
	return types.NumberValue(st.Money.BigFloat())
}

// The aggregation and the protocol encoder make Terraform numbers alike.
func TestNumberPrecisions(t *testing.T) {
	if billing.NumberPrecision != fastlist.NumberPrecision {
		t.Fatalf("billing makes numbers of %d bits, fastlist of %d", billing.NumberPrecision, fastlist.NumberPrecision)
	}
}

// numbers turns JSON number texts into Terraform numbers at the 512 bits
// of precision Terraform uses, keeping the first failure.
type numbers struct{ err error }

func (n *numbers) exact(field, text string) types.Number {
	f, err := billing.ExactFloat(text)
	if err != nil {
		if n.err == nil {
			n.err = fmt.Errorf("%s %q is not a number Terraform can hold: %w", field, text, err)
		}
		return types.NumberNull()
	}
	return types.NumberValue(f)
}

func (n *numbers) opt(field string, v *json.Number) types.Number {
	if v == nil {
		return types.NumberNull()
	}
	return n.exact(field, v.String())
}
