package fptapi

import (
	"context"
	"fmt"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
)

// BillQuery selects the bill lines of a date range.
type BillQuery struct {
	From, To string // YYYY-MM-DD, inclusive, in the account's days
	Service  string // optional: only lines of this service
	VPCName  string // optional: only lines of this VPC
	PageSize int    // lines per page, 1..MaxBillsPageSize; 0 means the maximum

	// WorkerContext, when set, gives each request made concurrently with
	// others (a page or a day) a context of its own, derived from ctx. A
	// logger that writes to state kept in its context needs it:
	// terraform-plugin-log rewrites its context's fields while masking.
	WorkerContext func(ctx context.Context, unit int) context.Context

	// Reset is called when the data changed during the read and the read
	// starts again from its first page, after pages were handed on: the
	// caller must forget every page it has been given. Without Reset, such
	// a read fails with the KindChanged error instead of starting again
	// (a read that has handed nothing on yet starts again either way).
	Reset func()
}

func (q BillQuery) workerContext(ctx context.Context, unit int) context.Context {
	if q.WorkerContext == nil {
		return ctx
	}
	return q.WorkerContext(ctx, unit)
}

// DaysOf lists the days of a bill query's range, from and to included.
func DaysOf(from, to string) ([]string, error) {
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("bill query: from %q is not a date (YYYY-MM-DD)", from)
	}
	end, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("bill query: to %q is not a date (YYYY-MM-DD)", to)
	}
	if end.Before(start) {
		return nil, fmt.Errorf("bill query: from %s is after to %s", from, to)
	}
	return calendar.Days(start, end), nil
}

func (q BillQuery) normalize() (BillQuery, []string, error) {
	days, err := DaysOf(q.From, q.To)
	if err != nil {
		return q, nil, err
	}
	switch {
	case q.PageSize == 0:
		q.PageSize = MaxBillsPageSize
	case q.PageSize < 0 || q.PageSize > MaxBillsPageSize:
		return q, nil, fmt.Errorf("bill query: page size %d is not between 1 and %d", q.PageSize, MaxBillsPageSize)
	}
	return q, days, nil
}

// describe names q in log lines.
func (q BillQuery) describe() string {
	return fmt.Sprintf("bills %s..%s", q.From, q.To)
}

// key identifies the answer of q: both endpoints give the same lines, and
// the page size does not change them.
func (q BillQuery) key() string {
	return fmt.Sprintf("bills %s..%s service=%q vpc_name=%q", q.From, q.To, q.Service, q.VPCName)
}

// keep reports whether line belongs to the answer of q. Both endpoints'
// lines pass through it, so the filters mean the same on both.
func (q BillQuery) keep(line *BillLine) bool {
	if q.Service != "" && line.Service != q.Service {
		return false
	}
	if q.VPCName != "" && (line.VPCName == nil || *line.VPCName != q.VPCName) {
		return false
	}
	return true
}

// BillMode says which endpoint answered, or (in Config) which one to use.
type BillMode string

// The ways to read bill lines.
const (
	ModeAuto   BillMode = "auto"    // Config only: paging, falling back to by_date where paging is refused
	ModePaging BillMode = "paging"  // POST /v1/billing/bills, page by page
	ModeByDate BillMode = "by_date" // GET /v1/billing/bills?search_date=, day by day
)

// BillModes lists the values Config.BillMode accepts.
var BillModes = []BillMode{ModeAuto, ModePaging, ModeByDate}

func (m BillMode) check() error {
	for _, known := range BillModes {
		if m == known {
			return nil
		}
	}
	return fmt.Errorf("bill mode %q is not one of %q, %q or %q", m, ModeAuto, ModePaging, ModeByDate)
}

// BillPage is one unit of a read: a page (ModePaging) or a day (ModeByDate).
// Its Lines are shared with other callers and must not be modified.
type BillPage struct {
	Mode      BillMode
	Number    int    // 1-based position among the read's pages or days
	Of        int    // how many pages or days the read has
	Day       string // ModeByDate: the day
	Lines     []BillLine
	FromCache bool // served from an earlier or concurrent identical read
}
