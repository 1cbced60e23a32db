package billing

import (
	"math/big"
	"slices"
)

// Apportion rounds each of parts to ForecastDecimals places so that the
// rounded parts add up to total exactly (largest remainder): each part is
// rounded down, then the cents still missing from total go one each to the
// parts with the largest remainders, ties to the earlier name. total is
// the parts' sum rounded, as ForecastFromDays and Forecast round it; should
// it differ from that sum by more than a cent a part, the difference is
// spread over the parts by the same rule. A part of exactly 0 stays out
// of the result.
func Apportion(parts map[string]*big.Rat, total Money) map[string]Money {
	names := make([]string, 0, len(parts))
	for name, p := range parts {
		if p.Sign() != 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := make(map[string]Money, len(names))
	if len(names) == 0 {
		return out
	}
	scale := new(big.Int).Exp(bigTen, big.NewInt(ForecastDecimals), nil)
	cents := make([]*big.Int, len(names))
	remainders := make([]*big.Rat, len(names))
	sum := new(big.Int)
	for i, name := range names {
		scaled := new(big.Rat).Mul(parts[name], new(big.Rat).SetInt(scale))
		floor := new(big.Int).Div(scaled.Num(), scaled.Denom()) // Euclidean: rounds down for a positive denominator
		cents[i] = floor
		remainders[i] = new(big.Rat).Sub(scaled, new(big.Rat).SetInt(floor))
		sum.Add(sum, floor)
	}
	want := new(big.Rat).Mul(total.Rat(), new(big.Rat).SetInt(scale))
	wantCents := MoneyFromRat(want, 0).Rat().Num() // whole already when total has at most ForecastDecimals places
	missing := new(big.Int).Sub(wantCents, sum)
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return remainders[b].Cmp(remainders[a]) })
	step := big.NewInt(1)
	if missing.Sign() < 0 {
		step = big.NewInt(-1)
		slices.Reverse(order)
	}
	for k := 0; missing.Sign() != 0; k++ {
		i := order[k%len(order)]
		cents[i].Add(cents[i], step)
		missing.Sub(missing, step)
	}
	for i, name := range names {
		out[name] = Money{big: cents[i], scale: ForecastDecimals}.normal()
	}
	return out
}
