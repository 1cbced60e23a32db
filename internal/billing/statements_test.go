package billing

import (
	"fmt"
	"math/big"
	"testing"
)

func TestStatementTotals(t *testing.T) {
	charges := []StatementCharge{
		{Status: "paid", ResourceType: "vm", Type: "lease_fee", Amount: MustParseMoney("2.5558")},
		{Status: "paid", ResourceType: "vm", Type: "lease_fee", Amount: MustParseMoney("0.5112")},
		{Status: "unpaid", ResourceType: "volume", Type: "lease_fee", Amount: MustParseMoney("5.6228")},
		{Status: "unpaid", ResourceType: "vm", Type: "upgrade_fee", Amount: MustParseMoney("0.1")},
		{Status: "unpaid", ResourceType: "volume", Type: "upgrade_fee", Amount: MustParseMoney("0.2")},
		{Status: "paid", ResourceType: "floating_ip", Type: "lease_fee", Amount: MustParseMoney("0")},
	}
	got := SumStatements(charges)
	if got.Count != 6 || got.Amount.String() != "8.9898" {
		t.Errorf("count %d, amount %s; want 6 and 8.9898", got.Count, got.Amount)
	}
	want := map[string]map[string]string{
		"status":        {"paid": "3.067", "unpaid": "5.9228"},
		"resource_type": {"vm": "3.167", "volume": "5.8228", "floating_ip": "0"},
		"type":          {"lease_fee": "8.6898", "upgrade_fee": "0.3"},
	}
	for name, m := range map[string]map[string]Money{"status": got.ByStatus, "resource_type": got.ByResourceType, "type": got.ByType} {
		if len(m) != len(want[name]) {
			t.Errorf("by %s has %d keys, want %d", name, len(m), len(want[name]))
		}
		for k, v := range want[name] {
			if m[k].String() != v {
				t.Errorf("by %s[%s] = %s, want %s", name, k, m[k], v)
			}
		}
	}

	empty := SumStatements(nil)
	if empty.Count != 0 || empty.Amount.Sign() != 0 || empty.ByStatus == nil || empty.ByResourceType == nil || empty.ByType == nil {
		t.Errorf("empty totals = %+v, want zero sums and empty, non-nil maps", empty)
	}
}

// TestStatementTotalsExact checks every total against a sum of big.Rat.
func TestStatementTotalsExact(t *testing.T) {
	statuses, kinds := []string{"paid", "unpaid"}, []string{"vm", "volume", "floating_ip"}
	totals := NewStatementTotals()
	want := new(big.Rat)
	byStatus := map[string]*big.Rat{}
	for i := range 10_000 {
		text := fmt.Sprintf("%d.%04d", i%977, (i*7919)%10_000)
		status := statuses[i%2]
		totals.Add(StatementCharge{Status: status, ResourceType: kinds[i%3], Type: "lease_fee", Amount: MustParseMoney(text)})
		r, _ := new(big.Rat).SetString(text)
		want.Add(want, r)
		if byStatus[status] == nil {
			byStatus[status] = new(big.Rat)
		}
		byStatus[status].Add(byStatus[status], r)
	}
	if got := totals.Amount.String(); MustParseMoney(want.FloatString(4)).String() != got {
		t.Errorf("amount %s, want %s", got, want.FloatString(4))
	}
	for status, r := range byStatus {
		if got := totals.ByStatus[status].String(); MustParseMoney(r.FloatString(4)).String() != got {
			t.Errorf("by status %s: %s, want %s", status, got, r.FloatString(4))
		}
	}
	if totals.ByType["lease_fee"].Cmp(totals.Amount) != 0 {
		t.Error("the only type's total differs from the overall total")
	}
}
