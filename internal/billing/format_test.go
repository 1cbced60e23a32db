package billing

import (
	"math/big"
	"strings"
	"testing"

	xcurrency "golang.org/x/text/currency"
)

func TestFormat(t *testing.T) {
	cases := []struct{ amount, currency, want string }{
		{"12345678", "VND", "12,345,678 VND"},
		{"12345678.5", "VND", "12,345,679 VND"}, // half away from zero
		{"-12345678.5", "VND", "-12,345,679 VND"},
		{"0.1", "VND", "0 VND"},
		{"999.995", "USD", "1,000.00 USD"},
		{"1234.5", "USD", "1,234.50 USD"},
		{"-0.004", "USD", "0.00 USD"},
		{"1.2345", "KWD", "1.235 KWD"},
		{"100", "USD", "100.00 USD"},
		{"123456789012345678901234567890", "VND", "123,456,789,012,345,678,901,234,567,890 VND"},
		{"0.30000000000000004", "USD", "0.30 USD"},
	}
	for _, tc := range cases {
		got, err := Format(MustParseMoney(tc.amount), tc.currency)
		if err != nil || got != tc.want {
			t.Errorf("Format(%s, %s) = %q, %v; want %q", tc.amount, tc.currency, got, err, tc.want)
		}
	}
	for _, bad := range []string{"vnd", "VN", "V1D", "", "DOLLAR", "XYZ", "ABC", "QQQ"} {
		if got, err := Format(MustParseMoney("1"), bad); err == nil {
			t.Errorf("Format with currency %q = %q, want an error", bad, got)
		}
	}
}

// TestCurrencyDecimals: the minor units are ISO 4217's, codes come from a
// maintained list, and a lower-case code is told apart from an unknown one.
func TestCurrencyDecimals(t *testing.T) {
	for code, want := range map[string]int{
		"VND": 0, "JPY": 0, "XOF": 0, "USD": 2, "EUR": 2, "IDR": 2, "KWD": 3, "IQD": 3, "CLF": 4,
		"SLE": 2, "ZWG": 2, "UYW": 4,
	} {
		if got, err := CurrencyDecimals(code); err != nil || got != want {
			t.Errorf("CurrencyDecimals(%q) = %d, %v; want %d", code, got, err, want)
		}
	}
	for code, want := range map[string]string{
		"XYZ": `"XYZ" is not an ISO 4217 currency code`,
		"vnd": `"vnd" is not written in capitals; write "VND"`,
		"Usd": `"Usd" is not written in capitals; write "USD"`,
		"xyz": `"xyz" is not an ISO 4217 currency code`,
	} {
		_, err := CurrencyDecimals(code)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CurrencyDecimals(%q) = %v, want an error containing %q", code, err, want)
		}
	}
	for code := range currencyDecimals {
		if !isISOCode(code) {
			t.Errorf("currencyDecimals lists %q, which is no ISO 4217 code", code)
		}
	}
}

// TestNewerCurrenciesUnknownToXText: newerCurrencies holds only codes that
// golang.org/x/text/currency does not know yet; once an update knows one,
// this fails and the code leaves the list.
func TestNewerCurrenciesUnknownToXText(t *testing.T) {
	for code := range newerCurrencies {
		if _, err := xcurrency.ParseISO(code); err == nil {
			t.Errorf("golang.org/x/text/currency now knows %s: remove it from newerCurrencies", code)
		}
	}
}

func TestPercentOf(t *testing.T) {
	cases := []struct{ amount, budget, want string }{
		{"60000000", "200000000", "30"},
		{"1", "3", "33.33"},
		{"2", "3", "66.67"},
		{"0.1", "0.3", "33.33"}, // float64: 0.1/0.3*100 = 33.333333333333336
		{"0.3", "0.1", "300"},   // float64: 2.9999999999999996 * 100
		{"1", "8", "12.5"},
		{"-1", "8", "-12.5"},
		{"0.00005", "1", "0.01"}, // half away from zero
	}
	for _, tc := range cases {
		got, err := PercentOf(MustParseMoney(tc.amount), MustParseMoney(tc.budget))
		if err != nil || got.String() != tc.want {
			t.Errorf("PercentOf(%s, %s) = %s, %v; want %s", tc.amount, tc.budget, got, err, tc.want)
		}
	}
	for _, budget := range []string{"0.00", "-100", "-0.01"} {
		if got, err := PercentOf(MustParseMoney("50"), MustParseMoney(budget)); err == nil {
			t.Errorf("PercentOf(50, %s) = %s, want an error", budget, got)
		}
	}
}

// TestMoneyFromFloat reads Terraform's 512-bit numbers back as the decimals
// they were written as.
func TestMoneyFromFloat(t *testing.T) {
	for _, text := range []string{"0.1", "0.3", "12345678.90", "1e15", "1000000000000000.01", "-2.5558", "0", "1234567890123456789012345678.901234"} {
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		m, err := MoneyFromFloat(f)
		if err != nil {
			t.Fatalf("MoneyFromFloat(%s): %v", text, err)
		}
		if m.Cmp(MustParseMoney(text)) != 0 {
			t.Errorf("MoneyFromFloat(%s) = %s", text, m)
		}
	}
	// Terraform's own arithmetic: 12345678.9 * 3 at 512 bits is 37037036.6999…9996.
	a, _, _ := big.ParseFloat("12345678.9", 10, 512, big.ToNearestEven)
	product := new(big.Float).SetPrec(512).Mul(a, new(big.Float).SetPrec(512).SetInt64(3))
	if m, err := MoneyFromFloat(product); err != nil || m.String() != "37037036.7" {
		t.Errorf("MoneyFromFloat(12345678.9 * 3) = %s, %v; want 37037036.7", m, err)
	}
	if _, err := MoneyFromFloat(new(big.Float).SetInf(false)); err == nil {
		t.Error("an infinite number was accepted")
	}
}
