package emulator

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// rateLimiter refuses requests past limit a second over all clients, as an
// API gateway that rate-limits one account does: time is cut in windows of
// one second, and a window serves at most limit requests. A refused request
// does not use up the window. The windows follow the wall clock's
// monotonic time, not the emulator's Config.Now, which only places the data.
type rateLimiter struct {
	limit   int
	elapsed func() time.Duration // time since the limiter started; tests replace it

	mu      sync.Mutex
	window  int64 // index of the current window, in seconds since start
	served  int   // requests served in it
	refused atomic.Int64
}

func newRateLimiter(limit int) *rateLimiter {
	if limit <= 0 {
		return nil
	}
	start := time.Now()
	return &rateLimiter{limit: limit, elapsed: func() time.Duration { return time.Since(start) }}
}

// admit says whether a request may be served now and, when not, how long
// until the next window opens.
func (l *rateLimiter) admit() (time.Duration, bool) {
	elapsed := l.elapsed()
	window := int64(elapsed / time.Second)
	l.mu.Lock()
	defer l.mu.Unlock()
	if window != l.window {
		l.window, l.served = window, 0
	}
	if l.served < l.limit {
		l.served++
		return 0, true
	}
	l.refused.Add(1)
	return time.Duration(window+1)*time.Second - elapsed, false
}

// refuseOverLimit answers 429 with a Retry-After, in whole seconds as most
// APIs send it (so never under one), when the request is past the rate
// limit, and reports whether it did.
func (s *Server) refuseOverLimit(w http.ResponseWriter) bool {
	if s.limiter == nil {
		return false
	}
	wait, ok := s.limiter.admit()
	if ok {
		return false
	}
	w.Header().Set("Retry-After", fmt.Sprint(max(1, int(math.Ceil(wait.Seconds())))))
	s.writeError(w, http.StatusTooManyRequests,
		fmt.Sprintf("Too many requests: rate limit of %d requests per second exceeded", s.limiter.limit))
	return true
}

// Refused is how many requests the rate limit (Config.RateLimit) refused
// with 429. They are counted in Requests and TotalRequests too.
func (s *Server) Refused() int64 {
	if s.limiter == nil {
		return 0
	}
	return s.limiter.refused.Load()
}
