package fptapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "tok-unit-SECRET"

// newTestClient points a client with fast backoff at handler.
func newTestClient(t *testing.T, handler http.Handler, mutate ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	cfg := Config{
		BaseURL: srv.URL + "/api", Token: testToken, RefreshToken: "refresh-SECRET", UserAgent: "ua-test",
		MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseBaseURL(t *testing.T) {
	ok := []string{"https://console-api.fptcloud.com/api", "http://127.0.0.1:8080/api", "http://localhost:1/", "http://[::1]:9/api", "http://127.9.9.9/"}
	for _, raw := range ok {
		if _, err := ParseBaseURL(raw); err != nil {
			t.Errorf("ParseBaseURL(%q): %v", raw, err)
		}
	}
	bad := map[string]string{
		"http://console-api.fptcloud.com/api": "plain http",
		"http://10.0.0.1/api":                 "plain http",
		"ftp://example.com":                   "use https",
		"console-api.fptcloud.com":            "no host",
		"https://user:pw@example.com/":        "credentials",
	}
	for raw, want := range bad {
		_, err := ParseBaseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseURL(%q) = %v, want an error containing %q", raw, err, want)
		}
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"status":0,"message":"","data":[]}`))
	}))
	if _, err := c.BillInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"Authorization": "Bearer " + testToken, "Refresh-Token": "refresh-SECRET",
		"Accept": "application/json", "User-Agent": "ua-test",
	} {
		if got.Get(name) != want {
			t.Errorf("header %s = %q, want %q", name, got.Get(name), want)
		}
	}
}

func TestEnvelopeStatus(t *testing.T) {
	cases := map[string]bool{
		`{"status":0,"data":[]}`: true, `{"status":200,"data":[]}`: true, `{"status":true,"data":[]}`: true,
		`{"status":1,"message":"nope","data":[]}`: false, `{"status":false,"message":"nope","data":[]}`: false,
		`{"status":500,"message":"nope"}`: false,
	}
	for body, ok := range cases {
		_, err := decodeEnvelope[[]BillingGroup](strings.NewReader(body))
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want success %v", body, err, ok)
		}
	}
	for _, body := range []string{`{"data":[]}`, `{"status":"ok","data":[]}`, `[]`, `{"status":0}{"status":0}`} {
		if _, err := decodeEnvelope[[]BillingGroup](strings.NewReader(body)); err == nil {
			t.Errorf("%s: decoded, want a shape error", body)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"": 0, "3": 3 * time.Second, "-1": 0, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Minute).Format(http.TimeFormat):     0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestRetryAfterHonoured checks that a 429 waits as long as the server asks,
// even though the client's own backoff is a millisecond.
func TestRetryAfterHonoured(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"status":429,"message":"slow down"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":0,"data":[{"billing_group_name":"g"}]}`))
	}))
	start := time.Now() // elapsed time, not a date
	groups, err := c.BillInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("retried after %v, before the Retry-After of 1s", elapsed)
	}
	if len(groups) != 1 || calls.Load() != 2 {
		t.Errorf("groups = %v after %d calls, want 1 group after 2 calls", groups, calls.Load())
	}
}

func TestRetryLimitsAndPermanentErrors(t *testing.T) {
	cases := []struct {
		status    int
		wantCalls int32
		wantKind  ErrorKind
	}{
		{http.StatusServiceUnavailable, 4, KindServer}, // 1 + MaxRetries(3)
		{http.StatusBadGateway, 4, KindServer},
		{http.StatusGatewayTimeout, 4, KindServer},
		{http.StatusBadRequest, 1, KindClient},
		{http.StatusUnauthorized, 1, KindUnauthorized},
		{http.StatusForbidden, 1, KindForbidden},
		{http.StatusNotFound, 1, KindNotFound},
		{http.StatusInternalServerError, 1, KindServer},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var calls atomic.Int32
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"status":1,"message":"api says no"}`))
			}))
			_, err := c.BillInfo(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Kind != tc.wantKind || apiErr.Message != "api says no" {
				t.Fatalf("err = %#v, want kind %s with the API's message", err, tc.wantKind)
			}
			if calls.Load() != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tc.wantCalls)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Error("the error holds the token")
			}
		})
	}
}

func TestDeadlineBoundsRetries(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now() // elapsed time, not a date
	_, err := c.BillInfo(ctx)
	if err == nil || !strings.Contains(err.Error(), "timeout ends before the next retry") {
		t.Fatalf("err = %v, want a give-up before the deadline", err)
	}
	// Honouring the Retry-After would take 30s; giving up takes one request.
	// 10s is far from both, so a busy machine cannot cross it by chance.
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v: the Retry-After wait ignored the deadline", time.Since(start))
	}
}

func TestNonJSONBodyShowsAtMost200Bytes(t *testing.T) {
	page := "<html>" + strings.Repeat("x", 1000) + "</html>"
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(page))
	}), func(cfg *Config) { cfg.MaxRetries = 0 })
	_, err := c.BillInfo(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindBadResponse {
		t.Fatalf("err = %v, want a bad response", err)
	}
	if body := strings.TrimSuffix(apiErr.Body, "…"); len(body) != maxBodySnippet || !strings.HasPrefix(page, body) {
		t.Errorf("body snippet is %d bytes (%q), want the first %d", len(body), body, maxBodySnippet)
	}
}

func TestBodySizeCap(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":0,"data":[{"billing_group_name":"` + strings.Repeat("a", 4096) + `"}]}`))
	}), func(cfg *Config) { cfg.MaxBodyBytes = 1024 })
	_, err := c.BillInfo(context.Background())
	if !IsKind(err, KindTooLarge) {
		t.Fatalf("err = %v, want too large", err)
	}
}

// TestRedirectToAnotherHostDropsCredentials follows a redirect off the API
// host and checks that neither token arrives there.
func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	var leaked http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = r.Header.Clone()
		_, _ = w.Write([]byte(`{"status":0,"data":[]}`))
	}))
	defer other.Close()
	// "localhost" and "127.0.0.1" are different hosts to the HTTP client.
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+"/elsewhere", http.StatusFound)
	}))
	if _, err := c.BillInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if leaked == nil {
		t.Fatal("the redirect was not followed")
	}
	if leaked.Get("Authorization") != "" || leaked.Get("Refresh-Token") != "" {
		t.Errorf("credentials reached another host: %v", leaked)
	}
}

// TestIdenticalReadsShareOneCall checks singleflight and the cache: many
// concurrent and later reads of the same endpoint cost one request.
func TestIdenticalReadsShareOneCall(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write([]byte(`{"status":0,"data":[{"code":"INSTANCE","name":"Instance"}]}`))
	}))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := c.ServiceTypes(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, err := c.ServiceTypes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d requests for 11 identical reads, want 1", calls.Load())
	}
}

func TestConnectionResetIsRetried(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
			return
		}
		_, _ = w.Write([]byte(`{"status":0,"data":[]}`))
	}))
	if _, err := c.BillInfo(context.Background()); err != nil {
		t.Fatalf("err = %v, want success after a retry", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}
