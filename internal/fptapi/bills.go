package fptapi

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
)

// BillsEndpoint serves bill lines: POST pages through a date range (listed
// in seed 000; its request and response shapes are inferred, and all of
// that inference lives in this file), and the deprecated GET answers one day
// (seed 001, see bills_by_date.go).
//
// POST /v1/billing/bills, what is known and what is not:
//
// Documented by the vendor (seed 000): that the endpoint exists, as "bills
// by paging", beside the per-day GET; the envelope {status, message, data};
// and (seed 001) the 23 fields of a bill line.
//
// Inferred, because the vendor's page shows neither body:
//   - the request body: from_date and to_date (inclusive days, YYYY-MM-DD),
//     page (from 1), page_size (at most MaxBillsPageSize), and the optional
//     filters service and vpc_name (billsRequest);
//   - the response's paging fields: total (lines in the whole range), page
//     and page_size echoed beside data (billEnvelope);
//   - that pages are cut from one fixed order of the range's lines, so that
//     page n holds lines (n-1)*page_size+1 .. n*page_size.
//
// When the inference is wrong, the provider does this:
//   - the API refuses the body (HTTP 400 or 422), or has no such endpoint
//     (404, 405): in ModeAuto the read goes to the documented per-day GET,
//     logging a WARN that quotes the API's message, and so does every later
//     read of the client; in ModePaging the read fails with a hint that
//     names bills_endpoint = "by_date" (pagingRefused, APIError.Hint);
//   - the filters are ignored by the API: the client filters every line
//     again itself (BillQuery.keep), so the answer is the same;
//   - page 1 has no total: the read fails (KindInconsistent), as pages
//     cannot be counted; set bills_endpoint = "by_date";
//   - page is ignored (every answer is page 1): the echoed page, or the
//     repeated lines, end the read with an error, never a loop;
//   - the API pages smaller than asked: its page_size echo is used;
//   - the order moves between requests, or the data does (lines still
//     arriving for the current day): the total, the page sizes and repeated
//     pages show it (KindChanged), and the read starts again from page 1,
//     a bounded number of times (snapshot.go), before it fails clearly;
//   - a field of a line has a value of another kind: the read fails at
//     once, naming the field, the value, the line and the page (badValue).
const BillsEndpoint = "/v1/billing/bills"

// MaxBillsPageSize is the largest page the paging endpoint serves.
const MaxBillsPageSize = 1000

// sharedBillLines is the largest read that is shared between identical
// callers and cached: bigger reads stream page by page and are not kept, so
// that memory stays flat however many lines a range holds.
const sharedBillLines = 10_000

// billsRequest is the body of POST /v1/billing/bills (inferred).
type billsRequest struct {
	FromDate string `json:"from_date"`
	ToDate   string `json:"to_date"`
	Page     int    `json:"page"`
	PageSize int    `json:"page_size"`
	Service  string `json:"service,omitempty"`
	VPCName  string `json:"vpc_name,omitempty"`
}

// The response is the envelope with "total" (lines in the whole range),
// "page" and "page_size" beside "data"; decodeBillEnvelope reads it.

// errStopBills is returned by a page handler to end a read early.
var errStopBills = errors.New("stop reading bills")

// Bills reads the bill lines of q and hands them to yield one page (or day)
// at a time, in order. In ModeAuto it prefers the paging endpoint and falls
// back to one GET per day when that answers 404, 405, 400 or 422 (see
// streamBills); both give the same lines. Pages after the first are fetched
// concurrently (at most MaxConcurrency at once), and each page is decoded
// whole before yield sees it, so that a retried request never yields a line
// twice.
//
// The lines handed on are one consistent snapshot: when a page shows that
// the data moved during the read, the read starts again from its first page
// (see snapshot.go), calling q.Reset first if pages were handed on already.
//
// Identical queries are made once per Client: a read of at most
// sharedBillLines lines is shared by concurrent callers and cached; a larger
// one is streamed to each caller and not kept. An error from yield ends the
// read and is returned as is.
func (c *Client) Bills(ctx context.Context, q BillQuery, yield func(BillPage) error) error {
	q, days, err := q.normalize()
	if err != nil {
		return err
	}
	leader := false
	v, err := c.shared.Do(ctx, q.key(), func(ctx context.Context) (any, error) {
		leader = true
		return c.collectBills(ctx, q, days)
	})
	var partial *partialBills
	switch {
	case err == nil:
		result, _ := v.(*sharedBills)
		for _, page := range result.pages {
			page.FromCache = !leader
			if err := yield(page); err != nil {
				return err
			}
		}
		return nil
	case errors.As(err, &partial):
		// Too large to share: go on from where the collecting read stopped.
		for _, page := range partial.pages {
			page.FromCache = !leader
			if err := yield(page); err != nil {
				return err
			}
		}
		cursor := partial.cursor.clone()
		err := c.streamBills(ctx, q, days, &cursor, yield)
		return c.restartStream(ctx, q, days, partial.attempt, err, yield)
	default:
		return err
	}
}

