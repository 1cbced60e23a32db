package bills

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// TestSortLines compares the in-place sort with a stable sort of copies,
// on lines with many ties (so that stability shows) and every length of
// permutation cycle.
func TestSortLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 3, 10, 100, 5000} {
		lines := make([]fptapi.BillLine, n)
		starts := make([]time.Time, n)
		for i := range lines {
			lines[i] = fptapi.BillLine{
				Day: fmt.Sprintf("2024-09-%02d", 1+rng.IntN(3)), Service: []string{"Instance", "Storage"}[rng.IntN(2)],
				Name: fmt.Sprint("vm-", rng.IntN(4)), TotalPrice: "1", StartTime: fmt.Sprint(i), // StartTime tells lines apart
			}
			starts[i] = base.Add(time.Duration(rng.IntN(3)) * time.Hour)
		}
		type pair struct {
			line  fptapi.BillLine
			start time.Time
		}
		want := make([]pair, n)
		for i := range lines {
			want[i] = pair{lines[i], starts[i]}
		}
		slices.SortStableFunc(want, func(a, b pair) int {
			return cmp.Or(strings.Compare(a.line.Day, b.line.Day), a.start.Compare(b.start),
				strings.Compare(a.line.Service, b.line.Service), strings.Compare(a.line.Name, b.line.Name))
		})
		sortLines(lines, starts)
		for i := range want {
			if !reflect.DeepEqual(lines[i], want[i].line) {
				t.Fatalf("%d lines: line %d is %+v, want %+v", n, i, lines[i], want[i].line)
			}
		}
	}
}
