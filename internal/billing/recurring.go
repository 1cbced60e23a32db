package billing

import (
	"math/big"
	"time"
)

// Recurring charges: a charge a service bills every month on the same day
// of the month at a similar amount, such as a monthly fee on the 1st. The
// forecast counts one still to come this month, spike detection expects it
// on its day, and a comparison reports it apart from usage. The forecasting
// guide states the same rules for users.
//
// A service's day d holds a charge when its excess over its usual day,
//
//	e(d) = x(d) − m,  m = the median of the service's RecurringBaselineDays days before d,
//
// stands out: e(d) > max(4 × 1.4826 × MAD, m / 2) (MAD the median absolute
// deviation of those days from m), and no day of those days is as much as
// e(d) / 2 above m (a service billed every few days has no single charge
// day). The charge is on the anchor of d: its day of the month k (a month
// shorter than k has it on its last day), or, when d is its month's last
// day, the anchor "last day of the month", which is its own rule since
// months differ in length. An occurrence is at its usual size when it is
// within a factor RecurringTolerance of the one before it; a charge
// recurs when at least RecurringMinMonths consecutive months hold it at a
// similar size.
const (
	// AnchorLast is the anchor of a charge billed on its month's last day.
	AnchorLast = 0
	// RecurringBaselineDays is how many days before a day its usual level
	// (the median) is taken from: a week, so every weekday counts once,
	// and the same baseline as spike detection's default
	// (DefaultSpikeBaselineDays). It decides which days hold a charge: it
	// moves the fee classes' ("a fee on the 1st–5th", "a fee mid-month",
	// "a fee on the 28th or the month's last day", "a service billed on
	// the 1st") "MAPE complete days" and the false-spike rate table.
	RecurringBaselineDays = 7
	// RecurringMinMonths is how many consecutive months must hold a charge
	// before it counts as recurring: it has come back once. One would take
	// any day that stood out a month ago for a charge due again this
	// month (it can move "heavy-tailed days"' "bias complete days");
	// three would need three months of history and leave a fee
	// due later this month uncounted (the fee classes' "MAPE complete
	// days" and "missed alarms complete days").
	RecurringMinMonths = 2
	// RecurringMonths is how many months before the range's month the
	// reads for recurring charges go back (see RecurringHistoryFrom): two,
	// so that a charge due later this month is seen in two months before
	// (RecurringMinMonths of them). It sets the backtest's history (70
	// days before the month) and the requests of the guide's "What it
	// costs in requests"; fewer would leave the fee classes' fee due
	// later this month uncounted.
	RecurringMonths = 2
)

// recurringTolerance is how far apart, as a factor, two occurrences of a
// charge may be and still be the same charge at a similar size: 2, wide
// enough for an account growing 30% a month, narrow enough that three
// times the usual size is a spike. It moves the false-spike rate table of
// the forecasting guide (the control, a charge at three times its size,
// is a spike only while the tolerance is under 3). It also tells a
// service billed every few days from a charge (chargeOn), so it can move
// "a service billed every k days"; the fee classes bill a similar fee
// every month. Measured at 1.1: the three fee classes ("a fee") unchanged
// in every cell, and the false-spike rate table unchanged (312 charges, 0
// at their usual size and all 312 at three times it reported).
var recurringTolerance = big.NewRat(2, 1)

// RecurringTolerance is recurringTolerance as text, for the docs.
const RecurringTolerance = "2"

// RecurringCharge is one recurring charge of a service.
type RecurringCharge struct {
	Service string
	// Anchor is the day of the month (1 to 31; a shorter month has it on
	// its last day), or AnchorLast.
	Anchor int
	// Days are the days it was billed on, oldest first, and Amounts its
	// excess over the service's usual day on each.
	Days    []string
	Amounts []Money
}

// Amount is the latest occurrence's amount: what the next one is expected
// to cost.
func (c RecurringCharge) Amount() Money { return c.Amounts[len(c.Amounts)-1] }