// restartStream starts a streamed read again, from its first page and with
// nothing kept from before, for as long as attempt's error err says the
// data changed and restarts are left. The caller's Reset drops what it was
// handed; without one, the error is returned.
func (c *Client) restartStream(ctx context.Context, q BillQuery, days []string, attempt int, err error, yield func(BillPage) error) error {
	for err != nil {
		if q.Reset == nil {
			return err
		}
		if err := c.restartAfter(ctx, q.describe(), attempt, err); err != nil {
			return err
		}
		q.Reset()
		attempt++
		cursor := billCursor{}
		err = c.streamBills(ctx, q, days, &cursor, yield)
	}
	return nil
}

// sharedBills is a whole read, kept while it is small.
type sharedBills struct {
	pages []BillPage
}

// partialBills is the start of a read that turned out too large to share,
// and where it stopped. It travels as an error so that it is never cached.
type partialBills struct {
	pages   []BillPage
	cursor  billCursor
	attempt int // the attempt (1-based) the pages come from
}

func (p *partialBills) Error() string {
	return "the bill read is too large to share (an internal signal, never shown)"
}

// collectBills reads q into memory until it passes sharedBillLines. A read
// that sees the data move starts again here, with nothing kept, so that
// what is shared and cached is always one consistent snapshot.
func (c *Client) collectBills(ctx context.Context, q BillQuery, days []string) (any, error) {
	for attempt := 1; ; attempt++ {
		result := &sharedBills{}
		lines := 0
		cursor := billCursor{}
		err := c.streamBills(ctx, q, days, &cursor, func(page BillPage) error {
			result.pages = append(result.pages, page)
			lines += len(page.Lines)
			if lines > sharedBillLines || cursor.total > sharedBillLines {
				return errStopBills
			}
			return nil
		})
		switch {
		case errors.Is(err, errStopBills):
			return nil, &partialBills{pages: result.pages, cursor: cursor, attempt: attempt}
		case err == nil:
			return result, nil
		}
		if err := c.restartAfter(ctx, q.describe(), attempt, err); err != nil {
			return nil, err
		}
	}
}

// billCursor is how far a read has got.
type billCursor struct {
	mode     BillMode
	next     int // ModePaging: the next page (1-based); ModeByDate: the next day's index
	pages    int // ModePaging: pages in the range, known after page 1
	total    int64
	pageSize int
	seen     map[uint64]int // ModePaging: fingerprint of each page's lines -> page
	last     uint64         // ModePaging: fingerprint of the last page handed on
	readOn   bool           // ModePaging: this attempt went on past a moved total once (readOn)
}

func (c billCursor) clone() billCursor {
	seen := make(map[uint64]int, len(c.seen))
	for k, v := range c.seen {
		seen[k] = v
	}
	c.seen = seen
	return c
}

// noPagingKey marks, in the client's cache, that the paging endpoint is absent.
const noPagingKey = "POST " + BillsEndpoint + " is not served"

