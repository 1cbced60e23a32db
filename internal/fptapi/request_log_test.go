package fptapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// debugLog records the client's debug lines.
type debugLog struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *debugLog) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := map[string]any{"msg": msg}
	for k, v := range fields {
		f[k] = v
	}
	l.lines = append(l.lines, f)
}

func (l *debugLog) Warn(ctx context.Context, msg string, fields map[string]any) {
	l.Debug(ctx, msg, fields)
}

// TestRequestDebugLog: each request's method, path, query and body are in
// the debug log, and neither the token nor the refresh token is anywhere
// in it.
func TestRequestDebugLog(t *testing.T) {
	logs := &debugLog{}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":0,"data":[]}`))
	}), func(cfg *Config) { cfg.Logger = logs })
	ctx := context.Background()
	discard := func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
	if err := c.do(ctx, request{method: http.MethodGet, endpoint: BillsEndpoint, query: url.Values{"search_date": {"2024-09-01"}}}, discard); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"from_date": "2024-09-01", "to_date": "2024-09-30", "page": 2, "page_size": 1000}
	if err := c.do(ctx, request{method: http.MethodPost, endpoint: BillsEndpoint, body: body}, discard); err != nil {
		t.Fatal(err)
	}
	var requests []map[string]any
	for _, l := range logs.lines {
		if l["msg"] == "FPT Cloud API request" {
			requests = append(requests, l)
		}
		if text := fmt.Sprint(l); strings.Contains(text, testToken) || strings.Contains(text, "refresh-SECRET") {
			t.Fatalf("a log line holds a secret: %s", text)
		}
	}
	if len(requests) != 2 {
		t.Fatalf("%d request lines, want 2: %v", len(requests), logs.lines)
	}
	get, post := requests[0], requests[1]
	if get["method"] != "GET" || get["endpoint"] != BillsEndpoint || get["query"] != "search_date=2024-09-01" || get["body"] != nil {
		t.Errorf("GET line: %v", get)
	}
	wantBody := `{"from_date":"2024-09-01","page":2,"page_size":1000,"to_date":"2024-09-30"}`
	if post["method"] != "POST" || post["endpoint"] != BillsEndpoint || post["body"] != wantBody || post["query"] != nil {
		t.Errorf("POST line: %v, want body %s", post, wantBody)
	}
}
