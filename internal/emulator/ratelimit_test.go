package emulator

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// TestRateLimit serves at most RateLimit requests in each second over all
// clients, answers the others 429 with a Retry-After in whole seconds until
// the next second, and counts them.
func TestRateLimit(t *testing.T) {
	s := New(Config{Token: "t", RateLimit: 3})
	var mu sync.Mutex
	now := 1500 * time.Millisecond
	s.limiter.elapsed = func() time.Duration { mu.Lock(); defer mu.Unlock(); return now }
	get := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/api"+fptapi.BillInfoEndpoint, nil)
		r.Header.Set("Authorization", "Bearer t")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	statuses := func(n int) (ok, refused int) {
		for range n {
			w := get()
			switch w.Code {
			case http.StatusOK:
				ok++
			case http.StatusTooManyRequests:
				refused++
				if got := w.Header().Get("Retry-After"); got != "1" {
					t.Fatalf("Retry-After %q, want 1 (half a second to the next window, rounded up)", got)
				}
			default:
				t.Fatalf("HTTP %d: %s", w.Code, w.Body)
			}
		}
		return ok, refused
	}
	if ok, refused := statuses(10); ok != 3 || refused != 7 {
		t.Fatalf("first second: %d served, %d refused; want 3 and 7", ok, refused)
	}
	mu.Lock()
	now = 2100 * time.Millisecond
	mu.Unlock()
	if ok, refused := statuses(4); ok != 3 || refused != 1 {
		t.Fatalf("next second: %d served, %d refused; want 3 and 1 (a refusal does not use up a window)", ok, refused)
	}
	if got := s.Refused(); got != 8 {
		t.Fatalf("Refused() = %d, want 8", got)
	}
	if got := s.TotalRequests(); got != 14 {
		t.Fatalf("TotalRequests() = %d, want 14: refused requests count too", got)
	}
	if New(Config{}).Refused() != 0 {
		t.Fatal("an emulator without a rate limit refused something")
	}
}
