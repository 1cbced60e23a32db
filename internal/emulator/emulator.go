// Package emulator is a deterministic stand-in for the FPT Cloud billing API.
// It serves every endpoint of the API contract from data generated from a
// seed, checks the token, and injects faults on demand or at random, so that
// the provider's tests and its demo need no network.
package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Config sets up an emulator. The zero value is usable: token "test-token",
// seed 1, integer status, no latency and no faults.
type Config struct {
	Token          string        // the only token accepted (401 otherwise)
	Seed           uint64        // same seed, same data
	Latency        time.Duration // added to every request
	FaultRate      float64       // 0..1: share of requests that fail at random
	Faults         []FaultKind   // kinds drawn from when a random fault fires (default: all transient ones)
	StatusStyle    string        // "int" (Console API) or "bool" (statements API style)
	RetryAfter     time.Duration // the Retry-After of a 429 (default 1s)
	SlowDelay      time.Duration // how long a "slow" fault stalls (default 30s)
	LinesPerDay    int           // bill lines generated per day
	DeprecatedOnly bool          // no POST paging endpoint: 405, as an older API
	IgnoreOffset   bool          // the statements endpoint ignores offset, as a broken API
	Statements     int           // resource statements generated

	// Now is the emulator's clock (default time.Now). Like the API, the
	// emulator serves no bill line that starts after Now, and its data are
	// laid out around the month Now falls in when New is called (see
	// bills.go), so a test that pins Now gets the same data on any day.
	Now func() time.Time

	// Data that moves during a read (see arrivals.go).
	ArriveEvery int    // every this many requests, a bill line (bills endpoints) or a statement arrives; 0: none
	Arrivals    int    // how many arrive in all, per kind; negative: they never stop
	ArrivalDay  string // the day new bill lines are for; "": the last day of the request's range

	// PagingStatus, when not 0, is the HTTP status with which the POST
	// paging endpoint refuses every request (400 or 422: an API whose
	// paging body is not the inferred one; 404, 405: no such endpoint).
	PagingStatus int

	// RateLimit, when above 0, is how many requests a second the emulator
	// serves over all clients; past it, it answers 429 with Retry-After
	// and counts the refusal (see ratelimit.go).
	RateLimit int
}

// Server is the emulator: an http.Handler.
type Server struct {
	cfg  Config
	Data *Dataset // generated from the seed; tests may edit it before serving
	mux  *http.ServeMux

	requests sync.Map // endpoint -> *atomic.Int64
	routes   sync.Map // "METHOD endpoint" -> *atomic.Int64

	arrivalMu         sync.Mutex // bill arrivals: the check and the arrival are one step
	billRequests      atomic.Int64
	statementRequests atomic.Int64
	statementsMu      sync.RWMutex // Data.Statements, once serving, and statementsArrived
	statementsArrived int

	faultMu  sync.Mutex
	rng      *rand.Rand
	scripted map[string][]FaultKind // endpoint -> faults to serve next, in order

	limiter *rateLimiter // nil: no rate limit
}

// New builds an emulator from cfg.
func New(cfg Config) *Server {
	if cfg.Token == "" {
		cfg.Token = "test-token"
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.StatusStyle == "" {
		cfg.StatusStyle = "int"
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = time.Second
	}
	if cfg.SlowDelay == 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	if len(cfg.Faults) == 0 {
		cfg.Faults = TransientFaults
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:      cfg,
		Data:     Generate(cfg),
		mux:      http.NewServeMux(),
		rng:      rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		scripted: map[string][]FaultKind{},
		limiter:  newRateLimiter(cfg.RateLimit),
	}
	s.route("GET "+fptapi.BillInfoEndpoint, s.handleBillInfo)
	s.route("GET "+fptapi.ServiceTypesEndpoint, s.handleServiceTypes)
	s.registerBills()
	s.registerStatements()
	s.mux.HandleFunc("GET "+StatsPath, s.handleRequestCounts)
	return s
}

// APITimeZone is the zone of the API's days and local times: the FPT Cloud
// accounts' +07:00.
var APITimeZone = time.FixedZone("UTC+07:00", 7*3600)

// now is the emulator's clock in the API's time zone.
func (s *Server) now() time.Time { return s.cfg.Now().In(APITimeZone) }

// StatsPath serves the request counters as JSON, for scripts that measure
// how many API calls a terraform run made: by endpoint path, and by route
// ("POST /v1/billing/bills"), which tells the two bill endpoints apart. It
// needs no token. It also reports how much data arrived while serving.
const StatsPath = "/_emulator/requests"

func (s *Server) handleRequestCounts(w http.ResponseWriter, _ *http.Request) {
	counts := func(counters *sync.Map) map[string]int64 {
		out := map[string]int64{}
		counters.Range(func(k, v any) bool {
			key, _ := k.(string)
			counter, _ := v.(*atomic.Int64)
			out[key] = counter.Load()
			return true
		})
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"total": s.TotalRequests(), "by_endpoint": counts(&s.requests), "by_route": counts(&s.routes),
		"arrived": map[string]int{"bill_lines": s.Data.Bills.Arrived(), "statements": s.StatementsArrived()},
		"refused": s.Refused(),
	})
}

