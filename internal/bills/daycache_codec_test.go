package bills

import (
	"time"

	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

func strPtr(s string) *string { return &s }

func numPtr(s string) *json.Number { n := json.Number(s); return &n }

// codecLines are lines with every kind of field value a day can hold.
func codecLines() []fptapi.BillLine {
	return []fptapi.BillLine{
		{ // every optional field null
			Day: "2024-08-31", StartTime: "2024-08-31 23:00:00", Service: "Instance", Name: "web-01", TotalPrice: "0",
		},
		{ // every field set; texts that are empty, unicode, or numbers of many digits
			OrgName: strPtr(""), TenantName: strPtr("テナント-tokyo"), VPCName: strPtr("vpc-dữ-liệu"), PoolName: strPtr("pool-a"),
			Day: "2024-08-31", StartTime: "2024-08-31T16:30:00Z", Service: "Storage", Name: "ổ-đĩa-log \"quoted\"\n",
			AttachVM: strPtr("web-01"), StoragePolicy: strPtr("SSD-Premium"), Machine: strPtr("c4.r8"),
			Disk: numPtr("123456789012345678901234567890.000000000000000000001"), DiskTotal: numPtr("-0"),
			VCPU: numPtr("1e-7"), VCPUTotal: numPtr("1E+300"), RAM: numPtr("0.1"), RAMTotal: numPtr("16"),
			RunningTime: numPtr("3600"), TotalPrice: "99999999999999999999.9999999999",
			DiskQuantity: numPtr("20.5"), CPUQuantity: numPtr("4"), RAMQuantity: numPtr("8"), Tag: strPtr("dự-án:alpha"),
		},
		{ // a text shared by a string field and a number field
			Day: "2024-08-31", StartTime: "2024-08-31 00:00:00", Service: "4", Name: "4", TotalPrice: "4",
			VCPU: numPtr("4"), Tag: strPtr("4"),
		},
	}
}

func TestDayLinesRoundTrip(t *testing.T) {
	env := emulator.New(emulator.Config{LinesPerDay: 300, Now: func() time.Time { return testNow }})
	days := map[string][]fptapi.BillLine{
		"2024-08-31": codecLines(),
		"2024-09-01": env.Data.Bills.Day("2024-09-01"),
		"2024-09-02": nil,
	}
	for day, lines := range days {
		payload := encodeDayLines(lines)
		got, err := decodeDayLines(payload, day)
		if err != nil {
			t.Fatalf("%s: %v", day, err)
		}
		if len(lines) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, lines) {
			t.Errorf("%s: the lines do not round-trip:\n got %+v\nwant %+v", day, got, lines)
		}
		raw, err := json.Marshal(lines)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d lines, %d bytes (%d as JSON)", day, len(lines), len(payload), len(raw))
		if len(lines) > 100 && len(payload)*3 > len(raw) {
			t.Errorf("%s: %d bytes for %d bytes of JSON; the format is meant to be compact", day, len(payload), len(raw))
		}
	}
}

// TestDayLinesRefused checks that a payload that is cut, extended or of
// another day is refused, never decoded into other lines.
func TestDayLinesRefused(t *testing.T) {
	payload := encodeDayLines(codecLines())
	for n := range len(payload) {
		if lines, err := decodeDayLines(payload[:n], "2024-08-31"); err == nil {
			t.Fatalf("a payload cut to %d of %d bytes decoded to %d lines", n, len(payload), len(lines))
		}
	}
	if _, err := decodeDayLines(append(payload, 0), "2024-08-31"); err == nil {
		t.Error("a payload with a byte appended decoded")
	}
	if _, err := decodeDayLines(payload, "2024-09-01"); err == nil || !strings.Contains(err.Error(), "not 2024-09-01") {
		t.Errorf("lines of another day: %v", err)
	}
	// An empty required text is a text, not a missing field.
	bad := encodeDayLines([]fptapi.BillLine{{Day: "2024-08-31", StartTime: "x", Service: "", Name: "n", TotalPrice: "1"}})
	if _, err := decodeDayLines(bad, "2024-08-31"); err != nil {
		t.Fatalf("an empty service is a text, not a null: %v", err)
	}
}

// FuzzDayLines decodes any bytes without panicking, and what decodes
// encodes back to the same lines.
func FuzzDayLines(f *testing.F) {
	f.Add(encodeDayLines(codecLines()), "2024-08-31")
	f.Add(encodeDayLines(nil), "2024-08-31")
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, "2024-08-31")
	f.Fuzz(func(t *testing.T, b []byte, day string) {
		lines, err := decodeDayLines(b, day)
		if err != nil {
			return
		}
		again, err := decodeDayLines(encodeDayLines(lines), day)
		if err != nil {
			t.Fatalf("re-encoded lines do not decode: %v", err)
		}
		if len(lines) != len(again) || (len(lines) > 0 && !reflect.DeepEqual(lines, again)) {
			t.Fatal("re-encoded lines differ")
		}
	})
}
