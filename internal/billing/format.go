package billing

import (
	"fmt"
	"math/big"
	"strings"

	xcurrency "golang.org/x/text/currency"
)

// currencyDecimals lists the ISO 4217 currencies whose minor unit is not 2
// digits, as ISO 4217 gives them (CLDR, behind golang.org/x/text/currency,
// rounds some of them otherwise: IDR and IQD to 0 digits, for cash).
var currencyDecimals = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// newerCurrencies are ISO 4217 codes published after the CLDR data that
// golang.org/x/text/currency carries: CurrencyDecimals accepts them too.
// TestNewerCurrenciesUnknownToXText says when one of them can go.
var newerCurrencies = map[string]bool{
	"UYW": true, // Uruguay, unidad previsional (2018)
	"VED": true, // Venezuela, bolívar digital (2021)
	"SLE": true, // Sierra Leone, leone (2022)
	"ZWG": true, // Zimbabwe gold (2024)
	"XCG": true, // Caribbean guilder (2025)
}

// CurrencyDecimals is how many digits after the point amounts of currency
// show: 0 for VND, 2 for USD, 3 for KWD, as ISO 4217 sets the currency's
// minor unit. currency must be an ISO 4217 code written in capitals: one
// that golang.org/x/text/currency knows (its list comes from CLDR and
// includes withdrawn codes), or one of newerCurrencies.
func CurrencyDecimals(currency string) (int, error) {
	if upper := strings.ToUpper(currency); upper != currency && isISOCode(upper) {
		return 0, fmt.Errorf("%q is not written in capitals; write %q, the ISO 4217 code", currency, upper)
	}
	if !isISOCode(currency) {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency code; write a code of the ISO 4217 list in capitals, "+
			"such as VND, USD, JPY or EUR", currency)
	}
	if d, ok := currencyDecimals[currency]; ok {
		return d, nil
	}
	return 2, nil
}

// isISOCode reports whether code is an ISO 4217 code in capitals.
func isISOCode(code string) bool {
	if len(code) != 3 || !isLetters(code) {
		return false
	}
	if newerCurrencies[code] {
		return true
	}
	_, err := xcurrency.ParseISO(code)
	return err == nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Rat is m as an exact rational number.
func (m Money) Rat() *big.Rat {
	num := m.unscaledAt(m.scale)
	den := new(big.Int).Exp(bigTen, big.NewInt(int64(m.scale)), nil)
	return new(big.Rat).SetFrac(num, den)
}

// MoneyFromRat rounds r to places digits after the point, halves away from
// zero (as bills round), and returns it as Money.
func MoneyFromRat(r *big.Rat, places int) Money {
	factor := new(big.Int).Exp(bigTen, big.NewInt(int64(places)), nil)
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(factor))
	num, den := scaled.Num(), scaled.Denom()
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int)) // truncated toward zero
	// |rem| * 2 >= den means the dropped part is at least a half.
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			quo.Sub(quo, big.NewInt(1))
		} else {
			quo.Add(quo, big.NewInt(1))
		}
	}
	return Money{big: quo, scale: int32(places)}.normal()
}

// Round returns m rounded to places digits after the point, halves away from zero.
func (m Money) Round(places int) Money {
	if int(m.scale) <= places {
		return m
	}
	return MoneyFromRat(m.Rat(), places)
}

// significantDigits is how many digits MoneyFromFloat keeps: those of IEEE
// 754 decimal128, far more than any bill needs and far fewer than the ~154
// at which the binary artefacts of Terraform's arithmetic appear.
const significantDigits = 34

// MoneyFromFloat reads a Terraform number as the decimal it stands for,
// rounded to 34 significant digits: 0.1 reads as 0.1, not as its binary
// expansion, and 12345678.9 * 3, which Terraform computes as
// 37037036.6999…9996, reads as 37037036.7.
func MoneyFromFloat(f *big.Float) (Money, error) {
	if f == nil {
		return Money{}, fmt.Errorf("the number is null")
	}
	if f.IsInf() {
		return Money{}, fmt.Errorf("the number is infinite")
	}
	return ParseMoney(f.Text('e', significantDigits-1))
}

// Format writes m rounded to currency's minor unit with thousands grouped
// by commas and the code after it: "12,345,678 VND", "-1,234.50 USD".
func Format(m Money, currency string) (string, error) {
	places, err := CurrencyDecimals(currency)
	if err != nil {
		return "", err
	}
	text := m.Round(places).String()
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(text, "-")
	intPart, frac, _ := strings.Cut(text, ".")
	if places > 0 {
		frac += strings.Repeat("0", places-len(frac))
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(groupThousands(intPart))
	if places > 0 {
		b.WriteString("." + frac)
	}
	b.WriteString(" " + currency)
	return b.String(), nil
}

// groupThousands puts a comma between every three digits of digits,
// counted from the right: "12345678" is "12,345,678".
func groupThousands(digits string) string {
	var b strings.Builder
	for i, digit := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(digit)
	}
	return b.String()
}

// PercentOf is amount as a percentage of budget, rounded to 2 decimals
// (halves away from zero). A budget of 0 or below is an error: no
// percentage of it means anything, and a negative one would turn every
// "percent_of(spent, budget) <= 100" check into a pass.
func PercentOf(amount, budget Money) (Money, error) {
	switch budget.Sign() {
	case 0:
		return Money{}, fmt.Errorf("the budget is 0, so no percentage of it can be computed; pass a budget greater than 0")
	case -1:
		return Money{}, fmt.Errorf("the budget is %s, below 0, so no percentage of it means anything; pass a budget greater than 0", budget)
	}
	ratio := new(big.Rat).Quo(amount.Rat(), budget.Rat())
	return MoneyFromRat(ratio.Mul(ratio, big.NewRat(100, 1)), 2), nil
}