// Spread is the largest difference between the latest occurrence and an
// earlier one: how far the next may be off its Amount.
func (c RecurringCharge) Spread() Money {
	latest := c.Amount()
	spread := Money{}
	for _, a := range c.Amounts {
		d := a.Sub(latest)
		if d.Sign() < 0 {
			d = d.Neg()
		}
		if d.Cmp(spread) > 0 {
			spread = d
		}
	}
	return spread
}

// DayIn is the charge's day in the month of m (any day of it).
func (c RecurringCharge) DayIn(m time.Time) string {
	return anchorDay(c.Anchor, m.Year(), m.Month()).Format(time.DateOnly)
}

// RecurringHistoryFrom is the first day that the recognition of recurring
// charges over a range starting on from reads: RecurringBaselineDays before
// the 1st of the month RecurringMonths before from's month.
func RecurringHistoryFrom(from string) (string, error) {
	f, err := ParseDate(from)
	if err != nil {
		return "", err
	}
	first := time.Date(f.Year(), f.Month()-RecurringMonths, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, -RecurringBaselineDays).Format(time.DateOnly), nil
}

// anchorDay is the day of anchor in year's month.
func anchorDay(anchor, year int, month time.Month) time.Time {
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	if anchor == AnchorLast || anchor >= last.Day() {
		return last
	}
	return time.Date(year, month, anchor, 0, 0, 0, 0, time.UTC)
}

// anchorsOf are the anchors that d (a parsed day) is the day of: its day
// of the month, and AnchorLast first when it is its month's last day.
func anchorsOf(d time.Time) []int {
	if d.AddDate(0, 0, 1).Day() == 1 {
		return []int{AnchorLast, d.Day()}
	}
	return []int{d.Day()}
}

// chargeOn is the excess of series (a service's days) on day over its
// usual day, and whether it stands out as a charge (see the rules above).
// False when a day it needs is before first, the first day series holds.
func chargeOn(series map[string]Money, day, first string) (Money, bool) {
	d, err := ParseDate(day)
	if err != nil {
		return Money{}, false
	}
	if d.AddDate(0, 0, -RecurringBaselineDays).Format(time.DateOnly) < first {
		return Money{}, false
	}
	before := make([]Money, RecurringBaselineDays)
	for i := range before {
		before[i] = series[d.AddDate(0, 0, -1-i).Format(time.DateOnly)]
	}
	m := Median(append([]Money(nil), before...))
	e := series[day].Sub(m)
	if e.Sign() <= 0 {
		return e, false
	}
	er, mr := e.Rat(), m.Rat()
	dev := make([]*big.Rat, len(before))
	for i, b := range before {
		dev[i] = b.Rat()
	}
	limit := new(big.Rat).Mul(madToSigma, medianAbsDeviation(dev, mr))
	limit.Mul(limit, outlierSigmas)
	if half := new(big.Rat).Quo(mr, big.NewRat(2, 1)); half.Cmp(limit) > 0 {
		limit = half
	}
	if er.Cmp(limit) <= 0 {
		return e, false
	}
	// A service billed every few days: another day of the week before as
	// much as half of it above the median.
	half := new(big.Rat).Quo(er, recurringTolerance)
	for _, b := range dev {
		if new(big.Rat).Sub(b, mr).Cmp(half) >= 0 {
			return e, false
		}
	}
	return e, true
}

// similar reports whether a and b (both above 0) are within a factor
// recurringTolerance of each other.
func similar(a, b Money) bool {
	ar, br := a.Rat(), b.Rat()
	return new(big.Rat).Mul(ar, recurringTolerance).Cmp(br) >= 0 &&
		new(big.Rat).Mul(br, recurringTolerance).Cmp(ar) >= 0
}

