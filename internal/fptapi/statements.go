package fptapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// StatementsEndpoint is documented in the vendor's resource statements page
// (seed 003): GET with limit, offset, sortField, sortOrder and filters.
//
// Documented by the vendor (seed 003): the query parameters limit, offset,
// sortField, sortOrder (asc, desc) and filters; the envelope, whose status
// is a boolean here; "total"; and the fields of a statement, with
// started_time and due_time in Unix seconds and amount a number.
//
// Inferred: the filter objects' shape {"key", "op", "val"} and operators
// (filters.go); that "total" counts every match, not the page; that offset
// counts statements from 0 in one fixed order; the largest limit
// (MaxStatementsPageSize).
//
// When the inference is wrong: an API that ignores offset repeats a page,
// which ends the walk with an error that says so (KindInconsistent) instead
// of looping; a total that overstates ends the walk at the first empty page,
// one that understates at the total; an API that caps limit is followed at
// the page size it serves; statements that move during the walk (a total
// that changes, some statements seen twice) start the walk again, a bounded
// number of times (snapshot.go); a field of the wrong kind fails at once,
// naming the statement's id, the field, the value and the page.
const StatementsEndpoint = "/v1/billing/resources/statements"

// Page sizes of the statements endpoint.
const (
	DefaultStatementsPageSize = 100
	MaxStatementsPageSize     = 1000
)

// StatementsQuery is what to ask the statements endpoint for.
type StatementsQuery struct {
	Filters   []Filter // all must match
	SortField string   // "" leaves the order to the API
	SortOrder string   // "asc", "desc", or "" for the API's default
	PageSize  int      // the limit of each request; 0 means DefaultStatementsPageSize
	MaxItems  int      // more matching statements than this is a *TooManyItemsError; 0 means no limit
}

// StatementList is the result of a statements walk.
type StatementList struct {
	Statements []Statement // in the API's order, pages stitched by offset
	Total      int64       // the API's total on the first page; -1 when it sent none
	Requests   int         // pages requested, retries not counted, restarts counted
}

// TooManyItemsError says that more statements match than the caller allows.
type TooManyItemsError struct {
	Total int64 // the API's total, or -1 when the API sent none and the walk passed Max
	Max   int
}

func (e *TooManyItemsError) Error() string {
	if e.Total < 0 {
		return fmt.Sprintf("more than %d resource statements match", e.Max)
	}
	return fmt.Sprintf("%d resource statements match, more than the limit of %d", e.Total, e.Max)
}

// ResourceStatements reads every statement that matches q, walking offset
// page by page. The first page says how many statements match (total); the
// second page is read alone, so that an API that ignores offset is caught
// one request later; the rest are fetched concurrently and stitched back in
// offset order. Without a total, pages are read one after another until one
// is empty. A page that repeats a whole earlier page (an API that ignores
// offset) ends the walk with a KindInconsistent *APIError.
//
// The list is one consistent snapshot: a page whose total differs from the
// first page's, or that holds some statements an earlier page already held
// (the list moved under the walk), starts the whole walk again, with nothing
// kept, up to the client's restart bound (see snapshot.go); only when the
// statements never hold still does it fail, with a KindChanged *APIError.
//
// Identical queries within one process are made once; the result is shared
// by every caller, so it must not be modified.
func (c *Client) ResourceStatements(ctx context.Context, q StatementsQuery) (*StatementList, error) {
	if q.PageSize <= 0 {
		q.PageSize = DefaultStatementsPageSize
	}
	if q.PageSize > MaxStatementsPageSize {
		return nil, fmt.Errorf("a page size of %d is more than the API's limit of %d", q.PageSize, MaxStatementsPageSize)
	}
	if q.SortOrder != "" && q.SortOrder != "asc" && q.SortOrder != "desc" {
		return nil, fmt.Errorf("sort order %q is neither asc nor desc", q.SortOrder)
	}
	filters, err := EncodeFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	newWalk := func() *statementWalk {
		return &statementWalk{c: c, q: q, filters: filters, seen: map[string]int{}, pages: map[int][]Statement{}}
	}
	key := fmt.Sprintf("GET %s?%s&max=%d", StatementsEndpoint, newWalk().query(0).Encode(), q.MaxItems)
	v, err := c.shared.Do(ctx, key, func(ctx context.Context) (any, error) {
		requests := 0
		for attempt := 1; ; attempt++ {
			w := newWalk() // nothing of an earlier attempt is kept
			list, err := w.run(ctx)
			requests += int(w.requests.Load())
			if err == nil {
				list.Requests = requests
				c.log.Debug(ctx, "read resource statements", map[string]any{
					"endpoint": StatementsEndpoint, "statements": len(list.Statements),
					"total": list.Total, "requests": list.Requests, "attempts": attempt,
				})
				return list, nil
			}
			if err := c.restartAfter(ctx, "resource statements", attempt, err); err != nil {
				return nil, err
			}
		}
	})
	list, _ := v.(*StatementList)
	return list, err
}

