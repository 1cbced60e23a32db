package billing

import (
	"math/big"
	"strings"
	"testing"
)

// TestFormatGroupsEveryThreeDigits: a comma between every three digits of
// the whole part, counted from the right, at every length; the minor unit's
// digits always written; no "-0".
func TestFormatGroupsEveryThreeDigits(t *testing.T) {
	cases := []struct{ amount, currency, want string }{
		{"0", "VND", "0 VND"},
		{"1", "VND", "1 VND"},
		{"12", "VND", "12 VND"},
		{"999", "VND", "999 VND"},
		{"1000", "VND", "1,000 VND"},
		{"9999", "VND", "9,999 VND"},
		{"99999", "VND", "99,999 VND"},
		{"100000", "VND", "100,000 VND"},
		{"999999", "VND", "999,999 VND"},
		{"1000000", "VND", "1,000,000 VND"},
		{"-1000", "VND", "-1,000 VND"},
		{"-999", "VND", "-999 VND"},
		{"-100000", "VND", "-100,000 VND"},
		{"999.5", "VND", "1,000 VND"},   // rounding carries into a new group
		{"-999.5", "VND", "-1,000 VND"}, // away from zero
		{"-0.4", "VND", "0 VND"},
		{"-0.5", "VND", "-1 VND"},
		{"0", "USD", "0.00 USD"},
		{"0.5", "USD", "0.50 USD"},
		{"0.05", "USD", "0.05 USD"},
		{"0.005", "USD", "0.01 USD"},
		{"-0.005", "USD", "-0.01 USD"},
		{"1000.1", "USD", "1,000.10 USD"},
		{"-1234567.891", "USD", "-1,234,567.89 USD"},
		{"0.0005", "KWD", "0.001 KWD"},
		{"1000", "KWD", "1,000.000 KWD"},
		{"0.00005", "CLF", "0.0001 CLF"},
		{"12.5", "CLF", "12.5000 CLF"},
		{"1234.5", "JPY", "1,235 JPY"},
	}
	for _, tc := range cases {
		got, err := Format(MustParseMoney(tc.amount), tc.currency)
		if err != nil || got != tc.want {
			t.Errorf("Format(%s, %s) = %q, %v; want %q", tc.amount, tc.currency, got, err, tc.want)
		}
	}
}

// TestPercentOfRoundsToTwoPlaces: the percentage is exact before it is
// rounded once, to 2 places, halves away from zero; a budget must be above
// 0, however small.
func TestPercentOfRoundsToTwoPlaces(t *testing.T) {
	cases := []struct{ amount, budget, want string }{
		{"1", "800", "0.13"},   // 0.125
		{"-1", "800", "-0.13"}, // -0.125
		{"1", "801", "0.12"},   // 0.1248…
		{"0", "5", "0"},
		{"5", "5", "100"},
		{"7", "6", "116.67"},
		{"-7", "6", "-116.67"},
		{"1", "0.0001", "1000000"},
		{"123456789012345678901234567890", "1", "12345678901234567890123456789000"},
		{"1", "3000000", "0"}, // 0.0000333…
		{"1", "200000", "0"},  // 0.0005 rounds to 0.00
		{"1", "199999", "0"},  // 0.000500…: rounds down at 2 places
		{"1", "19999", "0.01"},
	}
	for _, tc := range cases {
		got, err := PercentOf(MustParseMoney(tc.amount), MustParseMoney(tc.budget))
		if err != nil || got.String() != tc.want {
			t.Errorf("PercentOf(%s, %s) = %s, %v; want %s", tc.amount, tc.budget, got, err, tc.want)
		}
	}
	if _, err := PercentOf(MustParseMoney("1"), MustParseMoney("0.0000000001")); err != nil {
		t.Errorf("a budget just above 0 was refused: %v", err)
	}
	for budget, says := range map[string]string{"0": "the budget is 0", "-0.0000000001": "below 0"} {
		_, err := PercentOf(MustParseMoney("1"), MustParseMoney(budget))
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("PercentOf(1, %s) = %v, want an error saying %q", budget, err, says)
		}
	}
}

// TestMoneyFromRatAndRatAreInverse: a decimal made a fraction and back at
// its own scale is itself; rounding to fewer places halves away from zero.
func TestMoneyFromRatAndRatAreInverse(t *testing.T) {
	for _, text := range []string{"0", "1", "-1", "0.5", "-0.05", "12345678901234567890.123", "9223372036854775808", "-0.0001"} {
		m := MustParseMoney(text)
		places := 0
		if _, frac, ok := strings.Cut(text, "."); ok {
			places = len(frac)
		}
		if got := MoneyFromRat(m.Rat(), places); got.Cmp(m) != 0 {
			t.Errorf("MoneyFromRat(Rat(%s), %d) = %s", text, places, got)
		}
	}
	for in, want := range map[string]string{
		"1/2": "1", "-1/2": "-1", "1/3": "0", "-1/3": "0", "2/3": "1", "-2/3": "-1", "3/2": "2", "-3/2": "-2",
		"499999/1000000": "0", "-499999/1000000": "0", "500001/1000000": "1",
	} {
		r, _ := new(big.Rat).SetString(in)
		if got := MoneyFromRat(r, 0).String(); got != want {
			t.Errorf("MoneyFromRat(%s, 0) = %s, want %s", in, got, want)
		}
	}
	if got := MustParseMoney("0.25").Rat().String(); got != "1/4" {
		t.Errorf("Rat(0.25) = %s, want 1/4", got)
	}
}

// TestMoneyFromFloatKeeps34Digits: a Terraform number is read to 34
// significant digits, the last one rounded; a null is an error.
func TestMoneyFromFloatKeeps34Digits(t *testing.T) {
	for text, want := range map[string]string{
		"1.234567890123456789012345678901234":   "1.234567890123456789012345678901234",
		"1.2345678901234567890123456789012346":  "1.234567890123456789012345678901235",
		"-1.2345678901234567890123456789012344": "-1.234567890123456789012345678901234",
		"0.1":                                   "0.1", "100": "100", "-0.5": "-0.5",
	} {
		f, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		m, err := MoneyFromFloat(f)
		if err != nil || m.String() != want {
			t.Errorf("MoneyFromFloat(%s) = %s, %v; want %s", text, m, err, want)
		}
	}
	if _, err := MoneyFromFloat(nil); err == nil || !strings.Contains(err.Error(), "null") {
		t.Errorf("MoneyFromFloat(nil) = %v, want an error saying null", err)
	}
	if _, err := MoneyFromFloat(new(big.Float).SetInf(true)); err == nil {
		t.Error("minus infinity was accepted")
	}
}
