package emulator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Statements endpoint behaviour.
const (
	defaultStatements       = 300  // generated when Config.Statements is 0
	defaultStatementsLimit  = 20   // page size when a request has no limit
	maxStatementsLimit      = 1000 // larger limits are capped, as real APIs do
	defaultStatementsSort   = fptapi.FieldStartedTime
	defaultStatementsOrder  = "desc" // newest first, as the vendor's example
	statementsOKMessage     = "Getting resources statement successful"
	statementsMonths        = 18  // months before the month of Config.Now that statements cover
	statementsTiedStartRate = 0.1 // share of statements that start with the one before
	maxStatementViews       = 64  // filtered, sorted views kept
)

// statementViews caches filtered, sorted statements per query.
type statementViews struct {
	viewMu   sync.Mutex
	views    map[string][]*fptapi.Statement // filters+sort -> view
	viewsOf  *fptapi.Statement              // &Data.Statements[0] the views were made from
	viewsLen int
}

// statementsWindow is the Unix seconds in which generated statements start:
// from the first day of the month statementsMonths before the month of now
// (in the API's time zone) up to, not including, now. Like the bill lines,
// the statements follow the emulator's clock, so that a recent window is
// never empty, and a pinned clock gives the same statements on any day.
func statementsWindow(now time.Time) (first, last int64) {
	now = now.In(APITimeZone)
	first = time.Date(now.Year(), now.Month()-statementsMonths, 1, 0, 0, 0, 0, APITimeZone).Unix()
	return first, now.Unix()
}

// generateStatements fills the dataset's resource statements from its own
// random source, so that adding other data never changes them. A negative
// Config.Statements generates none.
func (d *Dataset) generateStatements(cfg Config, _ *rand.Rand) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x57a7))
	n := cfg.Statements
	if n == 0 {
		n = defaultStatements
	}
	if n < 0 {
		return
	}
	now := cfg.Now
	if now == nil { // Generate called without New
		now = time.Now
	}
	first, last := statementsWindow(now())

	type resource struct{ id, kind string }
	resources := make([]resource, 1+n/6)
	for i := range resources {
		kind := "vm"
		switch p := rng.Float64(); {
		case p < 0.35:
			kind = "volume"
		case p < 0.45:
			kind = "floating_ip"
		}
		resources[i] = resource{id: objectID(rng, first-rng.Int64N(30*86400)), kind: kind}
	}

	seen := make(map[string]bool, n)
	d.Statements = make([]fptapi.Statement, 0, n)
	var started int64
	for i := range n {
		if i == 0 || rng.Float64() >= statementsTiedStartRate {
			started = first + rng.Int64N(last-first)
		}
		due := started + 60 + rng.Int64N(3*86400)
		res := resources[rng.IntN(len(resources))]

		status := "paid"
		if p := rng.Float64(); p < 0.25 || (started > last-30*86400 && p < 0.7) {
			status = "unpaid"
		}
		kind := "lease_fee"
		switch p := rng.Float64(); {
		case p < 0.12:
			kind = "upgrade_fee"
		case p < 0.2:
			kind = "renewal_fee"
		}

		id := objectID(rng, started)
		for seen[id] {
			id = objectID(rng, started)
		}
		seen[id] = true
		start := started // each statement points at its own copy
		d.Statements = append(d.Statements, fptapi.Statement{
			ID: id, ResourceID: res.id, ResourceType: res.kind, Status: status,
			StartedTime: &start, DueTime: &due, Type: kind, Amount: statementAmount(rng, res.kind),
		})
	}
}

// objectID is a 24-digit hex id whose first 8 digits are a Unix time, like
// the ids in the vendor's example.
func objectID(rng *rand.Rand, unix int64) string {
	return fmt.Sprintf("%08x%016x", uint32(unix), rng.Uint64())
}

