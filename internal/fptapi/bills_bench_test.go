package fptapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// benchPage is the JSON of a full page of 1000 real-looking bill lines.
func benchPage(b *testing.B) []byte {
	b.Helper()
	s := func(v string) *string { return &v }
	n := func(v string) *json.Number { x := json.Number(v); return &x }
	lines := make([]BillLine, 1000)
	for i := range lines {
		lines[i] = BillLine{
			OrgName: s("FPT Software"), TenantName: s("tenant-hanoi"), VPCName: s("prod-vpc"), PoolName: nil,
			Day: "2024-09-01", StartTime: fmt.Sprintf("2024-09-01 %02d:%02d:00", i%24, i%60),
			Service: "Instance", Name: fmt.Sprintf("máy-chủ-%04d", i), Machine: s("c4.r8"),
			VCPU: n("4"), VCPUTotal: n("4"), RAM: n("8"), RAMTotal: n("8"), Disk: n("40"), DiskTotal: n("40.5"),
			RunningTime: n("0.75"), TotalPrice: json.Number(fmt.Sprintf("%d.%04d", 1000+i, i)),
			CPUQuantity: n("4"), RAMQuantity: n("8"), Tag: s("env:prod"),
		}
	}
	raw, err := json.Marshal(map[string]any{"status": 0, "message": "", "total": 30000, "page": 1, "page_size": 1000, "data": lines})
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkDecodeBillPage decodes a page the way the client does: token by
// token, one line at a time, with exact numbers and checks.
func BenchmarkDecodeBillPage(b *testing.B) {
	raw := benchPage(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		env, err := decodeBillEnvelope(bytes.NewReader(raw), MaxBillsPageSize)
		if err != nil || len(env.Lines) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeBillPageFloor is the floor to compare with: plain
// encoding/json decoding the same bytes in one call.
func BenchmarkDecodeBillPageFloor(b *testing.B) {
	raw := benchPage(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var env struct {
			Status  json.RawMessage `json:"status"`
			Message string          `json:"message"`
			Total   int64           `json:"total"`
			Data    []BillLine      `json:"data"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&env); err != nil || len(env.Data) != 1000 {
			b.Fatal(err)
		}
	}
}
