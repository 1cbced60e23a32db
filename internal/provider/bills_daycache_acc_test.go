package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/testsupport"
)

// TestAccBills_dayCacheSameState plans ranges that cross month ends without
// the cache, then with it (cold, warm, and with every entry damaged): the
// states are byte-identical, the warm plan costs a fraction of the
// requests, and no file of the cache holds a token.
func TestAccBills_dayCacheSameState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	dir := filepath.Join(t.TempDir(), "fptcloud-cache")
	config := `
data "fptcloud_bills" "items" {
  from          = "2024-07-30"
  to            = "2024-09-20"
  services      = ["Instance", "Storage"]
  include_items = true
}

data "fptcloud_bills" "year" {
  range         = "year_to_date"
  period        = "month"
  include_items = false
}

data "fptcloud_bills" "vpc" {
  from      = "2024-02-27"
  to        = "2024-03-02"
  vpc_names = ["prod-vpc"]
}
`
	names := []string{"items", "year", "vpc"}
	collect := func(extra string) (map[string]string, int64) {
		capture := &captureState{}
		before := env.Emulator.Requests(fptapi.BillsEndpoint)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{Config: env.providerBlock(extra) + config,
				ConfigStateChecks: []statecheck.StateCheck{capture}}},
		})
		states := map[string]string{}
		for _, name := range names {
			states[name] = string(capture.values["data.fptcloud_bills."+name])
		}
		return states, env.Emulator.Requests(fptapi.BillsEndpoint) - before
	}
	want, plainRequests := collect("")
	cacheArg := fmt.Sprintf("cache_dir = %q", dir)
	cold, coldRequests := collect(cacheArg)
	warm, warmRequests := collect(cacheArg)
	t.Logf("requests: %d without the cache, %d cold, %d warm", plainRequests, coldRequests, warmRequests)
	for _, name := range names {
		if want[name] == "" || !strings.Contains(want[name], `"item_count"`) {
			t.Fatalf("no state captured for %s", name)
		}
		if cold[name] != want[name] {
			t.Errorf("%s: the state with a cold cache differs from the state without the cache", name)
		}
		if warm[name] != want[name] {
			t.Errorf("%s: the state with a warm cache differs from the state without the cache", name)
		}
	}
	if warmRequests*10 > plainRequests {
		t.Errorf("a plan with a warm cache made %d requests, over a tenth of the %d without it", warmRequests, plainRequests)
	}

	entries := testsupport.CacheEntries(t, dir)
	if len(entries) == 0 {
		t.Fatal("the cache directory holds no entry")
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		for _, secret := range []string{testToken, testRefreshToken} {
			if strings.Contains(p, secret) || strings.Contains(string(data), secret) {
				t.Errorf("%s holds a secret", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// Every entry damaged (truncated): the plan reads the days from the API
	// again, with the same state, and rewrites the entries.
	for _, name := range entries {
		if err := os.Truncate(name, 20); err != nil {
			t.Fatal(err)
		}
	}
	damaged, damagedRequests := collect(cacheArg)
	for _, name := range names {
		if damaged[name] != want[name] {
			t.Errorf("%s: the state read over damaged entries differs", name)
		}
	}
	if damagedRequests <= warmRequests {
		t.Errorf("damaged entries were not read again: %d requests, %d when warm", damagedRequests, warmRequests)
	}
	if _, again := collect(cacheArg); again != warmRequests {
		t.Errorf("the entries were not replaced: %d requests, want %d as when warm", again, warmRequests)
	}
}

// TestAccBills_dayCacheFromEnvironment turns the cache on with FPTCLOUD_CACHE_DIR.
func TestAccBills_dayCacheFromEnvironment(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	dir := t.TempDir()
	t.Setenv(EnvCacheDir, dir)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock("") + `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
  to   = "2024-09-03"
}
`,
			ConfigStateChecks: expectLines(env.Emulator.Data.BillLines("2024-09-01", "2024-09-03"), nil).checks(t, "test"),
		}},
	})
	if got := len(testsupport.CacheEntries(t, dir)); got != 3 {
		t.Errorf("%s holds %d entries, want the 3 days read", dir, got)
	}
}

// TestAccBills_dayCacheUnusable reads without the cache when its directory
// cannot be made: a warning, never a failed plan.
func TestAccBills_dayCacheUnusable(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.providerBlock(fmt.Sprintf("cache_dir = %q", filepath.Join(file, "cache"))) + `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.fptcloud_bills.test", tfjsonpath.New("item_count"),
					knownvalue.Int64Exact(int64(len(env.Emulator.Data.BillLines("2024-09-01", "2024-09-01"))))),
			},
		}},
	})
}

func TestAccProvider_dayCacheInvalid(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Config{})
	data := `
data "fptcloud_bills" "test" {
  from = "2024-09-01"
}
`
	cases := map[string]struct {
		extra string
		want  *regexp.Regexp
	}{
		"max age too short": {`cache_dir = "x"
  cache_max_age = "30s"`, errorPattern("Invalid cache_max_age", `cache_max_age = "30s": the value is shorter than 1m0s`)},
		"max age not a duration": {`cache_dir = "x"
  cache_max_age = "7 days"`, errorPattern(`cache_max_age = "7 days": the value is not a duration`, `"720h"`)},
		"size zero": {`cache_dir = "x"
  cache_max_size_mb = 0`, errorPattern("cache_max_size_mb = 0: the value must be between 1 and 1048576.")},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.providerBlock(tc.extra) + data, ExpectError: tc.want}},
			})
		})
	}
}
