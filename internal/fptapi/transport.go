package fptapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

const refreshTokenHeader = "refresh-token"

// request is one API call, before it is sent.
type request struct {
	method   string
	endpoint string
	query    url.Values
	body     any // JSON-encoded when not nil
}

// do sends req, retrying transient faults, and hands a successful 2xx body
// to decode. decode is called once per attempt; it must not keep anything
// from an attempt that fails.
//
// A rate limit (429, or 503 with Retry-After) is retried until ctx's
// deadline, the read's timeout, however many times the API refuses: the
// client's throttle spaces the attempts (see throttle.go). Other transient
// faults are retried at most maxRetries times. Under a context without a
// deadline, rate limits count against maxRetries too.
func (c *Client) do(ctx context.Context, req request, decode func(io.Reader) error) error {
	var payload []byte
	if req.body != nil {
		var err error
		if payload, err = json.Marshal(req.body); err != nil {
			return fmt.Errorf("encoding the request body for %s %s: %w", req.method, req.endpoint, err)
		}
	}
	deadline, hasDeadline := ctx.Deadline()
	var (
		faults       int // failed attempts that count against maxRetries
		refusals     int // attempts refused by a rate limit
		firstRefusal time.Time
		lastErr      error
	)
	for {
		tk, err := c.throttle.acquire(ctx)
		if err != nil {
			if errors.Is(err, errThrottledPastDeadline) && refusals > 0 {
				return c.gaveUp(lastErr, refusals, firstRefusal)
			}
			if lastErr != nil {
				return fmt.Errorf("%s %s: %w (last error: %v)", req.method, req.endpoint, err, lastErr)
			}
			return fmt.Errorf("%s %s: %w", req.method, req.endpoint, err)
		}
		err = c.attempt(ctx, req, payload, decode)
		retryAfter, limited := rateLimit(err)
		if limited {
			retryAfter = min(retryAfter, c.maxRetryAfter)
			if retryAfter <= 0 {
				retryAfter = c.backoff(refusals)
			}
		}
		resume := c.throttle.release(tk, outcomeOf(err, limited), retryAfter, deadline)
		if err == nil {
			return nil
		}
		lastErr = err
		if limited {
			refusals++
			if refusals == 1 {
				firstRefusal = time.Now()
			}
			if !hasDeadline {
				if faults >= c.maxRetries {
					return err
				}
				faults++
			}
			wait := time.Until(resume)
			if hasDeadline && time.Until(deadline) < wait {
				return c.gaveUp(err, refusals, firstRefusal)
			}
			c.log.Warn(ctx, "rate limited by the FPT Cloud API; retrying", map[string]any{
				"method": req.method, "endpoint": req.endpoint, "refusals": refusals,
				"wait": wait.Round(time.Millisecond).String(), "error": err.Error(),
			})
			continue // acquire waits for the throttle's pause
		}
		wait, retry := c.retryDelay(err, faults)
		if !retry {
			return err
		}
		faults++
		if hasDeadline && time.Until(deadline) < wait {
			return fmt.Errorf("%w (gave up: the read's timeout ends before the next retry)", err)
		}
		c.log.Warn(ctx, "retrying FPT Cloud API request", map[string]any{
			"method": req.method, "endpoint": req.endpoint, "attempt": faults,
			"max_retries": c.maxRetries, "wait": wait.String(), "error": err.Error(),
		})
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%s %s: %w (last error: %v)", req.method, req.endpoint, ctx.Err(), err)
		case <-timer.C:
		}
	}
}

// gaveUp is the error of a request that the rate limit outlasted.
func (c *Client) gaveUp(err error, refusals int, firstRefusal time.Time) error {
	return fmt.Errorf("%w (gave up after %s: the API refused this request %d times with a rate limit, "+
		"and the read's timeout ends before the next retry)",
		err, time.Since(firstRefusal).Round(100*time.Millisecond), refusals)
}

// rateLimit says whether err is the API's rate limit, a 429 or a 503 with
// Retry-After, and the wait it asked for (0 when it named none).
func rateLimit(err error) (time.Duration, bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return 0, false
	}
	switch {
	case apiErr.HTTPStatus == http.StatusTooManyRequests:
		return apiErr.RetryAfter, true
	case apiErr.HTTPStatus == http.StatusServiceUnavailable && apiErr.RetryAfter > 0:
		return apiErr.RetryAfter, true
	}
	return 0, false
}

func outcomeOf(err error, limited bool) outcome {
	switch {
	case err == nil:
		return outcomeOK
	case limited:
		return outcomeRateLimited
	}
	return outcomeOther
}

