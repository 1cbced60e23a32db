package fptapi_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// BenchmarkResourceStatements10k reads 10,000 statements in pages of 100
// from the emulator with 20 ms of latency on every request. A fresh client
// per iteration keeps the process-wide cache out of the figure.
func BenchmarkResourceStatements10k(b *testing.B) {
	const n, pageSize = 10_000, 100
	srv := emulator.New(emulator.Config{Token: "bench", Statements: n, Latency: 20 * time.Millisecond})
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	b.ResetTimer()
	for b.Loop() {
		c, err := fptapi.New(fptapi.Config{BaseURL: ts.URL + "/api", Token: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		list, err := c.ResourceStatements(context.Background(), fptapi.StatementsQuery{PageSize: pageSize})
		if err != nil {
			b.Fatal(err)
		}
		if len(list.Statements) != n || list.Requests != n/pageSize {
			b.Fatalf("read %d statements in %d requests, want %d in %d", len(list.Statements), list.Requests, n, n/pageSize)
		}
	}
	b.ReportMetric(float64(srv.Requests(fptapi.StatementsEndpoint))/float64(b.N), "requests/op")
}
