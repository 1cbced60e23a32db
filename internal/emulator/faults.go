package emulator

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// FaultKind is a way the emulated API can fail.
type FaultKind string

// Faults the emulator can serve.
const (
	Fault429     FaultKind = "429"      // rate limited, Retry-After in seconds
	Fault429Date FaultKind = "429date"  // rate limited, Retry-After as an HTTP date
	Fault502     FaultKind = "502"      // bad gateway (JSON envelope)
	Fault503     FaultKind = "503"      // unavailable (JSON envelope)
	Fault504     FaultKind = "504"      // gateway timeout (JSON envelope)
	FaultHTML    FaultKind = "html"     // a proxy's HTML error page with 502
	FaultReset   FaultKind = "reset"    // the connection is reset with no response
	FaultTrunc   FaultKind = "truncate" // a 200 whose JSON body stops half-way
	FaultSlow    FaultKind = "slow"     // no answer for SlowDelay
	Fault401     FaultKind = "401"      // token rejected
	Fault403     FaultKind = "403"      // token lacks the billing permission
	Fault404     FaultKind = "404"      // endpoint not found
	Fault500     FaultKind = "500"      // internal error, not retried by clients
	FaultAPI     FaultKind = "apierror" // HTTP 200 whose body status reports failure
)

// TransientFaults are the faults a well-behaved client survives by retrying.
var TransientFaults = []FaultKind{Fault429, Fault429Date, Fault502, Fault503, Fault504, FaultHTML, FaultReset, FaultTrunc}

// AllFaults lists every kind, for flag validation.
var AllFaults = []FaultKind{Fault429, Fault429Date, Fault502, Fault503, Fault504, FaultHTML, FaultReset, FaultTrunc, FaultSlow, Fault401, Fault403, Fault404, Fault500, FaultAPI}

// ParseFaults reads a comma-separated list such as "429,503,html".
func ParseFaults(list string) ([]FaultKind, error) {
	var kinds []FaultKind
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		kind := FaultKind(name)
		if !slices.Contains(AllFaults, kind) {
			return nil, fmt.Errorf("unknown fault %q; known: %v", name, AllFaults)
		}
		kinds = append(kinds, kind)
	}
	return kinds, nil
}

// InjectFaults makes the next requests to endpoint fail with kinds, one each,
// in order, before the endpoint answers normally again.
func (s *Server) InjectFaults(endpoint string, kinds ...FaultKind) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.scripted[endpoint] = append(s.scripted[endpoint], kinds...)
}

func (s *Server) nextFault(endpoint string) (FaultKind, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if queue := s.scripted[endpoint]; len(queue) > 0 {
		s.scripted[endpoint] = queue[1:]
		return queue[0], true
	}
	if s.cfg.FaultRate > 0 && s.rng.Float64() < s.cfg.FaultRate {
		return s.cfg.Faults[s.rng.IntN(len(s.cfg.Faults))], true
	}
	return "", false
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, kind FaultKind) {
	switch kind {
	case Fault429:
		w.Header().Set("Retry-After", fmt.Sprint(int(s.cfg.RetryAfter.Seconds())))
		s.writeError(w, http.StatusTooManyRequests, "Too many requests: rate limit exceeded")
	case Fault429Date:
		// An HTTP date has whole seconds: round up so the client never comes back early.
		at := time.Now().Add(s.cfg.RetryAfter + time.Second).UTC()
		w.Header().Set("Retry-After", at.Format(http.TimeFormat))
		s.writeError(w, http.StatusTooManyRequests, "Too many requests: rate limit exceeded")
	case Fault502:
		s.writeError(w, http.StatusBadGateway, "Bad gateway: upstream billing service did not answer")
	case Fault503:
		s.writeError(w, http.StatusServiceUnavailable, "Service unavailable: billing is under maintenance")
	case Fault504:
		s.writeError(w, http.StatusGatewayTimeout, "Gateway timeout: upstream billing service was too slow")
	case Fault500:
		s.writeError(w, http.StatusInternalServerError, "Internal server error")
	case Fault401:
		s.writeError(w, http.StatusUnauthorized, "Unauthorized: the access token is invalid or has expired")
	case Fault403:
		s.writeError(w, http.StatusForbidden, "Forbidden: the user has no permission billing:read")
	case Fault404:
		s.writeError(w, http.StatusNotFound, "Not found")
	case FaultAPI:
		writeJSON(w, http.StatusOK, map[string]any{"status": s.failStatus(http.StatusInternalServerError), "message": "Billing data is being recalculated, try again later", "data": nil})
	case FaultHTML:
		page := "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>" +
			strings.Repeat("<!-- padding to make the page longer than an error shows -->", 8) + "</body></html>"
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(page))
	case FaultReset:
		resetConnection(w)
	case FaultTrunc:
		body := []byte(fmt.Sprintf(`{"status": %v, "message": "ok", "data": [{"day": "2024-09-01", "service": "Inst`, s.okStatus()))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)*3))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(bytes.Clone(body))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		resetConnection(w)
	case FaultSlow:
		select {
		case <-time.After(s.cfg.SlowDelay):
			s.writeError(w, http.StatusGatewayTimeout, "Gateway timeout")
		case <-r.Context().Done():
		}
	}
}

// resetConnection closes the client's connection abruptly (an RST where the
// platform allows), so the client sees a reset or an unexpected EOF.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
