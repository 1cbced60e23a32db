package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// These benchmarks run the whole of a fptcloud_bills read but Terraform:
// the client against an in-process emulator, the decoding, the filters and
// the aggregation. Run them one iteration each:
//
//	go test ./internal/provider -run '^$' -bench BenchmarkBills -benchtime 1x

func benchEmulator(b *testing.B, cfg emulator.Config) (*emulator.Server, string) {
	b.Helper()
	cfg.Token = testToken
	cfg.Now = func() time.Time { return testNow }
	srv := emulator.New(cfg)
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	return srv, ts.URL + "/api"
}

func benchClient(b *testing.B, url string) *fptapi.Client {
	b.Helper()
	client, err := fptapi.New(fptapi.Config{BaseURL: url, Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	return client
}

// BenchmarkBillsPaging reads 100 days at 1000 lines a day through 100
// pages of 1000 lines, with 50 ms of latency on every request (target: at
// most 1.5 s), with and without items. Each iteration uses a new client, so
// nothing is cached. The in-process emulator makes its pages on the same
// CPUs, so the figure is an upper bound of the client's own time.
func BenchmarkBillsPaging(b *testing.B) {
	srv, url := benchEmulator(b, emulator.Config{LinesPerDay: 1000, Latency: 50 * time.Millisecond})
	for _, items := range []bool{false, true} {
		b.Run(fmt.Sprintf("include_items=%t", items), func(b *testing.B) {
			q := bills.Query{From: "2024-05-01", To: "2024-08-08", Location: testPlus7, Period: billing.Day,
				IncludeItems: items, MaxItems: defaultBillsMaxItems}
			before := srv.Requests(fptapi.BillsEndpoint)
			for b.Loop() {
				result, err := readBills(context.Background(), benchClient(b, url), q)
				if err != nil {
					b.Fatal(err)
				}
				if result.Summary.Count != 100_000 || (items && len(result.Items) != 100_000) {
					b.Fatalf("%d lines, %d items", result.Summary.Count, len(result.Items))
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/read")
			b.ReportMetric(float64(srv.Requests(fptapi.BillsEndpoint)-before)/float64(b.N), "requests/read")
		})
	}
}

// BenchmarkBillsByDateFallback reads 31 days from an API that serves only
// the per-day endpoint, with 50 ms of latency on every request (target: at
// most 0.5 s).
func BenchmarkBillsByDateFallback(b *testing.B) {
	srv, url := benchEmulator(b, emulator.Config{DeprecatedOnly: true, Latency: 50 * time.Millisecond})
	q := bills.Query{From: "2024-08-01", To: "2024-08-31", Location: testPlus7, Period: billing.Day,
		IncludeItems: true, MaxItems: defaultBillsMaxItems}
	want := len(srv.Data.BillLines(q.From, q.To))
	for b.Loop() {
		result, err := readBills(context.Background(), benchClient(b, url), q)
		if err != nil {
			b.Fatal(err)
		}
		if result.Mode != fptapi.ModeByDate || len(result.Items) != want {
			b.Fatalf("read %d items by %s, want %d by date", len(result.Items), result.Mode, want)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/read")
	b.ReportMetric(float64(srv.TotalRequests())/float64(b.N), "requests/read")
}

// BenchmarkBillsMillionLinesNoItems reads 100 days of 10000 lines (a
// million lines, 1000 pages) with include_items = false and reports how
// far the heap grew: its peak during the read (sampled every 5 ms) and what
// stays after it, over the heap in use before. The in-process emulator's
// own allocations count too.
func BenchmarkBillsMillionLinesNoItems(b *testing.B) {
	_, url := benchEmulator(b, emulator.Config{LinesPerDay: 10000})
	q := bills.Query{From: "2024-01-01", To: "2024-04-09", Location: testPlus7, Period: billing.Day,
		IncludeItems: false, MaxItems: defaultBillsMaxItems}
	var peakGrowth, retainedGrowth, allocated float64
	b.ResetTimer()
	for b.Loop() {
		client := benchClient(b, url)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)

		var peak atomic.Uint64
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			ticker := time.NewTicker(5 * time.Millisecond)
			defer ticker.Stop()
			var m runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-ticker.C:
					runtime.ReadMemStats(&m)
					if m.HeapAlloc > peak.Load() {
						peak.Store(m.HeapAlloc)
					}
				}
			}
		}()
		result, err := readBills(context.Background(), client, q)
		close(done)
		wg.Wait()
		if err != nil {
			b.Fatal(err)
		}
		if result.Summary.Count != 1_000_000 || result.Items != nil {
			b.Fatalf("%d lines, %d items", result.Summary.Count, len(result.Items))
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		allocated += float64(after.TotalAlloc - before.TotalAlloc)
		if after.HeapAlloc > peak.Load() {
			peak.Store(after.HeapAlloc)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		peakGrowth = max(peakGrowth, float64(peak.Load())-float64(before.HeapAlloc))
		retainedGrowth = max(retainedGrowth, float64(after.HeapAlloc)-float64(before.HeapAlloc))
	}
	const mib = 1 << 20
	b.ReportMetric(peakGrowth/mib, "peak-heap-growth-MiB")
	b.ReportMetric(retainedGrowth/mib, "retained-heap-growth-MiB")
	b.ReportMetric(allocated/float64(b.N)/mib, "allocated-MiB/op")
	if peakGrowth > 64*mib {
		b.Errorf("the heap grew by %.1f MiB, more than 64 MiB", peakGrowth/mib)
	}
}
