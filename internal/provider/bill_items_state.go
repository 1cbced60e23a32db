package provider

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// billItemType is the type of an object of fptcloud_bills' items.
var billItemType = types.ObjectType{AttrTypes: itemAttributeTypes}

func optNumber(l *fastlist.ObjectList, name string, v *json.Number) {
	if v == nil {
		l.Null(name)
		return
	}
	l.Number(name, v.String())
}

// errWithoutServer is the error of a read of a large list that does not go
// through the provider's protocol server (NewServer), which writes such
// lists into the state.
var errWithoutServer = errors.New("the provider is served without its protocol server (NewServer), which writes " +
	"the large lists into the state; this is a bug, please report it")

// listsByReflection, when set, builds the large lists through the
// framework's reflection for a read that does not go through NewServer.
// Only tests set it: they hold the fast encoders to the framework's own
// result.
var listsByReflection struct {
	billItems  func(ctx context.Context, lines []fptapi.BillLine) (types.List, error)
	statements func(ctx context.Context, kept []keptStatement, loc *time.Location) (types.List, error)
}

// setBillItems puts the lines into the items of the state. Through the
// provider's protocol server (fastlist.Server) it encodes them itself and
// leaves model.Items null for the server to fill in.
func setBillItems(ctx context.Context, model *billsModel, lines []fptapi.BillLine) error {
	model.Items = types.ListNull(billItemType)
	if !fastlist.Accepts(ctx) {
		if listsByReflection.billItems == nil {
			return errWithoutServer
		}
		items, err := listsByReflection.billItems(ctx, lines)
		model.Items = items
		return err
	}
	// About 400 bytes a line in MessagePack.
	encoded, err := fastlist.EncodeList(lines, billItemFields, 400*len(lines))
	var itemErr *fastlist.ItemError
	if errors.As(err, &itemErr) {
		return &bills.BadLineError{Line: &lines[itemErr.Index], Err: itemErr.Err}
	}
	if err != nil {
		return err
	}
	fastlist.Offer(ctx, "items", encoded)
	return nil
}
