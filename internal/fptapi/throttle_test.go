package fptapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestThrottleAIMD: the requests in flight start at one, grow by one per
// success up to the client's maximum, halve on a rate limit once per round
// however many requests of that round are refused, and grow again by one
// per limit's worth of successes.
func TestThrottleAIMD(t *testing.T) {
	th := newThrottle(8)
	ctx := context.Background()
	if th.limit != 1 {
		t.Fatalf("limit %v at the start, want 1", th.limit)
	}
	for range 10 {
		tk, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		th.release(tk, outcomeOK, 0, time.Time{})
	}
	if th.limit != 8 {
		t.Fatalf("limit %v after 10 successes, want the maximum 8", th.limit)
	}
	// Four requests of one round, all refused: one cut.
	var tickets []ticket
	for range 4 {
		tk, err := th.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
	}
	start := time.Now() // elapsed time, not a date
	var resume time.Time
	for _, tk := range tickets {
		resume = th.release(tk, outcomeRateLimited, time.Second, time.Time{})
	}
	if th.limit != 4 {
		t.Fatalf("limit %v after one round refused, want 4 (halved once)", th.limit)
	}
	if th.interval <= 0 {
		t.Fatal("no interval between request starts after a rate limit")
	}
	if wait := resume.Sub(start); wait < time.Second || wait > time.Second+th.interval+100*time.Millisecond {
		t.Fatalf("the pause after Retry-After: 1 is %v, want 1s plus at most one interval (%v)", wait, th.interval)
	}
	// Four slots: a fifth request waits (it is also paused, so test the
	// slots alone by lifting the pause).
	th.mu.Lock()
	th.pausedUntil, th.interval, th.nextStart = time.Time{}, 0, time.Time{}
	th.mu.Unlock()
	for range 4 {
		if _, err := th.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := th.acquire(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a fifth request started with a limit of 4: %v", err)
	}
	for range 4 {
		th.release(ticket{round: th.round}, outcomeOK, 0, time.Time{})
	}
	if th.limit <= 4 || th.limit >= 5 {
		t.Fatalf("limit %v after four successes past the cut, want a little over 4 (additive increase)", th.limit)
	}
}

// TestThrottleJitter: clients refused at the same moment with the same
// Retry-After come back at different times, none before Retry-After.
func TestThrottleJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 20 {
		th := newThrottle(8)
		tk, _ := th.acquire(context.Background())
		now := time.Now() // elapsed time, not a date
		wait := th.release(tk, outcomeRateLimited, 2*time.Second, time.Time{}).Sub(now)
		if wait < 2*time.Second {
			t.Fatalf("came back after %v, before the Retry-After of 2s", wait)
		}
		seen[wait.Round(time.Millisecond)] = true
	}
	if len(seen) < 10 {
		t.Fatalf("20 clients refused together come back at %d distinct times, want them spread", len(seen))
	}
}

