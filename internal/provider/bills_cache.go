package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

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
func (p *providerData) bills(ctx context.Context, q billsQuery) (*billsResult, error) {
	if q.IncludeItems || p.billSummaries == nil {
		return readBills(ctx, p.billSource(), q)
	}
	read := false
	result, err := p.billSummaries.Do(ctx, q.cacheKey(), func(ctx context.Context) (*billsResult, error) {
		read = true
		return readBills(ctx, p.billSource(), q)
	})
	if err == nil && !read { // read is only looked at once Do has its answer
		tflog.Debug(ctx, "bills totals shared with another read of this plan", map[string]any{"from": q.From, "to": q.To})
	}
	return result, err
}

// cacheKey names everything that shapes a result without items.
func (q billsQuery) cacheKey() string {
	list := func(values []string) string { return fmt.Sprintf("%q", values) }
	return strings.Join([]string{
		q.From, q.To, q.Location.String(), string(q.Period),
		list(q.Services), list(q.VPCNames), list(q.Tags), strconv.Itoa(q.PageSize),
	}, "|")
}
