// Package bills is the read pipeline of fptcloud_bills without Terraform:
// it fetches the lines of a range (from the API client, or through the day
// cache in front of it), starts again when the data moves under the read,
// filters the lines, hands them to billing's aggregator, and sorts the
// lines it keeps; and, for the resource statements, the start time window
// and the statements kept in it with their totals.
// The provider maps its results to the state.
//
// It imports no terraform-plugin-* package: it logs through Logger, which
// the provider implements with tflog.
package bills

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Logger receives the pipeline's log lines.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Info(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
	// With returns ctx with a field that the lines logged with it carry.
	With(ctx context.Context, key string, value any) context.Context
}

// Source is where Read takes bill lines from: the API client, or the day
// cache in front of it.
type Source interface {
	Bills(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error
}

// Query is one read of fptcloud_bills, with every default applied.
type Query struct {
	From, To                 string
	Location                 *time.Location
	Services, VPCNames, Tags []string
	Period                   billing.Period
	IncludeItems             bool
	MaxItems                 int64
	PageSize                 int // 0: the API's largest
}

// Result is what a read found.
type Result struct {
	Summary billing.Summary
	Items   []fptapi.BillLine // when IncludeItems: the matching lines, sorted
	Mode    fptapi.BillMode
}

// TooManyItemsError is a read with items that matches more than MaxItems lines.
type TooManyItemsError struct {
	Max, Count int64
	From, To   string
}

func (e *TooManyItemsError) Error() string {
	return fmt.Sprintf("%d bill lines match %s..%s, more than max_items = %d. Narrow the range (from/to or range) or the filters "+
		"(services, vpc_names, tags), set include_items = false to keep only the totals, or raise max_items.", e.Count, e.From, e.To, e.Max)
}

// BadLineError is a line the provider cannot use.
type BadLineError struct {
	Line  *fptapi.BillLine
	Where string // the page or day it came in, when known
	Err   error
}

func (e *BadLineError) Error() string {
	where := ""
	if e.Where != "" {
		where = " (" + e.Where + ")"
	}
	return fmt.Sprintf("The bill line of %s for %s %q%s cannot be used: %s. The API answered with data this provider does "+
		"not understand; report it to FPT Cloud support.", e.Line.Day, e.Line.Service, e.Line.Name, where, e.Err)
}

// Read fetches the lines of q from source (the API client, or the day
// cache in front of it), filters them and sums them. It is the whole of a
// read but the Terraform types.
func Read(ctx context.Context, source Source, q Query, log Logger) (*Result, error) {
	agg, err := billing.NewAggregator(q.Period, q.Location, q.From, q.To)
	if err != nil {
		return nil, err
	}
	filter := billing.NewFilter(q.Services, q.VPCNames, q.Tags)
	// Pages are fetched by several goroutines at once, and tflog rewrites
	// the fields of its context while masking secrets: every goroutine that
	// logs gets a context (and fields) of its own.
	logCtx := log.With(ctx, "bills_range", q.From+".."+q.To)
	api := fptapi.BillQuery{From: q.From, To: q.To, PageSize: q.PageSize,
		WorkerContext: func(ctx context.Context, unit int) context.Context {
			return log.With(ctx, "bills_unit", unit)
		},
	}
	// A single service or VPC is also asked of the API, to fetch less; the
	// filter above applies either way.
	if len(q.Services) == 1 {
		api.Service = q.Services[0]
	}
	if len(q.VPCNames) == 1 && q.VPCNames[0] != billing.NoneKey {
		api.VPCName = q.VPCNames[0]
	}

	result := &Result{}
	// The matching lines, and the start time of each for the sort.
	var items []fptapi.BillLine
	var starts []time.Time
	// The data moved during the read, which starts again: what was summed
	// so far is dropped, so that the result is one snapshot.
	api.Reset = func() {
		agg, _ = billing.NewAggregator(q.Period, q.Location, q.From, q.To) // the same arguments succeeded above
		items, starts = nil, nil
	}
	started := time.Now()
	err = source.Bills(ctx, api, func(page fptapi.BillPage) error {
		result.Mode = page.Mode
		logPage(logCtx, log, page, started)
		for i := range page.Lines {
			apiLine := &page.Lines[i]
			line, err := billingLine(apiLine, q.Location)
			if err != nil {
				return &BadLineError{Line: apiLine, Where: pageName(page, i), Err: err}
			}
			if !filter.Match(&line) {
				continue
			}
			agg.Add(&line)
			// Past max_items the lines are still counted, not kept, so
			// that the error can say how many match.
			if q.IncludeItems && int64(len(items)) < q.MaxItems {
				items = append(items, *apiLine)
				starts = append(starts, line.Start)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	summary := agg.Summary()
	if q.IncludeItems && summary.Count > q.MaxItems {
		return nil, &TooManyItemsError{Max: q.MaxItems, Count: summary.Count, From: q.From, To: q.To}
	}
	// A stable order, the same from either endpoint.
	if q.IncludeItems {
		sortLines(items, starts)
		result.Items = items
		if result.Items == nil {
			result.Items = []fptapi.BillLine{} // an empty list, not null
		}
	}
	result.Summary = summary
	return result, nil
}

// logPage reports the progress of long reads.
func logPage(ctx context.Context, log Logger, page fptapi.BillPage, started time.Time) {
	fields := map[string]any{
		"mode": string(page.Mode), "lines": len(page.Lines), "from_cache": page.FromCache,
		"elapsed_ms": time.Since(started).Milliseconds(),
	}
	unit := "page"
	if page.Mode == fptapi.ModeByDate {
		unit, fields["day"] = "day", page.Day
	}
	msg := fmt.Sprintf("fetched %s %d of %d", unit, page.Number, page.Of)
	if page.Of > 1 && (page.Number == 1 || page.Number == page.Of || page.Number%10 == 0) {
		log.Info(ctx, msg, fields)
		return
	}
	log.Debug(ctx, msg, fields)
}

// pageName says where line i of page came from.
func pageName(page fptapi.BillPage, i int) string {
	if page.Mode == fptapi.ModeByDate {
		return fmt.Sprintf("line %d of GET %s?search_date=%s", i+1, fptapi.BillsEndpoint, page.Day)
	}
	return fmt.Sprintf("line %d of page %d of POST %s", i+1, page.Number, fptapi.BillsEndpoint)
}

// billingLine is what the aggregation needs of an API line.
func billingLine(l *fptapi.BillLine, loc *time.Location) (billing.Line, error) {
	price, err := billing.ParseMoney(l.TotalPrice.String())
	if err != nil {
		return billing.Line{}, fmt.Errorf("total_price: %w", err)
	}
	start, err := billing.ParseLineTime(l.StartTime, loc)
	if err != nil {
		return billing.Line{}, err
	}
	return billing.Line{Day: l.Day, Start: start, Service: l.Service, VPC: l.VPCName, Tag: l.Tag, Name: l.Name, Price: price}, nil
}

// sortLines sorts lines by day, start time, service and name, stably, so
// that both endpoints give the same order. starts[i] is the start time of
// lines[i]. The lines are sorted through an index and moved in place, not
// copied: a read with items holds them once.
func sortLines(lines []fptapi.BillLine, starts []time.Time) {
	order := make([]int32, len(lines))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		la, lb := &lines[a], &lines[b]
		return cmp.Or(strings.Compare(la.Day, lb.Day), starts[a].Compare(starts[b]),
			strings.Compare(la.Service, lb.Service), strings.Compare(la.Name, lb.Name))
	})
	// Put lines[order[i]] at i, one cycle of the permutation at a time.
	for i := range order {
		if order[i] < 0 {
			continue
		}
		first := lines[i]
		j := i
		for {
			k := int(order[j])
			order[j] = -1
			if k == i {
				lines[j] = first
				break
			}
			lines[j] = lines[k]
			j = k
		}
	}
}

// CacheKey names everything that shapes a result without items.
func (q Query) CacheKey() string {
	list := func(values []string) string { return fmt.Sprintf("%q", values) }
	return strings.Join([]string{
		q.From, q.To, q.Location.String(), string(q.Period),
		list(q.Services), list(q.VPCNames), list(q.Tags), strconv.Itoa(q.PageSize),
	}, "|")
}
