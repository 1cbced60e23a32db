package billing

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Money is an exact decimal amount: unscaled × 10^-scale. Amounts that fit
// in an int64 at their scale (all real bill amounts) take no allocation;
// larger ones move to a big.Int. The zero value is 0.
type Money struct {
	small int64
	big   *big.Int // when not nil, the unscaled value; small is unused
	scale int32
}

// maxScale bounds the digits after the point, so that a hostile number such
// as 1e-1000000 cannot make sums allocate without bound.
const maxScale = 64

var errMoneySyntax = errors.New("not a JSON number")

// ParseMoney reads the text of a JSON number (such as "12.5", "-3", "1e3" or
// "2.5E-2") exactly.
func ParseMoney(text string) (Money, error) {
	s := text
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	mantissa, exponent, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mantissa, exponent, hasExp = s[:i], s[i+1:], true
	}
	intPart, fracPart, hasPoint := strings.Cut(mantissa, ".")
	if intPart == "" || (hasPoint && fracPart == "") || !allDigits(intPart) || !allDigits(fracPart) ||
		(len(intPart) > 1 && intPart[0] == '0') {
		return Money{}, fmt.Errorf("%q is %w", text, errMoneySyntax)
	}
	scale := int64(len(fracPart))
	if hasExp {
		exp, err := parseExponent(exponent)
		if err != nil {
			return Money{}, fmt.Errorf("%q is %w", text, errMoneySyntax)
		}
		scale -= exp
	}
	digits := strings.TrimLeft(intPart+fracPart, "0")
	if digits == "" {
		return Money{}, nil
	}
	if scale < 0 { // 1e3: append zeros
		if -scale > maxScale {
			return Money{}, fmt.Errorf("%q is too large an amount", text)
		}
		digits += strings.Repeat("0", int(-scale))
		scale = 0
	}
	if scale > maxScale {
		return Money{}, fmt.Errorf("%q has more than %d decimal places", text, maxScale)
	}
	m := Money{scale: int32(scale)}
	if len(digits) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			v = v*10 + int64(digits[i]-'0')
		}
		if neg {
			v = -v
		}
		m.small = v
		return m.normal(), nil
	}
	b, _ := new(big.Int).SetString(digits, 10)
	if neg {
		b.Neg(b)
	}
	m.big = b
	return m.normal(), nil
}

// MustParseMoney is ParseMoney for constants in code and tests.
func MustParseMoney(text string) Money {
	m, err := ParseMoney(text)
	if err != nil {
		panic(err)
	}
	return m
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseExponent(s string) (int64, error) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" || len(s) > 6 || !allDigits(s) {
		return 0, errMoneySyntax
	}
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	if neg {
		v = -v
	}
	return v, nil
}

// Add returns m + o, exactly.
func (m Money) Add(o Money) Money {
	if m.big == nil && o.big == nil && m.scale == o.scale {
		sum := m.small + o.small
		// Overflow happens only when both have the same sign and the sum's differs.
		if (m.small >= 0) != (o.small >= 0) || (sum >= 0) == (m.small >= 0) {
			return Money{small: sum, scale: m.scale}
		}
	}
	if m.big == nil && o.big == nil && m.scale != o.scale {
		if a, b, ok := alignSmall(m, o); ok {
			return a.Add(b)
		}
	}
	scale := max(m.scale, o.scale)
	sum := new(big.Int).Add(m.unscaledAt(scale), o.unscaledAt(scale))
	return Money{big: sum, scale: scale}.normal()
}

// alignSmall brings two int64 amounts to the larger scale, if that fits.
func alignSmall(m, o Money) (Money, Money, bool) {
	if m.scale > o.scale {
		o2, ok := rescaleSmall(o, m.scale)
		return m, o2, ok
	}
	m2, ok := rescaleSmall(m, o.scale)
	return m2, o, ok
}

func rescaleSmall(m Money, scale int32) (Money, bool) {
	v := m.small
	for s := m.scale; s < scale; s++ {
		if v > 922337203685477580 || v < -922337203685477580 {
			return Money{}, false
		}
		v *= 10
	}
	return Money{small: v, scale: scale}, true
}

var bigTen = big.NewInt(10)

// unscaledAt is m's unscaled value at a scale at least m.scale.
func (m Money) unscaledAt(scale int32) *big.Int {
	v := m.big
	if v == nil {
		v = big.NewInt(m.small)
	}
	if scale == m.scale {
		return new(big.Int).Set(v)
	}
	factor := new(big.Int).Exp(bigTen, big.NewInt(int64(scale-m.scale)), nil)
	return new(big.Int).Mul(v, factor)
}

// normal moves a big value that fits back into int64.
func (m Money) normal() Money {
	if m.big != nil && m.big.IsInt64() {
		return Money{small: m.big.Int64(), scale: m.scale}
	}
	return m
}

// Sign is -1, 0 or +1.
func (m Money) Sign() int {
	if m.big != nil {
		return m.big.Sign()
	}
	switch {
	case m.small > 0:
		return 1
	case m.small < 0:
		return -1
	}
	return 0
}

// Cmp compares m and o: -1, 0 or +1.
func (m Money) Cmp(o Money) int {
	return m.Add(o.Neg()).Sign()
}

// Neg returns -m.
func (m Money) Neg() Money {
	if m.big != nil {
		return Money{big: new(big.Int).Neg(m.big), scale: m.scale}
	}
	if m.small == -1<<63 {
		return Money{big: new(big.Int).Neg(big.NewInt(m.small)), scale: m.scale}
	}
	return Money{small: -m.small, scale: m.scale}
}

// String is the exact decimal text with no exponent and no trailing zeros
// after the point, such as "12.5", "-0.003" or "1000".
func (m Money) String() string {
	var digits string
	if m.big != nil {
		digits = m.big.String()
	} else {
		digits = fmt.Sprint(m.small)
	}
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if m.scale > 0 {
		if len(digits) <= int(m.scale) {
			digits = strings.Repeat("0", int(m.scale)-len(digits)+1) + digits
		}
		point := len(digits) - int(m.scale)
		intPart, frac := digits[:point], strings.TrimRight(digits[point:], "0")
		digits = intPart
		if frac != "" {
			digits += "." + frac
		}
	}
	if neg && digits != "0" {
		return "-" + digits
	}
	return digits
}

// NumberPrecision is the precision, in bits, of Terraform's numbers (the
// protocol encoder, package fastlist, has the same).
const NumberPrecision = 512

// ExactFloat is the decimal number text at NumberPrecision bits, rounded
// to nearest even: the number Terraform makes of it.
func ExactFloat(text string) (*big.Float, error) {
	f, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
	return f, err
}

// BigFloat is m as a float of NumberPrecision bits, the precision of
// Terraform's numbers, made from the exact decimal text.
func (m Money) BigFloat() *big.Float {
	f, err := ExactFloat(m.String())
	if err != nil {
		panic(fmt.Sprintf("billing: %q does not parse as a float: %v", m.String(), err)) // String always writes a valid number
	}
	return f
}
