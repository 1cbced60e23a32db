package bills

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// StartWindow is the started_after/started_before window: [after, before).
type StartWindow struct {
	After, Before *time.Time
}

// Filters are the window as API filters on started_time, in Unix seconds.
// A bound with a fraction of a second is rounded up: start times are whole
// seconds, so ">= 10.5" is ">= 11" and "< 10.5" is "< 11".
func (w StartWindow) Filters() []fptapi.Filter {
	var filters []fptapi.Filter
	if w.After != nil {
		filters = append(filters, fptapi.Filter{Key: fptapi.FieldStartedTime, Op: fptapi.OpGte, Value: strconv.FormatInt(ceilUnix(*w.After), 10)})
	}
	if w.Before != nil {
		filters = append(filters, fptapi.Filter{Key: fptapi.FieldStartedTime, Op: fptapi.OpLt, Value: strconv.FormatInt(ceilUnix(*w.Before), 10)})
	}
	return filters
}

func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// Contains reports whether a start time (Unix seconds) is in the window. A
// statement without a start time is in it only when the window is open.
func (w StartWindow) Contains(started *int64) bool {
	if w.After == nil && w.Before == nil {
		return true
	}
	if started == nil {
		return false
	}
	return (w.After == nil || *started >= ceilUnix(*w.After)) && (w.Before == nil || *started < ceilUnix(*w.Before))
}

const dayLayout = "2006-01-02"

// ParseInstant reads an RFC 3339 time, or a day (YYYY-MM-DD) as its midnight in loc.
func ParseInstant(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(dayLayout, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time such as \"2024-09-01T00:00:00+07:00\" nor a day such as \"2024-09-01\"", s)
}

// KeptStatement is a statement that goes into the state, with its amount
// parsed (HasAmount false when the API sent none).
type KeptStatement struct {
	fptapi.Statement
	Money     billing.Money
	HasAmount bool
}

// BadAmountError is a statement whose amount is not a decimal number.
type BadAmountError struct {
	ID     string
	Amount json.Number
	Err    error
}

func (e *BadAmountError) Error() string {
	return fmt.Sprintf("statement %q has the amount %q, which is not a decimal number: %s", e.ID, e.Amount, e.Err)
}

// KeepStatements keeps the statements that started in w, in their order,
// parses their amounts and sums them; outside counts the statements left
// out. An amount that is not a decimal number is a *BadAmountError.
func KeepStatements(statements []fptapi.Statement, w StartWindow) (kept []KeptStatement, totals *billing.StatementTotals, outside int, err error) {
	totals = billing.NewStatementTotals()
	kept = make([]KeptStatement, 0, len(statements))
	for _, st := range statements {
		if !w.Contains(st.StartedTime) {
			outside++
			continue
		}
		k := KeptStatement{Statement: st}
		if st.Amount != "" {
			amount, err := billing.ParseMoney(st.Amount.String())
			if err != nil {
				return nil, nil, 0, &BadAmountError{ID: st.ID, Amount: st.Amount, Err: err}
			}
			k.Money, k.HasAmount = amount, true
			totals.Add(billing.StatementCharge{ResourceID: st.ResourceID, Status: st.Status, ResourceType: st.ResourceType, Type: st.Type, Amount: amount})
		}
		kept = append(kept, k)
	}
	return kept, totals, outside, nil
}
