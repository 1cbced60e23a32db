package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

func text(s string) *string { return &s }

func jsonNumber(s string) *json.Number { n := json.Number(s); return &n }

// The fast path (the provider's protocol server, which encodes the large
// lists itself) and the framework's reflection (the same provider served by
// the framework alone) must give Terraform the same bytes.
func TestBillItemsFastPathEqualsReflection(t *testing.T) {
	env := newTestEnv(t, emulator.Config{LinesPerDay: 40})
	big := "12345678901234567890123456"
	every := fptapi.BillLine{
		OrgName: text("Tổ chức ✓"), TenantName: text("テナント"), VPCName: text("vpc-🚀"), PoolName: text("pool"),
		Day: "2024-09-02", StartTime: "2024-09-02 23:59:59", Service: "Instance", Name: "máy-chủ-01",
		AttachVM: text("vm"), StoragePolicy: text("SSD"), Machine: text("c4.r8"),
		Disk: jsonNumber(big), DiskTotal: jsonNumber("-" + big), VCPU: jsonNumber("0.1"), VCPUTotal: jsonNumber("1e3"),
		RAM: jsonNumber("2.5"), RAMTotal: jsonNumber("9223372036854775808"), RunningTime: jsonNumber("0.00000000000000000001"),
		TotalPrice: json.Number("12345678901234567890.123456"), DiskQuantity: jsonNumber("-0"),
		CPUQuantity: jsonNumber("3.14159265358979323846264338327950288"), RAMQuantity: jsonNumber("127"), Tag: text("nhãn"),
	}
	none := fptapi.BillLine{Day: "2024-09-03", StartTime: "2024-09-03T00:00:00+07:00", Service: "Storage", Name: "∅",
		TotalPrice: json.Number("0.1")}
	env.Emulator.Data.Bills.Extra = append(env.Emulator.Data.Bills.Extra, every, none)

	args := map[string]tftypes.Value{
		"from": tftypes.NewValue(tftypes.String, "2024-09-01"),
		"to":   tftypes.NewValue(tftypes.String, "2024-09-04"),
	}
	fast := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	slow := newProtocolClient(t, providerserver.NewProtocol6(NewWithOptions("test", env.options())())(), env.URL)
	fastState, slowState := fast.read("fptcloud_bills", args), slow.read("fptcloud_bills", args)
	if n := fast.listLength("fptcloud_bills", fastState, "items"); n != 4*40+2 {
		t.Fatalf("the fast path's state has %d items, want %d", n, 4*40+2)
	}
	fast.sameState("fptcloud_bills", fastState, slowState, "items")

	args["include_items"] = tftypes.NewValue(tftypes.Bool, false)
	fastState, slowState = fast.read("fptcloud_bills", args), slow.read("fptcloud_bills", args)
	if n := fast.listLength("fptcloud_bills", fastState, "items"); n != -1 {
		t.Fatalf("include_items = false: items has %d elements, want null", n)
	}
	fast.sameState("fptcloud_bills", fastState, slowState, "items")
}

func TestStatementsFastPathEqualsReflection(t *testing.T) {
	env := newTestEnv(t, emulator.Config{Statements: 250})
	var start, due int64 = 1725003272, 1725003590
	env.Emulator.Data.Statements = append(env.Emulator.Data.Statements,
		fptapi.Statement{ID: "every-✓", ResourceID: "tài-nguyên", ResourceType: "vm", Status: "paid", Type: "lease_fee",
			StartedTime: &start, DueTime: &due, Amount: json.Number("12345678901234567890123456.5")},
		fptapi.Statement{ID: "none", ResourceID: "r", ResourceType: "volume", Status: "unpaid", Type: "fee"},
		fptapi.Statement{ID: "small", ResourceID: "r", ResourceType: "volume", Status: "unpaid", Type: "fee",
			StartedTime: &start, Amount: json.Number("0.1")},
	)
	fast := newProtocolClient(t, NewServer("test", env.options())(), env.URL)
	slow := newProtocolClient(t, providerserver.NewProtocol6(NewWithOptions("test", env.options())())(), env.URL)
	args := map[string]tftypes.Value{"page_size": tftypes.NewValue(tftypes.Number, 100)}
	fastState, slowState := fast.read("fptcloud_resource_statements", args), slow.read("fptcloud_resource_statements", args)
	want := len(env.Emulator.Data.Statements)
	if n := fast.listLength("fptcloud_resource_statements", fastState, "statements"); n != want {
		t.Fatalf("the fast path's state has %d statements, want %d", n, want)
	}
	fast.sameState("fptcloud_resource_statements", fastState, slowState, "statements")
}
