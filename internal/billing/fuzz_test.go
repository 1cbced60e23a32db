package billing

import (
	"math/big"
	"testing"
)

// FuzzParseMoney checks ParseMoney against math/big: whatever it accepts
// must be the same number big.Float reads from the text, and String must
// round-trip.
func FuzzParseMoney(f *testing.F) {
	for _, seed := range []string{"0", "-0", "12.50", "1e3", "2.5E-2", "0.1", "-9223372036854775808", "99999999999999999999.99", "1e-64", "01", ".5", "1e", "--1", "1.2.3", "NaN"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, err := ParseMoney(text)
		if err != nil {
			return
		}
		want, _, perr := big.ParseFloat(text, 10, 4096, big.ToNearestEven)
		if perr != nil {
			t.Fatalf("ParseMoney accepted %q, which big.ParseFloat refuses: %v", text, perr)
		}
		got, _, _ := big.ParseFloat(m.String(), 10, 4096, big.ToNearestEven)
		if got.Cmp(want) != 0 {
			t.Fatalf("ParseMoney(%q) = %s, want %s", text, m.String(), want.Text('g', 40))
		}
		again, err := ParseMoney(m.String())
		if err != nil || again.Cmp(m) != 0 {
			t.Fatalf("String() of %q = %q does not parse back to the same amount: %v", text, m.String(), err)
		}
		if sum := m.Add(m.Neg()); sum.Sign() != 0 {
			t.Fatalf("%s + -%s = %s, want 0", m, m, sum)
		}
	})
}

// FuzzParseTimeZone must never panic, and an accepted zone must be usable.
func FuzzParseTimeZone(f *testing.F) {
	for _, seed := range []string{"+07:00", "-0530", "Z", "UTC", "Asia/Ho_Chi_Minh", "Local", "+25:00", "../../etc/passwd", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := ParseTimeZone(s)
		if err == nil && loc == nil {
			t.Fatalf("ParseTimeZone(%q) returned no location and no error", s)
		}
	})
}
