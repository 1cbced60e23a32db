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
}

// Server is the emulator: an http.Handler.
type Server struct {
	cfg  Config
	Data *Dataset // generated from the seed; tests may edit it before serving
	mux  *http.ServeMux

	requests sync.Map // endpoint -> *atomic.Int64

	faultMu  sync.Mutex
	rng      *rand.Rand
	scripted map[string][]FaultKind // endpoint -> faults to serve next, in order
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
	s := &Server{
		cfg:      cfg,
		Data:     Generate(cfg),
		mux:      http.NewServeMux(),
		rng:      rand.New(rand.NewPCG(cfg.Seed, 0x5eed)),
		scripted: map[string][]FaultKind{},
	}
	s.route("GET "+fptapi.BillInfoEndpoint, s.handleBillInfo)
	s.route("GET "+fptapi.ServiceTypesEndpoint, s.handleServiceTypes)
	s.registerBills()
	s.registerStatements()
	s.mux.HandleFunc("GET "+StatsPath, s.handleRequestCounts)
	return s
}

// StatsPath serves the request counters as JSON, for scripts that measure
// how many API calls a terraform run made. It needs no token.
const StatsPath = "/_emulator/requests"

func (s *Server) handleRequestCounts(w http.ResponseWriter, _ *http.Request) {
	counts := map[string]int64{}
	s.requests.Range(func(k, v any) bool {
		endpoint, _ := k.(string)
		counter, _ := v.(*atomic.Int64)
		counts[endpoint] = counter.Load()
		return true
	})
	writeJSON(w, http.StatusOK, map[string]any{"total": s.TotalRequests(), "by_endpoint": counts})
}

// route registers handler for pattern ("METHOD /path") under the /api prefix
// that real base URLs carry, and at the root, so that both
// http://host/api and http://host work as a base URL.
func (s *Server) route(pattern string, handler http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	h := s.wrap(path, handler)
	s.mux.Handle(method+" "+path, h)
	s.mux.Handle(method+" /api"+path, h)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
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
		v, _ := s.requests.LoadOrStore(endpoint, new(atomic.Int64))
		counter, _ := v.(*atomic.Int64)
		counter.Add(1)
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