// streamBills reads q from cursor on, by pages or by days, as the client's
// BillMode says. In ModeAuto, a first page that the API refuses in a way
// that says the paging endpoint is absent (404, 405) or does not take the
// body inferred in this file (400, 422) sends this read, and every later
// one of the client, to the per-day endpoint, with a WARN log that quotes
// the API's message. 401, 403, 429 and 5xx are not about the endpoint and
// never cause a fallback.
func (c *Client) streamBills(ctx context.Context, q BillQuery, days []string, cursor *billCursor, yield func(BillPage) error) error {
	if cursor.mode == "" {
		cursor.mode, cursor.next = ModePaging, 1
		_, notServed := c.shared.Get(noPagingKey)
		if c.billMode == ModeByDate || (c.billMode == ModeAuto && notServed) {
			cursor.mode, cursor.next = ModeByDate, 0
		}
	}
	if cursor.mode == ModePaging {
		err := c.streamPages(ctx, q, cursor, yield)
		if err == nil || c.billMode != ModeAuto || cursor.next > 1 {
			return err
		}
		refused, ok := pagingRefused(err)
		if !ok {
			return err
		}
		msg := "the paging bills endpoint is not served; reading one day at a time"
		if refused.HTTPStatus == http.StatusBadRequest || refused.HTTPStatus == http.StatusUnprocessableEntity {
			msg = "the paging bills endpoint refused the request body this provider infers; reading one day at a time"
		}
		c.log.Warn(ctx, msg, map[string]any{
			"endpoint": BillsEndpoint, "http_status": refused.HTTPStatus, "api_message": refused.Message,
			"error": err.Error(), "days": len(days),
		})
		c.shared.Put(noPagingKey, true)
		cursor.mode, cursor.next = ModeByDate, 0
	}
	return c.streamDays(ctx, q, days, cursor, yield)
}

// pagingRefused reports whether err is the paging endpoint answering its
// first request with 404, 405, 400 or 422.
func pagingRefused(err error) (*APIError, bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Method != http.MethodPost || apiErr.Endpoint != BillsEndpoint {
		return nil, false
	}
	switch apiErr.HTTPStatus {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusBadRequest, http.StatusUnprocessableEntity:
		return apiErr, true
	}
	return nil, false
}

// streamPages reads the paging endpoint: page 1 alone (it tells the total),
// then the rest concurrently, handed on in page order.
func (c *Client) streamPages(ctx context.Context, q BillQuery, cursor *billCursor, yield func(BillPage) error) error {
	if cursor.seen == nil {
		cursor.seen = map[uint64]int{}
	}
	if cursor.next <= 1 {
		env, err := c.fetchBillPage(ctx, q, 1, q.PageSize)
		if err != nil {
			return err
		}
		if env.Total == nil {
			return inconsistent(http.MethodPost, BillsEndpoint, "page 1 has no \"total\", so the pages cannot be counted")
		}
		cursor.total, cursor.pageSize = *env.Total, q.PageSize
		if env.PageSize != nil && *env.PageSize > 0 && *env.PageSize <= MaxBillsPageSize {
			cursor.pageSize = int(*env.PageSize) // the API may serve smaller pages than asked
		}
		cursor.pages = int(max(1, (cursor.total+int64(cursor.pageSize)-1)/int64(cursor.pageSize)))
		if err := c.handlePage(q, cursor, 1, env, yield); err != nil {
			return err
		}
	}
	for {
		err := fetchOrdered(ctx, c.maxConcurrency, cursor.next, cursor.pages,
			func(ctx context.Context, page int) (*billEnvelope, error) {
				return c.fetchBillPage(q.workerContext(ctx, page), q, page, cursor.pageSize)
			},
			func(page int, env *billEnvelope) error {
				return c.handlePage(q, cursor, page, env, yield)
			})
		var moved *movedTotal
		if !errors.As(err, &moved) {
			return err
		}
		if !c.readOn(ctx, q, cursor, moved) {
			return moved.err
		}
	}
}

