package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The reads of fptcloud_bills' history, made beside the range's own read:
// the comparison's ranges, the spike baselines and the forecast's days
// before the range.

// billsHistoryResult is what the reads of a history found.
type billsHistoryResult struct {
	Current  *bills.Result // nil: the range's own result (or no comparison)
	Earlier  *bills.Result
	Baseline []*bills.Result // one per billsHistory.Baseline range
	Forecast []*bills.Result // one per billsHistory.ForecastDays range

	// days are the first round's reads before the range, which share no
	// day: the days the spikes and the forecast look back at.
	days []historyPiece
}

// historyPiece is one range read and what it found.
type historyPiece struct {
	r   billing.DayRange
	res *bills.Result
}

// historyReadError is a failed read of a range a history needs.
type historyReadError struct {
	what string
	r    billing.DayRange
	err  error
}

func (e *historyReadError) Error() string { return fmt.Sprintf("%s %s: %v", e.what, e.r, e.err) }
func (e *historyReadError) Unwrap() error { return e.err }

// historyReads reads ranges of q without items, at the same time, through
// the provider's cache.
type historyReads struct {
	p *providerData
	q bills.Query
	g *errgroup.Group
	// ctx is g's.
	ctx context.Context
}

func (r *historyReads) read(what string, dr billing.DayRange, into **bills.Result) {
	r.g.Go(func() error {
		o := r.q
		o.From, o.To, o.IncludeItems = dr.From, dr.To, false
		res, err := r.p.bills(tflog.SetField(r.ctx, "bills_history", what), o)
		if err != nil {
			return &historyReadError{what: what, r: dr, err: err}
		}
		*into = res
		return nil
	})
}

// billsWithHistory reads q and, at the same time, the ranges h needs, each
// without items and through the provider's cache: a previous range read
// by another data source of the plan (or this one in an earlier plan step)
// costs no API call, and no day is read twice by this read. When the API
// turns out not to have billed through today, the comparison's ranges are
// planned again from what it has and read in a second round.
func (p *providerData) billsWithHistory(ctx context.Context, q bills.Query, h *billsHistory) (*bills.Result, *billsHistoryResult, error) {
	g, gctx := errgroup.WithContext(ctx)
	reads := &historyReads{p: p, q: q, g: g, ctx: gctx}
	var result *bills.Result
	g.Go(func() error {
		var err error
		result, err = p.bills(gctx, q)
		return err
	})
	history := &billsHistoryResult{
		Baseline: make([]*bills.Result, len(h.Baseline)),
		Forecast: make([]*bills.Result, len(h.ForecastDays)),
	}
	if h.Current != nil && *h.Current != h.Range {
		reads.read("the complete days of the range", *h.Current, &history.Current)
	}
	if h.Earlier != nil {
		reads.read("the previous range", *h.Earlier, &history.Earlier)
	}
	for i, r := range h.Baseline {
		reads.read("the days before the range for the spike baselines", r, &history.Baseline[i])
	}
	for i, r := range h.ForecastDays {
		reads.read("the days before the range for the forecast", r, &history.Forecast[i])
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	if h.Earlier != nil {
		history.days = append(history.days, historyPiece{*h.Earlier, history.Earlier})
	}
	for i, r := range h.Baseline {
		history.days = append(history.days, historyPiece{r, history.Baseline[i]})
	}
	for i, r := range h.ForecastDays {
		history.days = append(history.days, historyPiece{r, history.Forecast[i]})
	}
	if h.Previous == nil || !h.includesToday() {
		return result, history, nil
	}
	// The comparison as the data say it is: the same ranges, unless the
	// API has not billed through today.
	planned := [2]*billing.DayRange{h.Current, h.Earlier}
	if err := h.planComparison(h.dataThrough(result, history)); err != nil {
		return nil, nil, err
	}
	if samePlan(planned, [2]*billing.DayRange{h.Current, h.Earlier}) {
		return result, history, nil
	}
	history.Current, history.Earlier = nil, nil
	if h.Current == nil {
		return result, history, nil
	}
	g, gctx = errgroup.WithContext(ctx)
	reads = &historyReads{p: p, q: q, g: g, ctx: gctx}
	if *h.Current != h.Range {
		reads.read("the complete days of the range", *h.Current, &history.Current)
	}
	reads.read("the previous range", *h.Earlier, &history.Earlier)
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return result, history, nil
}

// samePlan reports whether two pairs of optional ranges are equal.
func samePlan(a, b [2]*billing.DayRange) bool {
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) || (a[i] != nil && *a[i] != *b[i]) {
			return false
		}
	}
	return true
}

