package bills

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

func TestKeepStatements(t *testing.T) {
	start := func(sec int64) *int64 { return &sec }
	after := time.Unix(100, 0)
	w := StartWindow{After: &after}
	statements := []fptapi.Statement{
		{ID: "early", StartedTime: start(99), Amount: "1"},
		{ID: "a", Status: "paid", StartedTime: start(100), Amount: "0.1"},
		{ID: "none", Status: "paid", StartedTime: start(101)},
		{ID: "b", Status: "unpaid", StartedTime: start(200), Amount: "0.2"},
		{ID: "no start", Amount: "5"},
	}
	kept, totals, outside, err := KeepStatements(statements, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 3 || kept[0].ID != "a" || kept[1].HasAmount || kept[2].Money.String() != "0.2" || outside != 2 {
		t.Fatalf("kept %+v, %d outside", kept, outside)
	}
	if totals.Amount.String() != "0.3" || totals.ByStatus["paid"].String() != "0.1" {
		t.Errorf("totals %s, by status %v", totals.Amount, totals.ByStatus)
	}
	_, _, _, err = KeepStatements([]fptapi.Statement{{ID: "x", Amount: json.Number("1e999999999999")}}, StartWindow{})
	var bad *BadAmountError
	if !errors.As(err, &bad) || bad.ID != "x" {
		t.Errorf("an amount that is not a decimal number: %v", err)
	}
}
