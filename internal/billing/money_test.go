package billing

import (
	"math/big"
	"testing"
)

func TestParseMoney(t *testing.T) {
	cases := map[string]string{
		"0": "0", "-0": "0", "12.50": "12.5", "-3": "-3", "1e3": "1000", "2.5E-2": "0.025",
		"0.1": "0.1", "123456789012345678901234567890.123": "123456789012345678901234567890.123",
		"1E+2": "100", "0.000": "0", "-0.0031": "-0.0031",
	}
	for in, want := range cases {
		m, err := ParseMoney(in)
		if err != nil {
			t.Errorf("ParseMoney(%q): %v", in, err)
			continue
		}
		if got := m.String(); got != want {
			t.Errorf("ParseMoney(%q) = %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "-", ".5", "5.", "01", "1e", "1e+", "abc", "1.2.3", "NaN", "1e-999999", "1e99999999"} {
		if _, err := ParseMoney(bad); err == nil {
			t.Errorf("ParseMoney(%q) succeeded, want an error", bad)
		}
	}
}

// TestMoneyExactWhereFloatIsNot sums values that float64 gets wrong.
func TestMoneyExactWhereFloatIsNot(t *testing.T) {
	cases := []struct {
		name  string
		terms []string
		want  string
	}{
		{"tenth_plus_fifth", []string{"0.1", "0.2"}, "0.3"},
		{"large_plus_cent", []string{"1e15", "0.01"}, "1000000000000000.01"},
		{"mixed_scales", []string{"2.5558", "0.5112", "5.6228"}, "8.6898"},
		{"cancel", []string{"0.1", "0.2", "-0.3"}, "0"},
		{"int64_overflow", []string{"9223372036854775807", "1"}, "9223372036854775808"},
		{"negative_overflow", []string{"-9223372036854775807", "-2"}, "-9223372036854775809"},
		{"scale_overflow", []string{"922337203685477580.7", "0.00001"}, "922337203685477580.70001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var sum Money
			for _, term := range tc.terms {
				sum = sum.Add(MustParseMoney(term))
			}
			if got := sum.String(); got != tc.want {
				t.Errorf("sum = %s, want %s", got, tc.want)
			}
		})
	}

	// A million lines of 0.01: float64 drifts, Money does not.
	var sum Money
	var f float64
	cent := MustParseMoney("0.01")
	for range 1_000_000 {
		sum = sum.Add(cent)
		f += 0.01
	}
	if got := sum.String(); got != "10000" {
		t.Errorf("a million cents = %s, want 10000", got)
	}
	if f == 10000 {
		t.Log("float64 happened to be exact here")
	}
}

func TestMoneyCmpAndBigFloat(t *testing.T) {
	if MustParseMoney("0.3").Cmp(MustParseMoney("0.30")) != 0 {
		t.Error("0.3 != 0.30")
	}
	if MustParseMoney("-1").Cmp(MustParseMoney("0.5")) != -1 {
		t.Error("-1 >= 0.5")
	}
	text := "123456789012345678901234567890.123456789"
	f := MustParseMoney(text).BigFloat()
	if f.Prec() != 512 {
		t.Errorf("precision %d, want 512", f.Prec())
	}
	if got := f.Text('f', 9); got != text {
		t.Errorf("BigFloat = %s, want %s", got, text)
	}
	if f.Cmp(new(big.Float).SetPrec(64).SetFloat64(0)) <= 0 {
		t.Error("BigFloat lost the sign")
	}
}

func BenchmarkMoneyAdd(b *testing.B) {
	terms := []Money{MustParseMoney("2.5558"), MustParseMoney("0.5112"), MustParseMoney("12345.67")}
	var sum Money
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sum = sum.Add(terms[i%len(terms)])
	}
	_ = sum
}
