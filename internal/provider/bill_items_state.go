package provider

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// billItemFields write the 23 fields of a bill line as an object of
// fptcloud_bills' items, exactly as itemModel and the framework would.
var billItemFields = []fastlist.Field[fptapi.BillLine]{
	{Name: "org_name", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.OrgName) }},
	{Name: "tenant_name", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.TenantName) }},
	{Name: "vpc_name", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.VPCName) }},
	{Name: "pool_name", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.PoolName) }},
	{Name: "day", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.String(n, b.Day) }},
	{Name: "start_time", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.String(n, b.StartTime) }},
	{Name: "service", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.String(n, b.Service) }},
	{Name: "name", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.String(n, b.Name) }},
	{Name: "attach_vm", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.AttachVM) }},
	{Name: "storage_policy", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.StoragePolicy) }},
	{Name: "machine", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.Machine) }},
	{Name: "disk", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.Disk) }},
	{Name: "disk_total", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.DiskTotal) }},
	{Name: "vcpu", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.VCPU) }},
	{Name: "vcpu_total", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.VCPUTotal) }},
	{Name: "ram", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.RAM) }},
	{Name: "ram_total", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.RAMTotal) }},
	{Name: "running_time", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.RunningTime) }},
	{Name: "total_price", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.Number(n, b.TotalPrice.String()) }},
	{Name: "disk_quantity", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.DiskQuantity) }},
	{Name: "cpu_quantity", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.CPUQuantity) }},
	{Name: "ram_quantity", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { optNumber(l, n, b.RAMQuantity) }},
	{Name: "tag", Write: func(l *fastlist.ObjectList, n string, b *fptapi.BillLine) { l.OptString(n, b.Tag) }},
}

func optNumber(l *fastlist.ObjectList, name string, v *json.Number) {
	if v == nil {
		l.Null(name)
		return
	}
	l.Number(name, v.String())
}

// setBillItems puts the lines into the items of the state. Through the
// provider's protocol server (fastlist.Server) it encodes them itself and
// leaves model.Items null for the server to fill in; otherwise it builds
// the models for the framework to set. Both give the same state.
func setBillItems(ctx context.Context, model *billsModel, lines []fptapi.BillLine) error {
	model.Items = nil
	if fastlist.Accepts(ctx) {
		// About 400 bytes a line in MessagePack.
		encoded, err := fastlist.EncodeList(lines, billItemFields, 400*len(lines))
		var itemErr *fastlist.ItemError
		if errors.As(err, &itemErr) {
			return &badLineError{line: &lines[itemErr.Index], err: itemErr.Err}
		}
		if err != nil {
			return err
		}
		fastlist.Offer(ctx, "items", encoded)
		return nil
	}
	model.Items = make([]billItemModel, 0, len(lines))
	for i := range lines {
		item, err := itemModel(&lines[i])
		if err != nil {
			return err
		}
		model.Items = append(model.Items, item)
	}
	return nil
}