// statementWalk is one read of every page of a statements query.
type statementWalk struct {
	c        *Client
	q        StatementsQuery
	filters  string
	requests atomic.Int64

	mu    sync.Mutex
	seen  map[string]int      // statement id -> offset of the page it was first seen in
	pages map[int][]Statement // offset -> page
	empty int                 // lowest offset that answered an empty page, once one did
	total *int64              // the first total any page answered with
}

// query is the query string of the page at offset.
func (w *statementWalk) query(offset int) url.Values {
	query := url.Values{
		"limit":  {strconv.Itoa(w.q.PageSize)},
		"offset": {strconv.Itoa(offset)},
	}
	if w.q.SortField != "" {
		query.Set("sortField", w.q.SortField)
	}
	if w.q.SortOrder != "" {
		query.Set("sortOrder", w.q.SortOrder)
	}
	if w.filters != "" {
		query.Set("filters", w.filters)
	}
	return query
}

func (w *statementWalk) run(ctx context.Context) (*StatementList, error) {
	w.empty = math.MaxInt
	first, total, err := w.fetch(ctx, 0)
	if err != nil {
		return nil, err
	}
	list := &StatementList{Total: -1}
	if total != nil {
		list.Total = *total
		if w.q.MaxItems > 0 && *total > int64(w.q.MaxItems) {
			return nil, &TooManyItemsError{Total: *total, Max: w.q.MaxItems}
		}
	}
	count := len(first)
	if count == 0 || (total != nil && int64(count) >= *total) {
		return w.finish(list), nil
	}

	// The step is what a page holds: the limit, or less where the API caps it.
	step := len(first)
	second, _, err := w.fetch(ctx, step)
	if err != nil {
		return nil, err
	}
	count += len(second)
	offset := step + len(second)

	if total != nil {
		if len(second) > 0 && int64(count) < *total {
			if err := w.fetchRest(ctx, offset, step, *total); err != nil {
				return nil, err
			}
		}
		return w.finish(list), nil
	}

	// No total: one page after another until an empty one.
	for last := second; len(last) > 0; offset += len(last) {
		if w.q.MaxItems > 0 && count > w.q.MaxItems {
			return nil, &TooManyItemsError{Total: -1, Max: w.q.MaxItems}
		}
		if last, _, err = w.fetch(ctx, offset); err != nil {
			return nil, err
		}
		count += len(last)
	}
	if w.q.MaxItems > 0 && count > w.q.MaxItems {
		return nil, &TooManyItemsError{Total: -1, Max: w.q.MaxItems}
	}
	return w.finish(list), nil
}

