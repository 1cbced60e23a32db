package provider

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// numberAbove is a knownvalue.Check that a number is above (or, with
// atMost, not above) a limit.
type numberAbove struct {
	limit  *big.Rat
	atMost bool
	// atLeast makes the limit itself pass (with atMost unset).
	atLeast bool
}

func (c numberAbove) CheckValue(v any) error {
	f, ok := v.(interface{ String() string })
	if !ok {
		return fmt.Errorf("%T is not a number", v)
	}
	r, ok := new(big.Rat).SetString(f.String())
	if !ok {
		return fmt.Errorf("%v is not a number", v)
	}
	if c.atLeast && r.Cmp(c.limit) == 0 {
		return nil
	}
	if above := r.Cmp(c.limit) > 0; above == c.atMost {
		return fmt.Errorf("%s: want %s", r.FloatString(2), c)
	}
	return nil
}

func (c numberAbove) String() string {
	if c.atMost {
		return "at most " + c.limit.FloatString(2)
	}
	return "above " + c.limit.FloatString(2)
}

// stepService is the service the step of TestAccBills_forecastSeesAStep
// adds, and its usual spend a day.
const (
	stepService = "GPU Server"
	stepDaily   = 5_000_000
)

// gpuAmount is stepService's spend on day d: stepDaily within ±5%, the
// same every run, so that the step has noise of its own.
func gpuAmount(d time.Time) int64 {
	return stepDaily + 50_000*(d.Unix()/86400*7%11-5)
}

// gpuLines bills stepService gpuAmount at 00:00 of each day from first to
// last.
func gpuLines(first, last time.Time) []fptapi.BillLine {
	var out []fptapi.BillLine
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, fptapi.BillLine{
			Day: d.Format(time.DateOnly), StartTime: d.Format(time.DateTime), Service: stepService,
			Name: "gpu-01", TotalPrice: json.Number(fmt.Sprint(gpuAmount(d))),
		})
	}
	return out
}

// gpuSum is Σ gpuAmount over first..last.
func gpuSum(first, last time.Time) int64 {
	var sum int64
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		sum += gpuAmount(d)
	}
	return sum
}

// TestAccBills_forecastSeesAStep pins both clocks on 2 December 2026 at
// 12:00 and adds, to the demo account, either a new service billing about
// 5 million VND a day from 28 November (a team scaling up four days before
// the 1st, for good) or a one-off charge of the same size (the 25 million
// VND or so the step has billed by the 2nd, in one line on 28 November). The budget is the
// month's total with the step ÷ 1.15: the month passes it by 15%. With the
// step, forecast_high is above the budget (the check warns); with the
// one-off, whose month stays far under it, it is not. In both,
// forecast_by_service adds up to forecast_total_price exactly.
func TestAccBills_forecastSeesAStep(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.December, 2, 12, 0, 0, 0, testPlus7)
	first := time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC)
	monthEnd := time.Date(2026, time.December, 31, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, time.December, 31, 23, 59, 59, 0, testPlus7)
	full := emulator.New(emulator.Config{Token: testToken, Now: func() time.Time { return end }})
	month := sumLines(full.Data.BillLines("2026-12-01", "2026-12-31"), nil).total
	december := gpuSum(time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC), monthEnd)
	withStep := new(big.Rat).Add(month, big.NewRat(december, 1))
	budget := new(big.Rat).Quo(withStep, rat("1.15"))
	if month.Cmp(budget) >= 0 {
		t.Fatalf("the month without the step (%s) is not under the budget (%s)", month.FloatString(2), budget.FloatString(2))
	}
	for _, tc := range []struct {
		name  string
		extra []fptapi.BillLine
		warns bool
	}{
		{"step up", gpuLines(first, monthEnd), true},
		{"one-off", []fptapi.BillLine{{
			Day: "2026-11-28", StartTime: "2026-11-28 00:00:00", Service: stepService, Name: "gpu-01",
			TotalPrice: json.Number(fmt.Sprint(gpuSum(first, time.Date(2026, time.December, 2, 0, 0, 0, 0, time.UTC)))),
		}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Config{Now: func() time.Time { return now }})
			env.Clock = clock.Fixed(now)
			env.Emulator.Data.Bills.Extra = tc.extra
			var total, byService any
			addr := "data.fptcloud_bills.month"
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					Config: monthToDateConfig(env, ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_high"), numberAbove{limit: budget, atMost: !tc.warns}),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_total_price"), recorded{&total}),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("forecast_by_service"), recorded{&byService}),
					},
				}},
			})
			shares, ok := byService.(map[string]any)
			if !ok || len(shares) < 2 {
				t.Fatalf("forecast_by_service is %v", byService)
			}
			sum := new(big.Rat)
			for name, v := range shares {
				r, ok := new(big.Rat).SetString(fmt.Sprint(v))
				if !ok {
					t.Fatalf("forecast_by_service[%q] = %v", name, v)
				}
				sum.Add(sum, r)
			}
			want, ok := new(big.Rat).SetString(fmt.Sprint(total))
			if !ok || sum.Cmp(want) != 0 {
				t.Errorf("forecast_by_service adds up to %s; forecast_total_price is %v", sum.FloatString(2), total)
			}
			// The step's service carries the month: what it bills in
			// December, within 10%; the one-off's is what it billed,
			// nothing in December.
			gpu, _ := new(big.Rat).SetString(fmt.Sprint(shares[stepService]))
			if tc.warns {
				off := new(big.Rat).Quo(gpu, big.NewRat(december, 1))
				if f, _ := off.Float64(); f < 0.9 || f > 1.1 {
					t.Errorf("%s's share is %v; want about %d", stepService, shares[stepService], december)
				}
			} else if gpu != nil && gpu.Sign() != 0 {
				t.Errorf("%s's share after a one-off in November is %v; want none", stepService, shares[stepService])
			}
		})
	}
}

var _ knownvalue.Check = numberAbove{}