// statementAmount is an amount with 4 decimal places, as in the vendor's
// example: mostly small, sometimes large, now and then zero.
func statementAmount(rng *rand.Rand, kind string) json.Number {
	var units int64 // ten-thousandths
	switch p := rng.Float64(); {
	case p < 0.02:
		units = 0
	case p < 0.05:
		units = 1_000_000 + rng.Int64N(1_000_000_000) // 100 .. 100100
	case kind == "vm":
		units = 1 + rng.Int64N(500_000)
	case kind == "volume":
		units = 1 + rng.Int64N(100_000)
	default:
		units = 1 + rng.Int64N(20_000)
	}
	return json.Number(fmt.Sprintf("%d.%04d", units/10_000, units%10_000))
}

// registerStatements routes the statements endpoint.
func (s *Server) registerStatements() {
	views := &statementViews{}
	s.route("GET "+fptapi.StatementsEndpoint, func(w http.ResponseWriter, r *http.Request) {
		s.handleStatements(w, r, views)
	})
}

// handleStatements answers GET /v1/billing/resources/statements: the
// dataset's statements that match every filter, sorted (stably, id breaking
// ties, so that desc is exactly the reverse of asc), then one page of them.
// The envelope's status is a boolean, as the vendor documents for this
// endpoint, whatever Config.StatusStyle says. With Config.IgnoreOffset the
// page always starts at offset 0, as a broken API would.
func (s *Server) handleStatements(w http.ResponseWriter, r *http.Request, views *statementViews) {
	q, err := parseStatementsQuery(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"status": false, "message": err.Error(), "data": nil})
		return
	}
	if s.cfg.ArriveEvery > 0 {
		s.statementsMu.Lock()
		s.statementArrivals()
		s.statementsMu.Unlock()
	}
	s.statementsMu.RLock() // one instant of the data for the whole answer
	matched := views.get(s.Data.Statements, q)
	offset := q.offset
	if s.cfg.IgnoreOffset {
		offset = 0
	}
	start := min(offset, len(matched))
	end := min(start+q.limit, len(matched))
	page := make([]fptapi.Statement, 0, end-start)
	for _, st := range matched[start:end] {
		page = append(page, *st)
	}
	s.statementsMu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"status": true, "message": statementsOKMessage, "total": len(matched), "data": page,
	})
}

// get is the dataset's statements that match q's filters, in q's
// order. Views are cached per filters and order, as long as Data.Statements
// is the same slice: tests that change the statements replace the slice (or
// edit it before the first request).
func (s *statementViews) get(data []fptapi.Statement, q statementsQuery) []*fptapi.Statement {
	key := q.viewKey
	s.viewMu.Lock()
	if len(data) == 0 || len(s.views) > 0 && (s.viewsOf != &data[0] || s.viewsLen != len(data)) {
		s.views = nil
	}
	view, ok := s.views[key]
	s.viewMu.Unlock()
	if ok {
		return view
	}

	matched := make([]*fptapi.Statement, 0, len(data))
	for i := range data {
		if st := &data[i]; statementMatches(st, q.filters) {
			matched = append(matched, st)
		}
	}
	// Sort indices, not pointers: swaps without write barriers keep 10,000
	// rows cheap.
	order := make([]int32, len(matched))
	for i := range order {
		order[i] = int32(i)
	}
	byKey := keyComparer(q.sortField, matched)
	slices.SortFunc(order, func(i, j int32) int {
		c := byKey(i, j)
		if c == 0 {
			c = strings.Compare(matched[i].ID, matched[j].ID)
		}
		if c == 0 {
			c = cmp.Compare(i, j) // equal ids keep the dataset's order
		}
		if q.sortOrder == "desc" {
			c = -c
		}
		return c
	})
	view = make([]*fptapi.Statement, len(order))
	for i, j := range order {
		view[i] = matched[j]
	}

	if len(data) > 0 {
		s.viewMu.Lock()
		if s.views == nil || len(s.views) >= maxStatementViews {
			s.views = map[string][]*fptapi.Statement{}
		}
		s.viewsOf, s.viewsLen = &data[0], len(data)
		s.views[key] = view
		s.viewMu.Unlock()
	}
	return view
}

