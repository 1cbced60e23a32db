package bills

import (
	"context"
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

const testToken = "tok-3f9a1c7e-SECRET-5b2d"

// testNow is "today" in these tests: 2024-09-20 10:00 at +07:00.
var testNow = time.Date(2024, 9, 20, 3, 0, 0, 0, time.UTC)

var testPlus7 = time.FixedZone("+07:00", 7*3600)

// defaultBillsMaxItems is the provider's default max_items.
const defaultBillsMaxItems = 100_000

// testEnv is one emulator served over HTTP.
type testEnv struct {
	Emulator *emulator.Server
	URL      string
}

func newTestEnv(t *testing.T, cfg emulator.Config) *testEnv {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	if cfg.RetryAfter == 0 {
		cfg.RetryAfter = time.Second
	}
	srv := emulator.New(cfg)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &testEnv{Emulator: srv, URL: ts.URL + "/api"}
}

// nopLogger drops the pipeline's log lines.
type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any)             {}
func (nopLogger) Info(context.Context, string, map[string]any)              {}
func (nopLogger) Warn(context.Context, string, map[string]any)              {}
func (nopLogger) With(ctx context.Context, _ string, _ any) context.Context { return ctx }

func readBills(ctx context.Context, source Source, q Query) (*Result, error) {
	return Read(ctx, source, q, nopLogger{})
}

// cacheEntries lists the files of the day cache in dir.
func cacheEntries(t *testing.T, dir string) []string {
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

// sumOf sums prices with Money and checks the sum with big.Rat.
func sumOf(t *testing.T, prices []string) billing.Money {
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