// dataThrough is the latest day with a line in anything read for the
// range and its history, "" when none has one (see billing.LastCompleteDay).
func (h *billsHistory) dataThrough(result *bills.Result, history *billsHistoryResult) string {
	days := []string{result.Summary.LatestDay}
	for _, p := range history.days {
		days = append(days, p.res.Summary.LatestDay)
	}
	if history.Current != nil {
		days = append(days, history.Current.Summary.LatestDay)
	}
	return billing.LatestDay(days...)
}

// daily is the spend per service per day of everything read, each day
// from the one read that holds it.
func (h *billsHistory) daily(result *bills.Result, history *billsHistoryResult) billing.ServiceDays {
	daily := billing.ServiceDays{}
	daily.CopyDays(result.Summary.Daily, h.Range)
	for _, p := range history.days {
		daily.CopyDays(p.res.Summary.Daily, p.r)
	}
	return daily
}

// dailyRecurring is the recurring charges on each day of from..to, for the
// report's daily bars: only when the bars are daily (a range of at most
// billing.ReportDailyBarsDays days), from the days read for the range and
// its history (with the linear forecast, often too few to know a charge).
func dailyRecurring(h *billsHistory, result *bills.Result, history *billsHistoryResult, from, to string) (map[string]billing.Money, error) {
	f, err := billing.ParseDate(from)
	if err != nil {
		return nil, err
	}
	t, err := billing.ParseDate(to)
	if err != nil {
		return nil, err
	}
	if billing.DaysInRange(f, t) > billing.ReportDailyBarsDays {
		return nil, nil
	}
	return billing.RecurringByDay(h.daily(result, history), billing.DayRange{From: from, To: to})
}

// addHistoryError reports a failed read of a history's range; false when
// err is not one.
func addHistoryError(diags *diag.Diagnostics, err error) bool {
	var histErr *historyReadError
	if !errors.As(err, &histErr) {
		return false
	}
	var badLine *bills.BadLineError
	if errors.As(histErr.err, &badLine) {
		diags.AddError("Cannot read bills ("+fptapi.BillsEndpoint+")", badLine.Error())
		return true
	}
	addAPIError(diags, fmt.Sprintf("bills of %s, %s (%s)", histErr.what, histErr.r, fptapi.BillsEndpoint), histErr.err)
	return true
}

// forecast is forecast_total_price and its interval under method.
func (h *billsHistory) forecast(method string, result *bills.Result, history *billsHistoryResult) (billing.DayForecast, error) {
	if method == billing.ForecastMethodLinear {
		f, err := billing.Forecast(result.Summary.Total, h.Range.From, h.Range.To, h.Now, h.Loc)
		if err != nil {
			return billing.DayForecast{}, err
		}
		by, err := billing.ForecastByService(result.Summary.ByService, f, h.Range.From, h.Range.To, h.Now, h.Loc)
		return billing.DayForecast{Total: f, Low: f, High: f, Linear: true, ByService: by, LowByService: by, HighByService: by}, err
	}
	return billing.ForecastFromDays(billing.DayForecastInput{
		Services:    h.daily(result, history),
		HistoryFrom: h.ForecastFrom,
		From:        h.Range.From,
		To:          h.Range.To,
		DataThrough: h.dataThrough(result, history),
		Now:         h.Now,
		Loc:         h.Loc,
	})
}

// dayBefore is the day before day (YYYY-MM-DD, known to parse).
func dayBefore(day string) string {
	d, _ := billing.ParseDate(day)
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}