// handlePage checks page against what page 1 said, then hands it on.
func (c *Client) handlePage(q BillQuery, cursor *billCursor, page int, env *billEnvelope, yield func(BillPage) error) error {
	if env.Page != nil && *env.Page != int64(page) {
		return inconsistent(http.MethodPost, BillsEndpoint, fmt.Sprintf("asked for page %d, the API answered page %d", page, *env.Page))
	}
	if env.Total != nil && *env.Total != cursor.total {
		return &movedTotal{page: page, err: changed(http.MethodPost, BillsEndpoint, fmt.Sprintf("page 1 said %d lines in total, page %d says %d (the bills changed during the read)",
			cursor.total, page, *env.Total))}
	}
	want := int64(cursor.pageSize)
	if page == cursor.pages {
		want = cursor.total - int64(cursor.pages-1)*int64(cursor.pageSize)
	}
	if int64(len(env.Lines)) != want {
		return changed(http.MethodPost, BillsEndpoint, fmt.Sprintf("page %d of %d holds %d lines, but a total of %d at %d lines a page means %d",
			page, cursor.pages, len(env.Lines), cursor.total, cursor.pageSize, want))
	}
	if len(env.Lines) > 0 {
		sum := fingerprint(env.Lines)
		if earlier, ok := cursor.seen[sum]; ok {
			return changed(http.MethodPost, BillsEndpoint, fmt.Sprintf("page %d repeats the lines of page %d", page, earlier))
		}
		cursor.seen[sum] = page
		cursor.last = sum
	}
	kept := env.Lines[:0]
	for i := range env.Lines {
		line := &env.Lines[i]
		if line.Day < q.From || line.Day > q.To {
			return inconsistent(http.MethodPost, BillsEndpoint, fmt.Sprintf("page %d holds a line of day %s, outside the requested %s..%s", page, line.Day, q.From, q.To))
		}
		if q.keep(line) {
			kept = append(kept, *line)
		}
	}
	cursor.next = page + 1
	return yield(BillPage{Mode: ModePaging, Number: page, Of: cursor.pages, Lines: kept})
}

// fingerprint identifies a page by its lines.
func fingerprint(lines []BillLine) uint64 {
	h := fnv.New64a()
	var buf []byte
	for i := range lines {
		buf = lines[i].appendHashKey(buf[:0])
		_, _ = h.Write(buf)
	}
	return h.Sum64()
}

// fetchBillPage makes one POST for page of q.
func (c *Client) fetchBillPage(ctx context.Context, q BillQuery, page, pageSize int) (*billEnvelope, error) {
	req := request{method: http.MethodPost, endpoint: BillsEndpoint, body: billsRequest{
		FromDate: q.From, ToDate: q.To, Page: page, PageSize: pageSize, Service: q.Service, VPCName: q.VPCName,
	}}
	var env *billEnvelope
	err := c.do(ctx, req, func(r io.Reader) error {
		decoded, err := decodeBillEnvelope(r, MaxBillsPageSize)
		if err != nil {
			return withPage(err, fmt.Sprintf("page %d", page))
		}
		env = decoded
		return nil
	})
	return env, err
}

// fetchOrdered fetches units first..last with at most limit requests at
// once and hands each result to consume in unit order, on the calling
// goroutine. A fetched unit waits, holding its slot, until consume has taken
// it, so that at most limit units are in memory however slow one of them is.
// The first error, from a fetch or from consume, cancels the others.
func fetchOrdered[T any](ctx context.Context, limit, first, last int,
	fetch func(ctx context.Context, unit int) (T, error), consume func(unit int, v T) error,
) error {
	if first > last {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, limit))
	// One channel per unit in flight, made on first use and dropped once
	// consumed: at most limit of them exist however many units there are.
	var mu sync.Mutex
	slots := map[int]chan T{}
	slot := func(unit int) chan T {
		mu.Lock()
		defer mu.Unlock()
		ch, ok := slots[unit]
		if !ok {
			ch = make(chan T)
			slots[unit] = ch
		}
		return ch
	}
	drop := func(unit int) {
		mu.Lock()
		defer mu.Unlock()
		delete(slots, unit)
	}
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		for unit := first; unit <= last; unit++ {
			if gctx.Err() != nil {
				return
			}
			g.Go(func() error {
				v, err := fetch(gctx, unit)
				if err != nil {
					return err
				}
				select {
				case slot(unit) <- v:
					return nil
				case <-gctx.Done():
					return nil
				}
			})
		}
	}()

	var consumeErr error
loop:
	for unit := first; unit <= last; unit++ {
		select {
		case v := <-slot(unit):
			drop(unit)
			if consumeErr = consume(unit, v); consumeErr != nil {
				cancel()
				break loop
			}
		case <-gctx.Done():
			break loop
		}
	}
	<-produced
	fetchErr := g.Wait()
	switch {
	case consumeErr != nil:
		return consumeErr
	case fetchErr != nil:
		return fetchErr
	}
	return ctx.Err()
}
