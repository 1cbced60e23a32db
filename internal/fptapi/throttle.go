package fptapi

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// throttle paces the requests of one Client, shared by all its reads. Many
// clients (one per provider process, one per workspace planning) may share
// one account's rate limit, and none of them knows of the others; each
// learns its share from the API's answers:
//
//   - Requests in flight follow AIMD: the limit starts at 1 and grows by one
//     per success up to the client's MaxConcurrency (slow start, so that a
//     burst of reads does not open with eight requests each), then by one
//     per limit's worth of successes; a rate limit halves it, at most once
//     per round of requests (a refusal of a request sent before the last
//     cut does not cut again).
//   - After a rate limit, no request starts before the server's Retry-After
//     has passed, plus jitter, so that the clients refused together do not
//     return together.
//   - While the API refuses, request starts are spaced by an interval, the
//     client's estimate of its share of the account's rate: a refusal
//     triples it (once per round; from one and a half Retry-After, up to
//     maxThrottleInterval), a success cuts it by two fifths, and it halves
//     by itself every intervalHalfLife, until it is negligible again. The
//     pause after a refusal adds a random part of it to the Retry-After.
//     The factors are tuned for 8 to 32 clients sharing a limit of 5
//     requests a second; make bench-load measures them.
type throttle struct {
	max int

	mu          sync.Mutex
	limit       float64       // requests allowed in flight, 1..max
	slowStart   bool          // the limit grows by one per success
	inFlight    int           // requests started and not yet answered
	pausedUntil time.Time     // no request starts before this, after a rate limit
	interval    time.Duration // least time between request starts; 0 unless throttled
	decayedAt   time.Time     // when interval was last decayed
	nextStart   time.Time     // earliest start of the next request, per interval
	round       uint64        // counts the cuts of the limit
	wake        chan struct{} // closed (and replaced) when a slot frees or a wait changes

	jitter func(time.Duration) time.Duration // a duration in [0, d]; random, a test's own in tests
}

// Bounds of the throttle's interval between request starts.
const (
	minThrottleInterval = 5 * time.Millisecond
	maxThrottleInterval = 8 * time.Second
	intervalHalfLife    = 6 * time.Second
	initialInFlight     = 1
)

func newThrottle(maxInFlight int) *throttle {
	maxInFlight = max(1, maxInFlight)
	return &throttle{
		max: maxInFlight, limit: float64(min(initialInFlight, maxInFlight)), slowStart: true,
		wake: make(chan struct{}), jitter: randomJitter,
	}
}

// errThrottledPastDeadline: the throttle would start the request only
// after the context's deadline.
var errThrottledPastDeadline = errors.New("the read's timeout ends before the API's rate limit lets the request start")

// ticket is one request's slot: the round it started in.
type ticket struct{ round uint64 }

// acquire waits until a request may start: a slot is free, no pause is on
// and the interval since the last start has passed. It fails at once with
// errThrottledPastDeadline when that time is past ctx's deadline.
func (t *throttle) acquire(ctx context.Context) (ticket, error) {
	for {
		t.mu.Lock()
		now := time.Now()
		t.decay(now)
		wait := max(t.pausedUntil.Sub(now), t.nextStart.Sub(now))
		if deadline, ok := ctx.Deadline(); ok && wait > 0 && now.Add(wait).After(deadline) {
			t.mu.Unlock()
			return ticket{}, errThrottledPastDeadline
		}
		if wait <= 0 && t.inFlight < max(1, int(t.limit)) {
			t.inFlight++
			t.nextStart = now.Add(t.interval)
			tk := ticket{round: t.round}
			t.mu.Unlock()
			return tk, nil
		}
		wake := t.wake
		t.mu.Unlock()
		var timer *time.Timer
		var fired <-chan time.Time
		if wait > 0 {
			timer = time.NewTimer(wait)
			fired = timer.C
		}
		select {
		case <-ctx.Done():
		case <-wake:
		case <-fired:
		}
		if timer != nil {
			timer.Stop()
		}
		if err := ctx.Err(); err != nil {
			return ticket{}, err
		}
	}
}

// outcome of a request, as the throttle sees it.
type outcome int

const (
	outcomeOther       outcome = iota // a fault that is not about the rate, or a cancelled request
	outcomeOK                         // a 2xx answer
	outcomeRateLimited                // a 429, or a 503 with Retry-After
)

// release frees tk's slot and adapts to the request's outcome; retryAfter
// is the server's, for a rate limit, and deadline the read's (zero when it
// has none). It returns when the next request may start at the earliest,
// for a rate limit.
//
// The jitter added to Retry-After never pushes a retry that fits before the
// deadline past it: it is at most half the time left after Retry-After, so
// the retry also keeps room to be answered.
func (t *throttle) release(tk ticket, o outcome, retryAfter time.Duration, deadline time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	defer t.broadcast()
	t.inFlight--
	now := time.Now()
	t.decay(now)
	switch o {
	case outcomeOK:
		if t.slowStart {
			t.limit++
		} else {
			t.limit += 1 / t.limit
		}
		t.limit = min(t.limit, float64(t.max))
		t.setInterval(t.interval * 3 / 5)
	case outcomeRateLimited:
		if tk.round == t.round { // once per round: the requests in flight were refused together
			t.round++
			t.slowStart = false
			t.limit = max(1, t.limit/2)
			t.setInterval(min(maxThrottleInterval, max(3*t.interval, retryAfter*3/2)))
		}
		// Come back after Retry-After plus up to one interval, at random,
		// within half the time the deadline leaves after Retry-After.
		spread := t.interval
		if !deadline.IsZero() {
			spread = min(spread, max(0, deadline.Sub(now)-retryAfter)/2)
		}
		resume := now.Add(retryAfter + t.jitter(spread))
		if resume.After(t.pausedUntil) {
			t.pausedUntil = resume
		}
	}
	return t.pausedUntil
}

// decay halves the interval every intervalHalfLife: a client that the API
// has stopped refusing (the others finished, or the limit was lifted)
// speeds up by itself, not only as fast as its own successes allow.
func (t *throttle) decay(now time.Time) {
	if t.interval > 0 {
		elapsed := now.Sub(t.decayedAt)
		t.setInterval(time.Duration(float64(t.interval) * math.Exp2(-elapsed.Seconds()/intervalHalfLife.Seconds())))
	}
	t.decayedAt = now
}

// setInterval sets the interval, and 0 when it becomes negligible.
func (t *throttle) setInterval(d time.Duration) {
	if d < minThrottleInterval {
		d = 0
	}
	t.interval = d
}

func (t *throttle) broadcast() {
	close(t.wake)
	t.wake = make(chan struct{})
}

// randomJitter is a random duration in [0, d].
func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}
