package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// pageMarker stands for the page number in a page's JSON text.
const pageMarker = "@PAGE@"

// billPages makes the JSON bytes of the API's pages of 1000 lines, as many
// as total needs, without a server: every page is one template with its
// number written in (in "page" and in each line's name, so that no two
// pages hold the same lines).
type billPages struct {
	template []byte
	total    int
}

func newBillPages(b *testing.B, total int) *billPages {
	b.Helper()
	var lines bytes.Buffer
	for i := range fptapi.MaxBillsPageSize {
		if i > 0 {
			lines.WriteByte(',')
		}
		day := 1 + i%28
		vpc, tag := `"prod-vpc"`, `"env:prod"`
		if i%7 == 0 {
			vpc, tag = "null", "null"
		}
		service := [...]string{"Instance", "Storage", "Load Balancer", "Object Storage"}[i%4]
		fmt.Fprintf(&lines, `{"org_name":"FPT Software","tenant_name":"tenant-hanoi","vpc_name":%s,"pool_name":null,`+
			`"day":"2024-01-%02d","start_time":"2024-01-%02d %02d:%02d:00","service":%q,"name":"máy-chủ-%s-%04d",`+
			`"attach_vm":null,"storage_policy":null,"machine":"c4.r8","disk":40,"disk_total":40.5,"vcpu":4,"vcpu_total":4,`+
			`"ram":8,"ram_total":8,"running_time":0.75,"total_price":%d.%04d,"disk_quantity":null,"cpu_quantity":4,`+
			`"ram_quantity":8,"tag":%s}`,
			vpc, day, day, i%24, i%60, service, pageMarker, i, 1000+i, i, tag)
	}
	template := fmt.Appendf(nil, `{"status":0,"message":"","total":%d,"page":%s,"page_size":%d,"data":[%s]}`,
		total, pageMarker, fptapi.MaxBillsPageSize, lines.Bytes())
	return &billPages{template: template, total: total}
}

func (p *billPages) pages() int {
	return (p.total + fptapi.MaxBillsPageSize - 1) / fptapi.MaxBillsPageSize
}

func (p *billPages) page(n int) []byte {
	return bytes.ReplaceAll(p.template, []byte(pageMarker), strconv.AppendInt(nil, int64(n), 10))
}

// RoundTrip answers POST /v1/billing/bills from memory.
func (p *billPages) RoundTrip(req *http.Request) (*http.Response, error) {
	var body struct {
		Page int `json:"page"`
	}
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
		return nil, err
	}
	_ = req.Body.Close()
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(p.page(body.Page))), Request: req,
	}, nil
}

// floorLine is a bill line as a plain struct, the way a naive client would
// decode it.
type floorLine struct {
	OrgName       string  `json:"org_name"`
	TenantName    string  `json:"tenant_name"`
	VPCName       string  `json:"vpc_name"`
	PoolName      string  `json:"pool_name"`
	Day           string  `json:"day"`
	StartTime     string  `json:"start_time"`
	Service       string  `json:"service"`
	Name          string  `json:"name"`
	AttachVM      string  `json:"attach_vm"`
	StoragePolicy string  `json:"storage_policy"`
	Machine       string  `json:"machine"`
	Disk          float64 `json:"disk"`
	DiskTotal     float64 `json:"disk_total"`
	VCPU          float64 `json:"vcpu"`
	VCPUTotal     float64 `json:"vcpu_total"`
	RAM           float64 `json:"ram"`
	RAMTotal      float64 `json:"ram_total"`
	RunningTime   float64 `json:"running_time"`
	TotalPrice    float64 `json:"total_price"`
	DiskQuantity  float64 `json:"disk_quantity"`
	CPUQuantity   float64 `json:"cpu_quantity"`
	RAMQuantity   float64 `json:"ram_quantity"`
	Tag           string  `json:"tag"`
}

// measure runs fn once and returns its time and heap allocations.
func measure(fn func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now() // elapsed time, not a date
	fn()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return elapsed, after.Mallocs - before.Mallocs
}

// BenchmarkDecodeAggregate reads N bill lines from the API's JSON bytes
// (pages of 1000 served from memory, one request at a time) through the
// client, the filters and the exact aggregation of a fptcloud_bills read
// without items, and compares it with the floor: encoding/json decoding the
// same bytes into a slice of plain structs, and nothing else. It reports
// both per line, and their ratio (target: at most 1.3).
func BenchmarkDecodeAggregate(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			pages := newBillPages(b, n)
			q := bills.Query{From: "2024-01-01", To: "2024-01-28", Location: testPlus7, Period: billing.Day, MaxItems: defaultBillsMaxItems}
			var ours, floor time.Duration
			var oursAllocs, floorAllocs uint64
			// Small sizes are read several times an iteration, so that one
			// iteration (make bench runs one) is long enough to measure.
			rounds := max(1, 200_000/n)
			for b.Loop() {
				for range rounds {
					ours1, oursAllocs1, floor1, floorAllocs1 := decodeAggregateOnce(b, pages, q, n)
					ours, oursAllocs, floor, floorAllocs = ours+ours1, oursAllocs+oursAllocs1, floor+floor1, floorAllocs+floorAllocs1
				}
			}
			lines := float64(n) * float64(b.N) * float64(rounds)
			b.ReportMetric(float64(ours.Nanoseconds())/lines, "ns/line")
			b.ReportMetric(float64(floor.Nanoseconds())/lines, "floor-ns/line")
			b.ReportMetric(float64(ours)/float64(floor), "ratio")
			b.ReportMetric(float64(oursAllocs)/lines, "allocs/line")
			b.ReportMetric(float64(floorAllocs)/lines, "floor-allocs/line")
		})
	}
}

// decodeAggregateOnce reads n lines once the provider's way and once the
// floor's way, and returns the time and allocations of each.
func decodeAggregateOnce(b *testing.B, pages *billPages, q bills.Query, n int) (ours time.Duration, oursAllocs uint64, floor time.Duration, floorAllocs uint64) {
	b.Helper()
	// A new client each time: a client keeps what it read.
	client, err := fptapi.New(fptapi.Config{BaseURL: "http://127.0.0.1/api", Token: testToken,
		MaxConcurrency: 1, HTTPClient: &http.Client{Transport: pages}})
	if err != nil {
		b.Fatal(err)
	}
	var result *bills.Result
	d, allocs := measure(func() { result, err = readBills(context.Background(), client, q) })
	if err != nil {
		b.Fatal(err)
	}
	if result.Summary.Count != int64(n) {
		b.Fatalf("read %d lines, want %d", result.Summary.Count, n)
	}
	ours, oursAllocs = d, allocs

	decoded := 0
	d, allocs = measure(func() {
		for page := 1; page <= pages.pages(); page++ {
			var env struct {
				Status   int         `json:"status"`
				Message  string      `json:"message"`
				Total    int64       `json:"total"`
				Page     int64       `json:"page"`
				PageSize int64       `json:"page_size"`
				Data     []floorLine `json:"data"`
			}
			if err := json.Unmarshal(pages.page(page), &env); err != nil {
				b.Fatal(err)
			}
			decoded += len(env.Data)
		}
	})
	if decoded != n {
		b.Fatalf("the floor decoded %d lines, want %d", decoded, n)
	}
	floor, floorAllocs = d, allocs
	return ours, oursAllocs, floor, floorAllocs
}