// ExpectedCharge is the recurring charge expected of a service on day: the
// amount of the charge on its anchor's day a month before, when that day
// held one (for a month's last day, the month before's last day first);
// false when none is expected. first is the first day series holds.
func ExpectedCharge(series map[string]Money, day, first string) (Money, bool) {
	d, err := ParseDate(day)
	if err != nil {
		return Money{}, false
	}
	prev := time.Date(d.Year(), d.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range anchorsOf(d) {
		p := anchorDay(a, prev.Year(), prev.Month()).Format(time.DateOnly)
		if e, ok := chargeOn(series, p, first); ok {
			return e, true
		}
	}
	return Money{}, false
}

// RecurringOn is the amount of a recurring charge billed on day at its
// usual size: the day holds a charge within a factor RecurringTolerance of
// the one expected (ExpectedCharge); false when it holds none.
func RecurringOn(series map[string]Money, day, first string) (Money, bool) {
	expected, ok := ExpectedCharge(series, day, first)
	if !ok {
		return Money{}, false
	}
	e, ok := chargeOn(series, day, first)
	if !ok || !similar(e, expected) {
		return Money{}, false
	}
	return e, true
}

// FindRecurring lists the recurring charges of one service's days (series,
// from first) as of through: for each anchor, the latest run of at least
// RecurringMinMonths consecutive months whose anchor days up to through
// each hold a charge, each similar to the latest. Anchors whose runs fall
// on the same days are one charge (a month's last day before its day of
// the month). Ordered by the latest day, then anchor.
func FindRecurring(service string, series map[string]Money, first, through string) []RecurringCharge {
	t, err := ParseDate(through)
	if err != nil {
		return nil
	}
	var out []RecurringCharge
	seen := map[string]bool{} // latest day of a charge found
	for _, anchor := range append([]int{AnchorLast}, anchorRange()...) {
		// The latest anchor day up to through.
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		day := anchorDay(anchor, m.Year(), m.Month())
		if day.After(t) {
			m = m.AddDate(0, -1, 0)
			day = anchorDay(anchor, m.Year(), m.Month())
		}
		c := RecurringCharge{Service: service, Anchor: anchor}
		for {
			key := day.Format(time.DateOnly)
			e, ok := chargeOn(series, key, first)
			if !ok || (len(c.Amounts) > 0 && !similar(e, c.Amounts[len(c.Amounts)-1])) {
				break
			}
			c.Days = append([]string{key}, c.Days...)
			c.Amounts = append([]Money{e}, c.Amounts...)
			m = m.AddDate(0, -1, 0)
			day = anchorDay(anchor, m.Year(), m.Month())
		}
		if len(c.Days) < RecurringMinMonths {
			continue
		}
		latest := c.Days[len(c.Days)-1]
		if seen[latest] {
			continue
		}
		seen[latest] = true
		out = append(out, c)
	}
	return out
}

// anchorRange is the days of the month 1 to 31.
func anchorRange() []int {
	out := make([]int, 31)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// RecurringSplit is the recurring charges billed in the two ranges of a
// comparison, so that usage can be compared apart from them.
type RecurringSplit struct {
	Current, Previous Money
}

// RecurringIn is the sum of the recurring charges billed at their usual
// size (RecurringOn) on the days of r, over every service of days (which
// holds the days read, from its earliest entry on).
func RecurringIn(days ServiceDays, r DayRange) (Money, error) {
	byDay, err := RecurringByDay(days, r)
	if err != nil {
		return Money{}, err
	}
	sum := Money{}
	for _, m := range byDay {
		sum = sum.Add(m)
	}
	return sum, nil
}

// RecurringByDay is, for each day of r that holds any, the sum of the
// recurring charges billed on it at their usual size (RecurringOn), over
// every service of days (which holds the days read, from its earliest
// entry on). Days without one are absent.
func RecurringByDay(days ServiceDays, r DayRange) (map[string]Money, error) {
	first := earliestDay(days)
	list, err := DaysOf(r)
	if err != nil {
		return nil, err
	}
	out := map[string]Money{}
	for _, series := range days {
		for _, day := range list {
			if e, ok := RecurringOn(series, day, first); ok {
				out[day] = out[day].Add(e)
			}
		}
	}
	return out, nil
}

// UsageChange is c's change with the recurring charges of each range left
// out: the current range's usage minus the earlier range's, and its
// percentage of the earlier usage (ChangePercent; false when that is 0).
func (r RecurringSplit) UsageChange(c Comparison) (Money, Money, bool) {
	previous := c.PreviousTotal.Sub(r.Previous)
	current := c.PreviousTotal.Add(c.Change).Sub(r.Current)
	p, ok := ChangePercent(current, previous)
	return current.Sub(previous), p, ok
}
