package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Data that moves while it is read: with Config.ArriveEvery = K, every K-th
// request to the bills endpoints adds one bill line, and every K-th request
// to the statements endpoint one statement, until Config.Arrivals have
// arrived (a negative Arrivals: they never stop). A real API's data moves
// this way while the current day is being billed.
//
// A new bill line is for Config.ArrivalDay, or else the last day of the
// request that brought it (to_date, or search_date). It is served first
// among its day's lines, so that it raises the paging endpoint's "total"
// and shifts every later line of the range one place down, across page
// boundaries. A new statement starts after every other one, so under the
// default order (started_time, newest first) it too shifts every page.
//
// Each answer is made from one instant of the data, as a database
// snapshot would be; the data at any instant of the past can be read back
// (Bills.RangeAt, Server.StatementsAt) to compare a read with.

// snapshot is the lines that have arrived so far. Its entries never change.
func (b *Bills) snapshot() []fptapi.BillLine {
	b.arrivedMu.RLock()
	defer b.arrivedMu.RUnlock()
	return b.arrived[:len(b.arrived):len(b.arrived)]
}

// Arrived is how many bill lines have arrived while serving.
func (b *Bills) Arrived() int {
	b.arrivedMu.RLock()
	defer b.arrivedMu.RUnlock()
	return len(b.arrived)
}

// Arrive adds a new line for day, served first among the day's lines, and
// returns it. Its values are generated from the seed, the day and how many
// lines arrived before it.
func (b *Bills) Arrive(day string) (fptapi.BillLine, error) {
	date, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return fptapi.BillLine{}, fmt.Errorf("arrival day %q is not a date (YYYY-MM-DD)", day)
	}
	b.arrivedMu.Lock()
	defer b.arrivedMu.Unlock()
	n := len(b.arrived)
	line := b.line(date, n%max(1, b.LinesPerDay))
	line.Name = fmt.Sprintf("%s-late-%d", line.Name, n+1)
	b.arrived = append(b.arrived, line)
	return line, nil
}

// due reports whether the request numbered n (1-based) brings a new line
// or statement, given how many have arrived so far.
func (s *Server) due(n int64, arrivedSoFar int) bool {
	k := int64(s.cfg.ArriveEvery)
	if k <= 0 || n%k != 0 {
		return false
	}
	return s.cfg.Arrivals < 0 || arrivedSoFar < s.cfg.Arrivals
}

// billArrivals counts a request to the bills endpoints whose range ends on
// lastDay, and adds a line when one is due.
func (s *Server) billArrivals(lastDay string) {
	n := s.billRequests.Add(1)
	s.arrivalMu.Lock() // the check and the arrival are one step
	defer s.arrivalMu.Unlock()
	if !s.due(n, s.Data.Bills.Arrived()) {
		return
	}
	day := s.cfg.ArrivalDay
	if day == "" {
		day = lastDay
	}
	_, _ = s.Data.Bills.Arrive(day) // the day was checked by the handler or by New
}

// statementArrivals counts a request to the statements endpoint and adds
// a statement when one is due. It must be called with statementsMu held
// for writing.
func (s *Server) statementArrivals() {
	n := s.statementRequests.Add(1)
	if !s.due(n, s.statementsArrived) {
		return
	}
	k := s.statementsArrived
	rng := rand.New(rand.NewPCG(s.cfg.Seed+uint64(k), 0xa771))
	started := s.now().Unix() + int64(k) // after every generated statement, which started before now
	due := started + 3600
	st := fptapi.Statement{
		ID: objectID(rng, started), ResourceID: objectID(rng, started-86400), ResourceType: "vm",
		Status: "unpaid", StartedTime: &started, DueTime: &due, Type: "lease_fee", Amount: statementAmount(rng, "vm"),
	}
	// A new slice, so that views made from the old one are dropped.
	s.Data.Statements = append(slices.Clip(s.Data.Statements), st)
	s.statementsArrived++
}

// StatementsArrived is how many statements have arrived while serving.
func (s *Server) StatementsArrived() int {
	s.statementsMu.RLock()
	defer s.statementsMu.RUnlock()
	return s.statementsArrived
}

// StatementsAt is the dataset's statements as they were when the first
// arrived statements had arrived (at most StatementsArrived()).
func (s *Server) StatementsAt(arrived int) []fptapi.Statement {
	s.statementsMu.RLock()
	defer s.statementsMu.RUnlock()
	base := len(s.Data.Statements) - s.statementsArrived
	return slices.Clone(s.Data.Statements[:base+max(0, min(arrived, s.statementsArrived))])
}

// pagingRefusal is the message of the paging endpoint when
// Config.PagingStatus makes it refuse every request.
func pagingRefusal(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Bad request: unknown field \"from_date\"; expected \"start_date\""
	case http.StatusUnprocessableEntity:
		return "Unprocessable entity: \"page_size\" is not a valid parameter"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusMethodNotAllowed:
		return "Method not allowed: use GET /v1/billing/bills?search_date=YYYY-MM-DD"
	}
	return http.StatusText(status)
}
