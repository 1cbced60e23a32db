package provider

import (
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"

	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// billSummaryEntries is how many fptcloud_bills results without items one
// provider process keeps. A result holds totals, not lines, so each is
// small whatever the range.
const billSummaryEntries = 64

// bills reads q once per provider process when it keeps no items: data
// sources over the same range and filters, read at once or one after the
// other during a plan, share one read. The client already shares reads of
// up to a few thousand lines; this covers the long ranges (year_to_date)
// whose lines it does not keep. A read with items is never cached here.
func (p *providerData) bills(ctx context.Context, q bills.Query) (*bills.Result, error) {
	if q.IncludeItems || p.billSummaries == nil {
		return readBills(ctx, p.billSource(), q)
	}
	read := false
	result, err := p.billSummaries.Do(ctx, q.CacheKey(), func(ctx context.Context) (*bills.Result, error) {
		read = true
		return readBills(ctx, p.billSource(), q)
	})
	if err == nil && !read { // read is only looked at once Do has its answer
		tflog.Debug(ctx, "bills totals shared with another read of this plan", map[string]any{"from": q.From, "to": q.To})
	}
	return result, err
}

// readBills is one read of the pipeline, logged to Terraform's log.
func readBills(ctx context.Context, source bills.Source, q bills.Query) (*bills.Result, error) {
	return bills.Read(ctx, source, q, tfLogger{})
}

// tfLogger is the pipeline's Logger on tflog.
type tfLogger struct{}

func (tfLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
func (tfLogger) Info(ctx context.Context, msg string, fields map[string]any) {
	tflog.Info(ctx, msg, fields)
}
func (tfLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}
func (tfLogger) With(ctx context.Context, key string, value any) context.Context {
	return tflog.SetField(ctx, key, value)
}