// keyComparer compares matched[i] and matched[j] by one field, from keys
// extracted once: integers and strings compare without touching the
// statements again.
func keyComparer(key string, matched []*fptapi.Statement) func(i, j int32) int {
	keys := make([]value, len(matched))
	for i, st := range matched {
		keys[i] = field(st, key)
	}
	switch {
	case key == fptapi.FieldStartedTime || key == fptapi.FieldDueTime:
		ints := make([]int64, len(keys))
		for i, k := range keys {
			ints[i] = k.unix
			if k.null {
				ints[i] = math.MinInt64 // null sorts first
			}
		}
		return func(i, j int32) int { return cmp.Compare(ints[i], ints[j]) }
	case !slices.Contains(fptapi.NumericStatementFields, key):
		texts := make([]string, len(keys))
		for i, k := range keys {
			texts[i] = k.text
		}
		return func(i, j int32) int { return strings.Compare(texts[i], texts[j]) }
	}
	return func(i, j int32) int { return keys[i].compare(keys[j]) }
}

type statementsQuery struct {
	viewKey       string // filters and order, as sent
	limit, offset int
	sortField     string
	sortOrder     string
	filters       []statementFilter
}

type statementFilter struct {
	key, op string
	val     value
}

func parseStatementsQuery(v url.Values) (statementsQuery, error) {
	q := statementsQuery{limit: defaultStatementsLimit, sortField: defaultStatementsSort, sortOrder: defaultStatementsOrder}
	var err error
	if raw := v.Get("limit"); raw != "" {
		if q.limit, err = strconv.Atoi(raw); err != nil || q.limit < 0 {
			return q, fmt.Errorf("limit must be a non-negative integer, not %q", raw)
		}
		q.limit = min(q.limit, maxStatementsLimit)
	}
	if raw := v.Get("offset"); raw != "" {
		if q.offset, err = strconv.Atoi(raw); err != nil || q.offset < 0 {
			return q, fmt.Errorf("offset must be a non-negative integer, not %q", raw)
		}
	}
	if raw := v.Get("sortField"); raw != "" {
		if !slices.Contains(fptapi.StatementFields, raw) {
			return q, fmt.Errorf("sortField %q is not a statement field; use one of %s", raw, strings.Join(fptapi.StatementFields, ", "))
		}
		q.sortField = raw
	}
	if raw := v.Get("sortOrder"); raw != "" {
		if raw != "asc" && raw != "desc" {
			return q, fmt.Errorf("sortOrder must be asc or desc, not %q", raw)
		}
		q.sortOrder = raw
	}
	if raw := v.Get("filters"); raw != "" {
		if q.filters, err = parseStatementFilters(raw); err != nil {
			return q, err
		}
	}
	q.viewKey = q.sortField + " " + q.sortOrder + " " + v.Get("filters")
	return q, nil
}

