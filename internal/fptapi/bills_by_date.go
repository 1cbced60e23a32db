package fptapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// The deprecated GET /v1/billing/bills?search_date=YYYY-MM-DD (seed 001)
// answers every line of one day, unpaged:
//
//	{ "status": 0, "message": "...", "date": "2024-09-04", "data": [ bill line, ... ] }
//
// The client uses it in ModeByDate, and in ModeAuto where the paging
// endpoint answers 404, 405, 400 or 422 (see bills.go).
//
// Documented by the vendor (seed 001): the query parameter search_date, the
// envelope with "date" echoing it, and the 23 fields of a bill line. The
// vendor marks the endpoint deprecated, without naming a date.
//
// Inferred: that every line of the answer is of the day asked for; that
// "day" sorts as text (YYYY-MM-DD) and start_time is "YYYY-MM-DD HH:MM:SS"
// in the account's time zone (RFC 3339 is accepted too); that the endpoint
// has no filters (the client filters itself).
//
// When the inference is wrong: an answer for another date, or a line of
// another day, fails the read (KindInconsistent) rather than count a line
// twice; a start_time in neither form fails the read naming the line. Each
// day is one request, so a day is always read at one instant; a range read
// this way is a consistent snapshot as long as only its last day (today)
// is still being billed. If the vendor removes the endpoint, set
// bills_endpoint = "paging" (404 here is reported, never retried).

// streamDays reads q one GET per day, from cursor.next on, at most
// MaxConcurrency days at once, and hands the days on in order. The
// endpoint has no filters, so q's filters are applied here.
func (c *Client) streamDays(ctx context.Context, q BillQuery, days []string, cursor *billCursor, yield func(BillPage) error) error {
	return fetchOrdered(ctx, c.maxConcurrency, cursor.next, len(days)-1,
		func(ctx context.Context, i int) ([]BillLine, error) {
			return c.fetchBillDay(q.workerContext(ctx, i+1), days[i])
		},
		func(i int, lines []BillLine) error {
			kept := lines[:0]
			for j := range lines {
				if q.keep(&lines[j]) {
					kept = append(kept, lines[j])
				}
			}
			cursor.next = i + 1
			return yield(BillPage{Mode: ModeByDate, Number: i + 1, Of: len(days), Day: days[i], Lines: kept})
		})
}

// fetchBillDay makes one GET for day and checks that every line is of it.
func (c *Client) fetchBillDay(ctx context.Context, day string) ([]BillLine, error) {
	req := request{method: http.MethodGet, endpoint: BillsEndpoint, query: url.Values{"search_date": {day}}}
	var lines []BillLine
	var date string
	err := c.do(ctx, req, func(r io.Reader) error {
		env, err := decodeBillEnvelope(r, 0)
		if err != nil {
			return withPage(err, "search_date="+day)
		}
		lines, date = env.Lines, env.Date
		return nil
	})
	if err != nil {
		return nil, err
	}
	if date != "" && date != day {
		return nil, inconsistent(http.MethodGet, BillsEndpoint, fmt.Sprintf("search_date=%s was answered for date %s", day, date))
	}
	for i := range lines {
		// A line of another day would be counted twice: once here and once
		// in its own day's answer.
		if lines[i].Day != day {
			return nil, inconsistent(http.MethodGet, BillsEndpoint, fmt.Sprintf("search_date=%s returned a line of day %s", day, lines[i].Day))
		}
	}
	return lines, nil
}
