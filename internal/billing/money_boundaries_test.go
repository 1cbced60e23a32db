package billing

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// Money's documented promises at the edges of its representation: amounts
// are exact whatever their size (the int64 fast path and the big.Int path
// give the same answers on either side of every boundary between them),
// at most maxScale digits after the point, and String writes the exact
// decimal with no exponent and no trailing zeros.

// TestParseMoneyAtTheEdgesOfItsRange: the largest scale and exponent
// accepted, and the first refused, with the error saying why.
func TestParseMoneyAtTheEdgesOfItsRange(t *testing.T) {
	tiny := "0." + strings.Repeat("0", maxScale-1) + "1" // 10^-64
	for in, want := range map[string]string{
		"1e-64":                   tiny,
		tiny:                      tiny,
		"1e64":                    "1" + strings.Repeat("0", 64),
		"-1e64":                   "-1" + strings.Repeat("0", 64),
		"0e5":                     "0",
		"0.0e-70":                 "0", // zero at any scale is zero
		"1e-000002":               "0.01",
		"1e+000002":               "100",
		"5E-1":                    "0.5",
		"0.5":                     "0.5",
		"10.5":                    "10.5",
		"1.5e1":                   "15",
		"12.345e2":                "1234.5",
		"1.0000000000000000001e1": "10.000000000000000001",
	} {
		m, err := ParseMoney(in)
		if err != nil {
			t.Errorf("ParseMoney(%q): %v", in, err)
			continue
		}
		if got := m.String(); got != want {
			t.Errorf("ParseMoney(%q) = %s, want %s", in, got, want)
		}
	}
	for in, why := range map[string]string{
		"1e-65":                              "more than 64 decimal places",
		"0." + strings.Repeat("0", 64) + "1": "more than 64 decimal places",
		"1e65":                               "too large an amount",
		"-1e65":                              "too large an amount",
		"00.5":                               "not a JSON number",
		"00":                                 "not a JSON number",
		"-01":                                "not a JSON number",
		"+1":                                 "not a JSON number",
		"1e+-1":                              "not a JSON number",
		"1.e1":                               "not a JSON number",
	} {
		_, err := ParseMoney(in)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseMoney(%q) = %v, want an error saying %q", in, err, why)
		}
	}
}

// TestMoneyIsExactAcrossTheInt64Boundary: amounts of 17 to 20 digits, on
// both sides of what an int64 holds, parse, add, compare and print exactly.
func TestMoneyIsExactAcrossTheInt64Boundary(t *testing.T) {
	for _, text := range []string{
		"99999999999999999", "999999999999999999", "9999999999999999999", "99999999999999999999",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"0.999999999999999999", "-99999999999999999.9", "922337203685477580.7", "-922337203685477580.8",
	} {
		m := MustParseMoney(text)
		if got := m.String(); got != text {
			t.Errorf("%s reads back as %s", text, got)
		}
		if got := m.Add(m.Neg()); got.Sign() != 0 || got.String() != "0" {
			t.Errorf("%s - %s = %s, want 0", text, text, got)
		}
		if m.Cmp(m) != 0 {
			t.Errorf("%s compares unequal to itself", text)
		}
	}
	cases := []struct{ a, b, want string }{
		{"999999999999999999", "1", "1000000000000000000"},
		{"-999999999999999999", "-1", "-1000000000000000000"},
		{"9223372036854775807", "-9223372036854775808", "-1"},
		{"-9223372036854775808", "0", "-9223372036854775808"},
		{"0", "-9223372036854775808", "-9223372036854775808"},
		{"9223372036854775806", "1", "9223372036854775807"},
		{"-9223372036854775807", "-1", "-9223372036854775808"},
		{"-9223372036854775808", "-1", "-9223372036854775809"},
		{"9223372036854775807", "9223372036854775807", "18446744073709551614"},
		{"-9223372036854775808", "-9223372036854775808", "-18446744073709551616"},
		{"9223372036854775808", "-1", "9223372036854775807"}, // back from big to int64
		// Different scales: the smaller is scaled up, by int64 where that fits.
		{"922337203685477580", "0.1", "922337203685477580.1"},
		{"922337203685477581", "0.1", "922337203685477581.1"},
		{"-922337203685477580", "-0.1", "-922337203685477580.1"},
		{"-922337203685477581", "-0.1", "-922337203685477581.1"},
		{"0.1", "922337203685477581", "922337203685477581.1"},
		{"92233720368547758", "0.01", "92233720368547758.01"},
		{"92233720368547759", "0.01", "92233720368547759.01"},
		{"1", "0.000000000000000000001", "1.000000000000000000001"},
		{"12345678901234567890.5", "0.25", "12345678901234567890.75"},
		{"-12345678901234567890.5", "12345678901234567890.5", "0"},
	}
	for _, tc := range cases {
		a, b := MustParseMoney(tc.a), MustParseMoney(tc.b)
		if got := a.Add(b).String(); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.a, tc.b, got, tc.want)
		}
		if got := b.Add(a).String(); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.b, tc.a, got, tc.want)
		}
	}
}

