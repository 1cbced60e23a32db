package bills

import (
	"reflect"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record/recordtest"
)

// Every field of a bill line, changed alone or set to null, survives the
// day cache's codec.
func TestEveryBillLineFieldIsCached(t *testing.T) {
	var base fptapi.BillLine
	recordtest.Fill(&base, record.BillLine, "1")
	base.Day, base.StartTime = "2024-09-01", "2024-09-01 10:00:00"
	for i, f := range record.BillLine {
		variants := recordtest.Variants(base, record.BillLine, i, func(changed *fptapi.BillLine) {
			if f.JSON == "day" {
				changed.Day = "2024-09-02"
			}
		})
		for what, line := range variants {
			decoded, err := decodeDayLines(encodeDayLines([]fptapi.BillLine{line}), line.Day)
			if err != nil {
				t.Fatalf("%s %s: %v", f.JSON, what, err)
			}
			if len(decoded) != 1 || !reflect.DeepEqual(decoded[0], line) {
				t.Errorf("%s %s: the day cache gives back %+v, want %+v", f.JSON, what, decoded, line)
			}
		}
	}
	if billLineFields != len(record.BillLine) {
		t.Errorf("the codec lists %d fields, the table %d: run go generate ./internal/fptapi", billLineFields, len(record.BillLine))
	}
}