// TestRateLimitRetriedUntilDeadline: a rate limit is retried however many
// times the API refuses, max_retries notwithstanding, while the read's
// deadline allows; a 503 with Retry-After counts as one, and a 503 without
// it is bounded by max_retries. Without a deadline, rate limits count
// against max_retries.
func TestRateLimitRetriedUntilDeadline(t *testing.T) {
	refusing := func(status, refusals int, retryAfter string) (http.Handler, *atomic.Int32) {
		var calls atomic.Int32
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if int(calls.Add(1)) <= refusals {
				if retryAfter != "" {
					w.Header().Set("Retry-After", retryAfter)
				}
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"status":1,"message":"slow down"}`))
				return
			}
			_, _ = w.Write([]byte(`{"status":0,"data":[]}`))
		}), &calls
	}
	deadline := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 20*time.Second)
	}
	noRetries := func(cfg *Config) { cfg.MaxRetries = -1 }

	t.Run("429_past_max_retries", func(t *testing.T) {
		h, calls := refusing(http.StatusTooManyRequests, 6, "0")
		ctx, cancel := deadline()
		defer cancel()
		if _, err := newTestClient(t, h, noRetries).BillInfo(ctx); err != nil {
			t.Fatalf("a read refused 6 times with max_retries 0 and time to spare: %v", err)
		}
		if calls.Load() != 7 {
			t.Errorf("%d calls, want 7", calls.Load())
		}
	})
	t.Run("503_with_retry_after", func(t *testing.T) {
		h, _ := refusing(http.StatusServiceUnavailable, 3, "0")
		ctx, cancel := deadline()
		defer cancel()
		// "0" parses to no wait: the 503 is then an ordinary fault.
		if _, err := newTestClient(t, h, noRetries).BillInfo(ctx); err == nil {
			t.Fatal("a 503 with Retry-After: 0 was retried with max_retries 0")
		}
		h, calls := refusing(http.StatusServiceUnavailable, 1, "1")
		if _, err := newTestClient(t, h, noRetries).BillInfo(ctx); err != nil || calls.Load() != 2 {
			t.Fatalf("a 503 with Retry-After: 1 and max_retries 0: %v after %d calls, want success after 2", err, calls.Load())
		}
	})
	t.Run("no_deadline", func(t *testing.T) {
		h, calls := refusing(http.StatusTooManyRequests, 6, "0")
		_, err := newTestClient(t, h).BillInfo(context.Background()) // max_retries 3
		if !IsKind(err, KindRateLimited) || calls.Load() != 4 {
			t.Fatalf("without a deadline: %v after %d calls, want a rate limit error after 4", err, calls.Load())
		}
	})
}

// largestJitter is the jitter at its largest, the case that pushes a retry
// furthest.
func largestJitter(d time.Duration) time.Duration { return d }

// TestThrottleJitterKeepsRetryBeforeDeadline: whatever the jitter draws,
// a retry that Retry-After lets start before the read's deadline is not
// pushed past it, and keeps half the time left to be answered.
func TestThrottleJitterKeepsRetryBeforeDeadline(t *testing.T) {
	for _, left := range []time.Duration{1500 * time.Millisecond, 2500 * time.Millisecond, 10 * time.Second} {
		th := newThrottle(8)
		th.jitter = largestJitter
		tk, _ := th.acquire(context.Background())
		now := time.Now()                              // elapsed time, not a date
		th.interval, th.decayedAt = 8*time.Second, now // the jitter's spread at its widest
		deadline := now.Add(left)
		resume := th.release(tk, outcomeRateLimited, time.Second, deadline)
		if resume.Before(now.Add(time.Second)) {
			t.Errorf("deadline in %v: resumes after %v, before the Retry-After of 1s", left, resume.Sub(now))
		}
		if room, want := deadline.Sub(resume), (left-time.Second)/2; room < want-10*time.Millisecond {
			t.Errorf("deadline in %v: resumes %v before the deadline, want at least %v (half the time after Retry-After)", left, room, want)
		}
	}
	// Without a deadline, the jitter keeps its spread of one interval.
	th := newThrottle(8)
	th.jitter = largestJitter
	tk, _ := th.acquire(context.Background())
	now := time.Now() // elapsed time, not a date
	th.interval, th.decayedAt = 2*time.Second, now
	wait := th.release(tk, outcomeRateLimited, time.Second, time.Time{}).Sub(now)
	if want := time.Second + th.interval; wait < want {
		t.Errorf("without a deadline the largest jitter waits %v in all, want Retry-After plus the interval (%v)", wait, want)
	}
}

// TestRateLimitGiveUpSaysHowLong: the error of a read that the rate limit
// outlasts says how long it waited and how often it was refused. The
// jitter is at its largest: it must not turn the retry that fits in the
// read's timeout into giving up.
func TestRateLimitGiveUpSaysHowLong(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	c.throttle.jitter = largestJitter
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	_, err := c.BillInfo(ctx)
	m := regexp.MustCompile(`gave up after ([0-9.]+)s: the API refused this request ([0-9]+) times with a rate limit, and the read's timeout ends before the next retry`).
		FindStringSubmatch(errString(err))
	if m == nil {
		t.Fatalf("err = %v, want how long it waited and how many refusals", err)
	}
	if n, _ := strconv.Atoi(m[2]); n != int(calls.Load()) || n < 2 {
		t.Errorf("the error counts %s refusals, the server made %d (want at least 2 in 2.5s with Retry-After: 1)", m[2], calls.Load())
	}
	if s, _ := strconv.ParseFloat(m[1], 64); s < 1 {
		t.Errorf("the error says it waited %ss, want at least the first Retry-After", m[1])
	}
	if !IsKind(err, KindRateLimited) {
		t.Errorf("err = %v, want a rate limit error", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestThrottleConcurrentRequests: many requests of one client at once
// against a server that serves 3 in each 50 ms and refuses the rest with
// 429 all succeed, never more than MaxConcurrency of them in flight. Run
// with -race, it checks the throttle's shared state.
func TestThrottleConcurrentRequests(t *testing.T) {
	var (
		mu                      sync.Mutex
		window                  int64
		served                  int
		inFlight, most, refused int
	)
	start := time.Now() // elapsed time, not a date
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if win := int64(time.Since(start) / (50 * time.Millisecond)); win != window {
			window, served = win, 0
		}
		ok := served < 3
		if ok {
			served++
		} else {
			refused++
		}
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		time.Sleep(10 * time.Millisecond) // long enough for requests to overlap
		if !ok {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{"status":0,"data":[]}`))
	}), func(cfg *Config) { cfg.MaxConcurrency = 4 })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := request{method: http.MethodGet, endpoint: BillsEndpoint, query: url.Values{"search_date": {strconv.Itoa(i)}}}
			errs <- c.do(ctx, req, func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err })
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if most > 4 {
		t.Errorf("%d requests in flight at once, more than MaxConcurrency 4", most)
	}
	if refused == 0 {
		t.Error("the server refused nothing: the test proves nothing")
	}
	t.Logf("40 requests, %d refusals, at most %d in flight", refused, most)
}
