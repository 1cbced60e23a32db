package bills

import (
	"context"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
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
	srv, url := testsupport.ServeEmulator(t, cfg, testToken, testNow)
	return &testEnv{Emulator: srv, URL: url}
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

// sumOf adds prices exactly, checked against big.Rat arithmetic.
func sumOf(t *testing.T, prices []string) billing.Money { return testsupport.SumPrices(t, prices) }

// cacheEntries lists the files of the day cache in dir.
func cacheEntries(t *testing.T, dir string) []string { return testsupport.CacheEntries(t, dir) }