// TestMoneySignAndCmpOnEverySide: Sign and Cmp agree with the amounts'
// order for small and big amounts, negative, zero and positive.
func TestMoneySignAndCmpOnEverySide(t *testing.T) {
	ordered := []string{
		"-1e30", "-9223372036854775809", "-9223372036854775808", "-1", "-0.01", "-0.001",
		"0", "0.001", "0.01", "1", "9223372036854775807", "9223372036854775808", "1e30",
	}
	for i, a := range ordered {
		m := MustParseMoney(a)
		wantSign := 0
		switch {
		case strings.HasPrefix(a, "-"):
			wantSign = -1
		case a != "0":
			wantSign = 1
		}
		if got := m.Sign(); got != wantSign {
			t.Errorf("Sign(%s) = %d, want %d", a, got, wantSign)
		}
		if got := m.Neg().Sign(); got != -wantSign {
			t.Errorf("Sign(-%s) = %d, want %d", a, got, -wantSign)
		}
		for j, b := range ordered {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := m.Cmp(MustParseMoney(b)); got != want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// TestMoneyNegIsExact: negation is exact, the most negative int64 included,
// and twice is the identity.
func TestMoneyNegIsExact(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "1": "-1", "-1": "1", "0.05": "-0.05", "-0.05": "0.05",
		"-9223372036854775808": "9223372036854775808", "9223372036854775807": "-9223372036854775807",
		"9223372036854775808": "-9223372036854775808", "-1e30": "1" + strings.Repeat("0", 30),
		"-922337203685477580.8": "922337203685477580.8",
	} {
		m := MustParseMoney(in)
		if got := m.Neg().String(); got != want {
			t.Errorf("-(%s) = %s, want %s", in, got, want)
		}
		if got := m.Neg().Neg().String(); got != MustParseMoney(in).String() {
			t.Errorf("-(-(%s)) = %s", in, got)
		}
	}
	// The most negative int64, negated, is a big amount that sums exactly.
	minInt := MustParseMoney(strconv.FormatInt(math.MinInt64, 10))
	if got := minInt.Neg().Add(MustParseMoney("1")).String(); got != "9223372036854775809" {
		t.Errorf("-(MinInt64) + 1 = %s", got)
	}
}

// TestMoneyStringPadsAndTrims: digits fewer than the scale get leading
// zeros, trailing zeros after the point go, zeros before it stay, and no
// amount prints as "-0".
func TestMoneyStringPadsAndTrims(t *testing.T) {
	for in, want := range map[string]string{
		"0.5": "0.5", "0.05": "0.05", "0.005": "0.005", "-0.05": "-0.05", "5.5": "5.5", "55.5": "55.5",
		"1.50": "1.5", "1.500": "1.5", "100": "100", "100.00": "100", "1e2": "100", "-100.0": "-100",
		"12345678901234567890.05": "12345678901234567890.05", "-0.00000000000000000001": "-0.00000000000000000001",
		"-0.000": "0", "0.10": "0.1",
	} {
		if got := MustParseMoney(in).String(); got != want {
			t.Errorf("String(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestRoundHalvesAwayFromZero: Round keeps amounts with no more places
// than asked as they are, and rounds the others to the nearest amount of
// that many places, halves away from zero, as bills round.
func TestRoundHalvesAwayFromZero(t *testing.T) {
	cases := []struct {
		in     string
		places int
		want   string
	}{
		{"0.125", 2, "0.13"}, {"-0.125", 2, "-0.13"}, {"0.1249999", 2, "0.12"}, {"-0.1249999", 2, "-0.12"},
		{"0.1250001", 2, "0.13"}, {"0.135", 2, "0.14"}, {"0.145", 2, "0.15"},
		{"2.5", 0, "3"}, {"-2.5", 0, "-3"}, {"3.5", 0, "4"}, {"2.4999", 0, "2"}, {"-2.4999", 0, "-2"},
		{"0.5", 0, "1"}, {"-0.5", 0, "-1"}, {"0.4999", 0, "0"}, {"-0.4999", 0, "0"},
		{"1.25", 2, "1.25"}, {"1.2", 2, "1.2"}, {"7", 0, "7"}, {"1.23", 5, "1.23"},
		{"9.995", 2, "10"}, {"-9.995", 2, "-10"}, {"999.9995", 3, "1000"},
		{"12345678901234567890.125", 2, "12345678901234567890.13"},
		{"-12345678901234567890.125", 2, "-12345678901234567890.13"},
		{"0.0000000000000000000005", 21, "0.000000000000000000001"},
	}
	for _, tc := range cases {
		if got := MustParseMoney(tc.in).Round(tc.places).String(); got != tc.want {
			t.Errorf("Round(%s, %d) = %s, want %s", tc.in, tc.places, got, tc.want)
		}
	}
}