// fetchRest reads the pages at start, start+step, ... below total, at most
// MaxConcurrency at once. No page past an empty one is requested once the
// empty one has answered, so a total that overstates costs little. The
// first failure cancels the pages in flight and is the one returned.
func (w *statementWalk) fetchRest(ctx context.Context, start, step int, total int64) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w.c.MaxConcurrency())
	for offset := start; int64(offset) < total; offset += step {
		if gctx.Err() != nil || offset > w.lowestEmpty() {
			break
		}
		g.Go(func() error {
			if offset > w.lowestEmpty() {
				return nil // a page before this one was empty: the walk ends there
			}
			_, _, err := w.fetch(gctx, offset)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err() // the caller's context ended
}

func (w *statementWalk) lowestEmpty() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.empty
}

// fetch requests the page at offset and records it.
func (w *statementWalk) fetch(ctx context.Context, offset int) ([]Statement, *int64, error) {
	w.requests.Add(1)
	req := request{method: http.MethodGet, endpoint: StatementsEndpoint, query: w.query(offset)}
	var page []Statement
	var total *int64
	where := fmt.Sprintf("the page at offset %d", offset)
	err := w.c.do(ctx, req, func(r io.Reader) error {
		env, err := decodeStatementsPage(r)
		if err != nil {
			return withPage(err, where)
		}
		page, total = env.Data, env.Total
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if total != nil && *total < 0 {
		return nil, nil, badPage(fmt.Sprintf("the page at offset %d has a negative total (%d)", offset, *total))
	}
	for i, st := range page {
		if st.ID == "" {
			bad := &badValue{item: fmt.Sprintf("statement %d", i+1), where: where, field: "id", reason: "is missing, or empty, but every statement has one"}
			return nil, nil, &APIError{Method: http.MethodGet, Endpoint: StatementsEndpoint, HTTPStatus: http.StatusOK, Kind: KindBadValue, Message: bad.Error()}
		}
	}
	if err := w.record(offset, page, total); err != nil {
		return nil, nil, err
	}
	return page, total, nil
}

func badPage(message string) error {
	return &APIError{
		Method: http.MethodGet, Endpoint: StatementsEndpoint, HTTPStatus: http.StatusOK,
		Kind: KindBadResponse, Message: message,
	}
}

// record keeps a page and checks that it holds no statement seen before
// and that its total is the one every other page gave.
func (w *statementWalk) record(offset int, page []Statement, total *int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if total != nil {
		if w.total == nil {
			w.total = total
		} else if *total != *w.total {
			return changed(http.MethodGet, StatementsEndpoint, fmt.Sprintf("a page said %d statements in total, the page at offset %d says %d "+
				"(the statements changed during the read)", *w.total, offset, *total))
		}
	}
	fresh := 0
	dupID, dupAt := "", 0
	for _, st := range page {
		if at, ok := w.seen[st.ID]; ok {
			if dupID == "" {
				dupID, dupAt = st.ID, at
			}
			continue
		}
		w.seen[st.ID] = offset
		fresh++
	}
	switch {
	case len(page) > 0 && fresh == 0:
		return inconsistent(http.MethodGet, StatementsEndpoint, fmt.Sprintf("the API returned the same statements for offset %d as for offset %d: "+
			"it ignores offset, so reading stopped instead of repeating forever", offset, dupAt))
	case dupID != "":
		return changed(http.MethodGet, StatementsEndpoint, fmt.Sprintf("statement %q came back in the page at offset %d after the page at offset %d: "+
			"the statements changed while they were read, or the API does not page by offset", dupID, offset, dupAt))
	}
	w.pages[offset] = page
	if len(page) == 0 && offset < w.empty {
		w.empty = offset
	}
	return nil
}

// finish stitches the recorded pages in offset order, up to the first
// empty page.
func (w *statementWalk) finish(list *StatementList) *StatementList {
	w.mu.Lock()
	defer w.mu.Unlock()
	offsets := slices.Sorted(maps.Keys(w.pages))
	n := 0
	for _, page := range w.pages {
		n += len(page)
	}
	list.Statements = make([]Statement, 0, n)
	for _, offset := range offsets {
		page := w.pages[offset]
		if len(page) == 0 {
			break
		}
		list.Statements = append(list.Statements, page...)
	}
	list.Requests = int(w.requests.Load())
	return list
}

// decodeStatementsPage reads a statements page: the envelope, then each
// statement on its own, so that one whose field cannot be used is named
// (a *badValue) rather than failing the page as a shape error.
func decodeStatementsPage(r io.Reader) (*envelope[[]Statement], error) {
	raw, err := decodeEnvelope[[]json.RawMessage](r)
	if err != nil {
		return nil, err
	}
	env := &envelope[[]Statement]{Status: raw.Status, Message: raw.Message, Total: raw.Total, Date: raw.Date}
	if raw.Data != nil {
		env.Data = make([]Statement, len(raw.Data))
	}
	for i, item := range raw.Data {
		dec := json.NewDecoder(bytes.NewReader(item))
		dec.UseNumber()
		if err := dec.Decode(&env.Data[i]); err != nil {
			if bad, ok := diagnoseStatement(item, i+1); ok {
				return nil, bad
			}
			return nil, err
		}
	}
	return env, nil
}
