package fptapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// A read of many pages is one consistent snapshot or an error. When a page
// shows that the data moved since an earlier page of the same read (a
// KindChanged *APIError: a changed total, lines that shifted, repeated or
// went missing), the whole read starts again from its first page, up to
// MaxRestarts times, waiting a short jittered backoff before each new
// attempt. Nothing fetched by an attempt that saw the data move is used by
// the next one.
//
// One case is cheaper: lines arriving after the pages read so far. The
// API serves a range day by day, and the lines that arrive while it is read
// are the current day's, at the range's end; a long read (a year is
// hundreds of pages) often sees one arrive, and starting it again would
// cost every page read so far. So when a page's total differs from page
// 1's, the paging read first reads its last page handed on again: when that
// page holds the same lines under the new total, nothing moved before it
// (a line added or gone before it would shift it), the pages handed on are
// still the range's first pages, and the read goes on from where it stopped
// under the new total (readOn). Otherwise, or when it happens a second time
// in one attempt, the read starts again as above.
//
// Why these defaults: the data that moves during a read is the current
// day's, written by the billing system in batches a few times an hour. A
// read of a month takes about a second, so two reads in a row that each
// straddle a batch are already rare, and five are rare enough that a read
// that still fails is better reported (the API is writing all the time)
// than repeated. The backoff, 250 ms doubling to 2 s with jitter, lets a
// batch that is being written finish before the next attempt, and keeps the
// worst case within about 4 s of waiting and 5 times the requests of one
// read, well inside any read timeout.
const (
	DefaultMaxRestarts    = 4
	DefaultRestartBackoff = 250 * time.Millisecond
	maxRestartBackoff     = 2 * time.Second
)

// restartAfter decides what follows attempt (1-based) of a read, which
// failed with err. It returns nil when the read should start again, after
// logging why at WARN and waiting the backoff; otherwise it returns the
// error to report: err itself when it is not a change of the data, or, when
// the data never held still, err saying how many times the read was made.
func (c *Client) restartAfter(ctx context.Context, what string, attempt int, err error) error {
	return c.RestartAfter(ctx, what, attempt, err)
}

// RestartAfter is restartAfter for a caller that assembles one read from
// several reads of the client (such as a cache in front of it) and starts
// its whole read again when one of them saw the data move. what names the
// read in the log and the error.
func (c *Client) RestartAfter(ctx context.Context, what string, attempt int, err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindChanged {
		c.lastChange.Delete(what)
		return err
	}
	// Data that moves shows a different change each time (another total,
	// other lines shifted). The same change twice in a row, totals and page
	// numbers alike, is pages that contradict each other while nothing
	// moves: a fault of the API that another read will not cure.
	previous, seen := c.lastChange.Swap(what, apiErr.Message)
	if seen && previous == apiErr.Message {
		c.lastChange.Delete(what)
		return contradicted(apiErr, attempt)
	}
	if attempt > c.maxRestarts {
		c.lastChange.Delete(what)
		return gaveUp(apiErr, attempt, "")
	}
	wait := c.restartDelay(attempt)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return gaveUp(apiErr, attempt, " before the read's timeout")
	}
	c.log.Warn(ctx, "the data changed during the read; reading it again from the start", map[string]any{
		"read": what, "attempt": attempt, "max_attempts": c.maxRestarts + 1, "wait": wait.String(), "reason": err.Error(),
	})
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("%s: %w (the data had changed during the read: %v)", what, ctx.Err(), err)
	case <-timer.C:
		return nil
	}
}

// gaveUp is the error of a read whose data changed during every attempt.
// apiErr may be shared with other callers, so a copy is returned.
func gaveUp(apiErr *APIError, attempts int, note string) error {
	final := *apiErr
	times := "times"
	if attempts == 1 {
		times = "time"
	}
	final.Message = fmt.Sprintf("%s; the whole read was made %d %s%s and the data changed during every one", apiErr.Message, attempts, times, note)
	return &final
}

// contradicted is the error of a read that saw the same change of the data
// on two attempts in a row: the API's pages contradict each other.
func contradicted(apiErr *APIError, attempts int) error {
	final := *apiErr
	final.Kind = KindInconsistent
	final.Message = fmt.Sprintf("%s, the same on %d reads in a row with nothing else changing: the API's pages contradict each other "+
		"(this is not data that is still arriving)", strings.TrimSuffix(apiErr.Message, " (the bills changed during the read)"), attempts)
	return &final
}

// restartDelay is the wait before attempt+1: exponential from
// restartBackoff, capped, with jitter in [d/2, d].
func (c *Client) restartDelay(attempt int) time.Duration {
	d := c.restartBackoff << min(attempt-1, 10)
	if d <= 0 || d > max(maxRestartBackoff, c.restartBackoff) {
		d = max(maxRestartBackoff, c.restartBackoff)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// movedTotal is a page whose total differs from page 1's: the read may go
// on under the new total (readOn) instead of starting again.
type movedTotal struct {
	page int   // the page that said so
	err  error // the KindChanged error to report when the read cannot go on
}

func (m *movedTotal) Error() string { return m.err.Error() }
func (m *movedTotal) Unwrap() error { return m.err }

// readOn decides whether a paging read whose page moved.page saw the total
// move can go on from that page under the new total, and prepares cursor to
// do so. It reads the last page handed on again, once per attempt and only
// when more pages were handed on than reading on costs: the read
// goes on only when that page holds the same lines as before and the new
// total still reaches past it, so the pages handed on are the first pages of
// the range as it is now. It returns false, and the read starts again from
// page 1, otherwise (a failed request included: the read's restart handles
// that as it would have).
func (c *Client) readOn(ctx context.Context, q BillQuery, cursor *billCursor, moved *movedTotal) bool {
	last := moved.page - 1
	// Reading on costs the page read again, the page that saw the move and
	// those in flight beside it; with fewer pages handed on, starting again
	// costs no more.
	if cursor.readOn || last <= 1+c.maxConcurrency || last != cursor.next-1 || cursor.last == 0 {
		return false
	}
	cursor.readOn = true
	env, err := c.fetchBillPage(q.workerContext(ctx, last), q, last, cursor.pageSize)
	if err != nil || env.Total == nil || (env.Page != nil && *env.Page != int64(last)) ||
		*env.Total <= int64(last*cursor.pageSize) || fingerprint(env.Lines) != cursor.last {
		return false
	}
	c.log.Warn(ctx, "the data changed during the read after the pages already read; reading on under the new total", map[string]any{
		"read": q.describe(), "pages_read": last, "from_page": moved.page, "total_before": cursor.total, "total_now": *env.Total,
		"reason": moved.err.Error(),
	})
	cursor.total = *env.Total
	cursor.pages = int(max(1, (cursor.total+int64(cursor.pageSize)-1)/int64(cursor.pageSize)))
	return true
}