// BasePath is the path of the emulator's base URL, like the real API's
// (https://console-api.fptcloud.com/api): the API is served under it only,
// so that http://host/api is the base URL to configure and a base URL
// without it gets 404 with a plain-text body, as a wrong path on the real
// host would, instead of an answer that hides the mistake.
const BasePath = "/api"

// route registers handler for pattern ("METHOD /path", the path relative
// to the base URL) under BasePath.
func (s *Server) route(pattern string, handler http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.mux.Handle(method+" "+BasePath+path, s.wrap(path, handler))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// RequestsOf is how many requests with method reached endpoint, faults
// included: both bill endpoints share a path, and this tells them apart.
func (s *Server) RequestsOf(method, endpoint string) int64 {
	if v, ok := s.routes.Load(method + " " + endpoint); ok {
		counter, _ := v.(*atomic.Int64)
		return counter.Load()
	}
	return 0
}

func count(counters *sync.Map, key string) {
	v, _ := counters.LoadOrStore(key, new(atomic.Int64))
	counter, _ := v.(*atomic.Int64)
	counter.Add(1)
}

// Requests is how many requests reached endpoint (a contract path such as
// fptapi.BillInfoEndpoint), faults included.
func (s *Server) Requests(endpoint string) int64 {
	if v, ok := s.requests.Load(endpoint); ok {
		counter, _ := v.(*atomic.Int64)
		return counter.Load()
	}
	return 0
}

// TotalRequests is how many requests reached any endpoint.
func (s *Server) TotalRequests() int64 {
	var total int64
	s.requests.Range(func(_, v any) bool {
		counter, _ := v.(*atomic.Int64)
		total += counter.Load()
		return true
	})
	return total
}

// wrap counts, delays, authenticates and injects faults around handler.
func (s *Server) wrap(endpoint string, handler http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count(&s.requests, endpoint)
		count(&s.routes, r.Method+" "+endpoint)
		// Read the body first: the server notices a client that went away
		// (and ends r.Context()) only once the body has been read, so a
		// stalled POST would otherwise outlive its client.
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if s.cfg.Latency > 0 {
			select {
			case <-time.After(s.cfg.Latency):
			case <-r.Context().Done():
				return
			}
		}
		if s.refuseOverLimit(w) {
			return
		}
		if fault, ok := s.nextFault(endpoint); ok {
			s.serveFault(w, r, fault)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+s.cfg.Token {
			s.writeError(w, http.StatusUnauthorized, "Unauthorized: the access token is invalid or has expired")
			return
		}
		handler(w, r)
	})
}

// writeData writes a success envelope with data and any extra top-level fields.
func (s *Server) writeData(w http.ResponseWriter, message string, data any, extra map[string]any) {
	body := map[string]any{"status": s.okStatus(), "message": message, "data": data}
	for k, v := range extra {
		body[k] = v
	}
	writeJSON(w, http.StatusOK, body)
}

// writeError writes a failure envelope with an HTTP status.
func (s *Server) writeError(w http.ResponseWriter, httpStatus int, message string) {
	writeJSON(w, httpStatus, map[string]any{"status": s.failStatus(httpStatus), "message": message, "data": nil})
}

func (s *Server) okStatus() any {
	if s.cfg.StatusStyle == "bool" {
		return true
	}
	return 0
}

func (s *Server) failStatus(httpStatus int) any {
	if s.cfg.StatusStyle == "bool" {
		return false
	}
	return httpStatus
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	raw, err := json.Marshal(body)
	if err != nil {
		http.Error(w, fmt.Sprintf("emulator: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(raw)))
	w.WriteHeader(status)
	_, _ = w.Write(raw)
}

func (s *Server) handleBillInfo(w http.ResponseWriter, _ *http.Request) {
	s.writeData(w, "Get bill info successfully", nonNil(s.Data.BillingGroups), nil)
}

func (s *Server) handleServiceTypes(w http.ResponseWriter, _ *http.Request) {
	s.writeData(w, "Get service types successfully", nonNil(s.Data.ServiceTypes), nil)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