func parseStatementFilters(raw string) ([]statementFilter, error) {
	var list []struct {
		Key string          `json:"key"`
		Op  string          `json:"op"`
		Val json.RawMessage `json:"val"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("filters must be a JSON array of {\"key\", \"op\", \"val\"} objects: %v", err)
	}
	filters := make([]statementFilter, 0, len(list))
	for _, f := range list {
		if !slices.Contains(fptapi.StatementFields, f.Key) {
			return nil, fmt.Errorf("filters: key %q is not a statement field; use one of %s", f.Key, strings.Join(fptapi.StatementFields, ", "))
		}
		if !slices.Contains(fptapi.FilterOps, f.Op) {
			return nil, fmt.Errorf("filters: op %q on %q is not supported; use one of %s", f.Op, f.Key, strings.Join(fptapi.FilterOps, ", "))
		}
		text, err := filterText(f.Val)
		if err != nil {
			return nil, fmt.Errorf("filters: val of %q: %v", f.Key, err)
		}
		val := value{text: text}
		if slices.Contains(fptapi.NumericStatementFields, f.Key) {
			if f.Op == fptapi.OpContains {
				return nil, fmt.Errorf("filters: op contains does not apply to the number field %q", f.Key)
			}
			if val.num, err = billing.ParseMoney(text); err != nil {
				return nil, fmt.Errorf("filters: %q is a number field, and %q is not a number", f.Key, text)
			}
			val.numeric = true
			if unix, err := strconv.ParseInt(text, 10, 64); err == nil && f.Key != fptapi.FieldAmount {
				val.unix, val.isUnix = unix, true
			}
		}
		filters = append(filters, statementFilter{key: f.Key, op: f.Op, val: val})
	}
	return filters, nil
}

// filterText is a filter's val as text: a JSON string or number.
func filterText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil || n == "" {
		return "", fmt.Errorf("must be a string or a number, not %s", raw)
	}
	return n.String(), nil
}

// value is a statement field or a filter value: text, or a number (a
// decimal, or an integer such as a Unix time, kept as int64 to compare fast;
// its text is then left empty).
type value struct {
	text    string
	num     billing.Money
	unix    int64
	isUnix  bool
	numeric bool
	null    bool
}

func (v value) compare(o value) int {
	switch {
	case v.null || o.null:
		return cmp.Compare(boolInt(!v.null), boolInt(!o.null)) // null sorts first
	case v.isUnix && o.isUnix:
		return cmp.Compare(v.unix, o.unix)
	case v.numeric && o.numeric:
		return v.decimal().Cmp(o.decimal())
	}
	return strings.Compare(v.text, o.text)
}

func (v value) decimal() billing.Money {
	if v.isUnix {
		return billing.MustParseMoney(strconv.FormatInt(v.unix, 10))
	}
	return v.num
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// field is the value of one field of st.
func field(st *fptapi.Statement, key string) value {
	unix := func(t *int64) value {
		if t == nil {
			return value{null: true}
		}
		return value{unix: *t, isUnix: true, numeric: true}
	}
	switch key {
	case fptapi.FieldID:
		return value{text: st.ID}
	case fptapi.FieldResourceID:
		return value{text: st.ResourceID}
	case fptapi.FieldResourceType:
		return value{text: st.ResourceType}
	case fptapi.FieldStatus:
		return value{text: st.Status}
	case fptapi.FieldType:
		return value{text: st.Type}
	case fptapi.FieldStartedTime:
		return unix(st.StartedTime)
	case fptapi.FieldDueTime:
		return unix(st.DueTime)
	case fptapi.FieldAmount:
		m, err := billing.ParseMoney(st.Amount.String())
		if err != nil {
			return value{null: true}
		}
		return value{text: st.Amount.String(), num: m, numeric: true}
	}
	return value{null: true}
}

// statementMatches reports whether st passes every filter. A null field
// passes only ne.
func statementMatches(st *fptapi.Statement, filters []statementFilter) bool {
	for _, f := range filters {
		v := field(st, f.key)
		if v.null {
			if f.op != fptapi.OpNe {
				return false
			}
			continue
		}
		c := v.compare(f.val)
		var ok bool
		switch f.op {
		case fptapi.OpEq:
			ok = c == 0
		case fptapi.OpNe:
			ok = c != 0
		case fptapi.OpContains:
			ok = strings.Contains(v.text, f.val.text)
		case fptapi.OpGt:
			ok = c > 0
		case fptapi.OpGte:
			ok = c >= 0
		case fptapi.OpLt:
			ok = c < 0
		case fptapi.OpLte:
			ok = c <= 0
		}
		if !ok {
			return false
		}
	}
	return true
}
