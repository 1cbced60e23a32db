// Package testsupport holds what the tests of several packages need
// alike: an emulator served over HTTP with the tests' defaults, exact sums
// checked against big.Rat, and the day cache's entries on disk. Only tests
// import it.
package testsupport

import (
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// ServeEmulator serves an emulator built from cfg until the test ends and
// returns it with its base URL. An unset token, clock or Retry-After
// becomes token, a clock fixed at now, and one second.
func ServeEmulator(t testing.TB, cfg emulator.Config, token string, now time.Time) (*emulator.Server, string) {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = token
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = time.Second
	}
	srv := emulator.New(cfg)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts.URL + "/api"
}

// SumPrices adds prices exactly with billing.Money and fails the test
// unless big.Rat arithmetic gives the same sum.
func SumPrices(t testing.TB, prices []string) billing.Money {
	t.Helper()
	var m billing.Money
	r := new(big.Rat)
	for _, p := range prices {
		m = m.Add(billing.MustParseMoney(p))
		x, ok := new(big.Rat).SetString(p)
		if !ok {
			t.Fatalf("price %q", p)
		}
		r.Add(r, x)
	}
	if m.String() != strings.TrimSuffix(strings.TrimRight(r.FloatString(64), "0"), ".") {
		t.Fatalf("Money says %s, big.Rat says %s", m, r.FloatString(64))
	}
	return m
}

// CacheEntries lists the files of the day cache in dir.
func CacheEntries(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "days"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, filepath.Join(dir, "days", e.Name()))
	}
	return names
}
