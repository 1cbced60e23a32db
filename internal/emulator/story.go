package emulator

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// The story the emulated account tells, the same on every day of the year,
// so that the demo's budget checks mean the same whatever the date:
//
//   - Usage follows a weekly rhythm: a Saturday or Sunday line costs 40% of
//     what the same line costs on a weekday.
//   - The account grows: each month's usage costs monthlyGrowth (130%) of
//     the month before. Amounts are laid out around the month of the clock
//     when the data were generated (that month at 100%), so the month under
//     way always has the same level, whatever the date.
//   - On the 1st of every month at 00:00 (+07:00), Object Storage bills a
//     monthly fee of monthlyFeeVND (at that month's level): a spike of that
//     service's day, and most of the month's spend.
//
// With the defaults (40 lines a day) an ordinary weekday costs about
// 600,000 VND, a month's usage about 16 million VND, and the month under
// way about 196 million VND with its fee.
const (
	monthlyFeeService = "Object Storage"
	monthlyFeeVND     = 180_000_000
	monthlyGrowth     = 1.3
	weekendShare      = 0.4
)

// monthIndex counts months: year*12 + month-1.
type monthIndex int

func monthOf(t time.Time) monthIndex { return monthIndex(t.Year()*12 + int(t.Month()) - 1) }

// level is the factor of the growth story for the month of date: 1 for
// the month the data are anchored on, monthlyGrowth for the month after,
// 1/monthlyGrowth for the month before. Months more than three years away
// keep the level of the third year, so amounts stay in a useful range.
func (b *Bills) level(date time.Time) float64 {
	k := max(-36, min(36, int(monthOf(date)-b.anchor)))
	f := 1.0
	for ; k > 0; k-- {
		f *= monthlyGrowth
	}
	for ; k < 0; k++ {
		f /= monthlyGrowth
	}
	return f
}

// scale applies the story to price (in 1/10000 VND) of a line of date: the
// month's level, and the weekend's share. The result is a whole number of
// 1/10000 VND, so the served amount is an exact decimal.
func (b *Bills) scale(price int64, date time.Time) int64 {
	f := b.level(date)
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		f *= weekendShare
	}
	return int64(float64(price) * f)
}

// monthlyFee is line 0 of the 1st of a month: Object Storage's monthly
// fee, billed at 00:00.
func (b *Bills) monthlyFee(date time.Time) fptapi.BillLine {
	r := b.fee
	price := int64(float64(monthlyFeeVND) * 10000 * b.level(date))
	return fptapi.BillLine{
		OrgName: r.org, TenantName: r.tenant, VPCName: r.vpc, PoolName: r.pool,
		Day: date.Format(time.DateOnly), StartTime: date.Format(time.DateTime), Service: r.service, Name: r.name,
		RunningTime: num("720.00"),
		TotalPrice:  json.Number(fmt.Sprintf("%d.%04d", price/10000, price%10000)),
		Tag:         r.tag,
	}
}

// generated is how many of date's generated lines have started by the
// clock's now: all of them for a day before today, none after today, and
// today those whose start (minute i*24*60/LinesPerDay) is not after now.
func (b *Bills) generated(date time.Time) int {
	now := b.now().In(APITimeZone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case date.Before(today):
		return b.LinesPerDay
	case date.After(today):
		return 0
	}
	minute := now.Hour()*60 + now.Minute()
	// Line i starts at minute i*1440/n (rounded down): i*1440/n <= minute
	// holds exactly for i <= ((minute+1)*n - 1) / 1440.
	return min(b.LinesPerDay, ((minute+1)*b.LinesPerDay-1)/(24*60)+1)
}

// started reports whether an extra line has started by the clock's now. A
// line whose start cannot be read (tests serve bad values on purpose) is
// served as long as its day has begun.
func (b *Bills) started(l *fptapi.BillLine) bool {
	now := b.now().In(APITimeZone)
	if l.Day > now.Format(time.DateOnly) {
		return false
	}
	start, err := time.ParseInLocation(time.DateTime, l.StartTime, APITimeZone)
	if err != nil {
		if start, err = time.Parse(time.RFC3339, l.StartTime); err != nil {
			return true
		}
	}
	return !start.After(now)
}