// retryDelay says whether err, a fault other than a rate limit, is worth
// another attempt and how long to wait.
func (c *Client) retryDelay(err error, attempt int) (time.Duration, bool) {
	if attempt >= c.maxRetries {
		return 0, false
	}
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.Retryable() {
			return 0, false
		}
	case isConnectionReset(err):
	default:
		return 0, false
	}
	return c.backoff(attempt), true
}

// backoff is exponential from minBackoff, capped, with jitter in [d/2, d].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.minBackoff << min(attempt, 20)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

func isConnectionReset(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

func (c *Client) attempt(ctx context.Context, req request, payload []byte, decode func(io.Reader) error) error {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, c.endpointURL(req.endpoint, req.query), body)
	if err != nil {
		return fmt.Errorf("building %s %s: %w", req.method, req.endpoint, err)
	}
	httpReq.Header.Set("Authorization", "Bearer "+c.token)
	if c.refreshToken != "" {
		httpReq.Header.Set(refreshTokenHeader, c.refreshToken)
	}
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}

	c.logRequest(ctx, req, payload)
	start := time.Now()
	resp, err := c.http.Do(httpReq)
	if err != nil {
		return transportError(req, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		_ = resp.Body.Close()
	}()
	c.log.Debug(ctx, "FPT Cloud API response", map[string]any{
		"method": req.method, "endpoint": req.endpoint, "http_status": resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(),
	})

	recorder := &prefixRecorder{r: &cappedReader{r: resp.Body, left: c.maxBodyBytes}}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errorFromResponse(req, resp, recorder)
	}
	if err := decode(recorder); err != nil {
		return decodeError(req, resp.StatusCode, recorder, err)
	}
	return nil
}

// transportError wraps a failure to get any response, without the URL's
// query (it may hold filters) but with the endpoint.
func transportError(req request, err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return fmt.Errorf("%s %s: %w", req.method, req.endpoint, err)
}

// errorFromResponse builds the APIError of a non-2xx response, with the
// API's message when the body is the JSON envelope.
func errorFromResponse(req request, resp *http.Response, body *prefixRecorder) error {
	apiErr := &APIError{
		Method: req.method, Endpoint: req.endpoint, HTTPStatus: resp.StatusCode,
		Kind: kindForStatus(resp.StatusCode),
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		apiErr.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	raw, readErr := io.ReadAll(io.LimitReader(body, 64<<10))
	var env struct {
		Message string `json:"message"`
	}
	switch {
	case readErr == nil && json.Unmarshal(raw, &env) == nil:
		apiErr.Message = env.Message
	case len(body.prefix) > 0:
		apiErr.Body = snippet(body.prefix)
		if apiErr.Kind == KindServer {
			apiErr.Kind = KindBadResponse // most often a proxy's error page
		}
	}
	return apiErr
}

// decodeError turns a failed decode of a 2xx body into an APIError, unless
// it already is one (a body status that reports failure).
func decodeError(req request, status int, body *prefixRecorder, err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if apiErr.Endpoint != "" {
			return err // already complete, perhaps shared with other requests: never modified
		}
		filled := *apiErr // the envelope's own failure: add where it came from
		filled.Method, filled.Endpoint, filled.HTTPStatus = req.method, req.endpoint, status
		return &filled
	}
	kind, message := KindBadResponse, "the response is not valid JSON"
	switch {
	case errors.Is(err, errBodyTooLarge):
		kind, message = KindTooLarge, err.Error()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		message = "the response body ended early (truncated)"
	case isConnectionReset(err):
		return transportError(req, err)
	default:
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			message = fmt.Sprintf("the response does not have the expected shape: field %q is a JSON %s", typeErr.Field, typeErr.Value)
		} else if errors.Is(err, errShape) {
			message = err.Error()
		}
	}
	return &APIError{
		Method: req.method, Endpoint: req.endpoint, HTTPStatus: status,
		Kind: kind, Message: message, Body: snippet(body.prefix),
	}
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

var errBodyTooLarge = errors.New("the response body is larger than the client's limit")

// cappedReader fails once more than left bytes have been read.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("%w", errBodyTooLarge)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// prefixRecorder keeps the first bytes read through it, to show in errors.
type prefixRecorder struct {
	r      io.Reader
	prefix []byte
}

func (p *prefixRecorder) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if room := maxBodySnippet + 1 - len(p.prefix); room > 0 && n > 0 {
		p.prefix = append(p.prefix, b[:min(n, room)]...)
	}
	return n, err
}
