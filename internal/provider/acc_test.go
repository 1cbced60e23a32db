package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Acceptance tests: the rules every test that drives terraform (or tofu)
// follows, so that the quick loop, the parallel run and the OpenTofu run
// stay right as tests are added.
//
//  1. It runs its steps with accTest, never resource.UnitTest (which runs
//     without TF_ACC): `make test-unit` (no TF_ACC) skips it, `make test`
//     and `make testacc` (TF_ACC=1) run it. TestAcceptanceTestsUseAccTest
//     fails on a direct call of terraform-plugin-testing's runners.
//  2. Its name starts with TestAcc; it starts with TestAccCLI when its
//     outcome can depend on the CLI that runs it, not only on the provider,
//     and only those run again under OpenTofu (scripts/test-opentofu.sh runs
//     -run '^TestAccCLI'). The CLI decides the outcome when the test uses
//     something the CLI evaluates or renders: provider-defined functions,
//     the results of check blocks (a failed check is only a warning, so a
//     check block whose results the test does not read cannot change its
//     outcome), variables, modules or configuration files, other
//     providers' resources, values unknown at plan, version checks,
//     empty strings in the provider block (which the CLI sends as it
//     decides), or a diagnostic's place in the configuration (which the CLI
//     finds from the attribute path and prints). A test that reads
//     data through the emulator and checks the provider's arithmetic,
//     requests, retries or faults is a TestAcc test: the CLI's part in it
//     (init, plan, state) is the same as in the CLI tests. accTest fails a
//     test that uses one of the features it can see (cliFeature) without
//     the TestAccCLI name.
//  3. It calls t.Parallel() first, and so does each of its subtests, when it
//     has its own emulator and clock (newTestEnv, on a port of its own, and
//     its own provider factories). Subtests that share one emulator may run
//     in parallel too when they assert nothing about its request counts. A
//     test that sets environment variables (t.Setenv, which Go forbids in a
//     parallel test) or other process-wide state stays serial.
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	top, _, _ := strings.Cut(t.Name(), "/")
	if !strings.HasPrefix(top, "TestAcc") {
		t.Fatalf("%s drives terraform: name it TestAcc... (or TestAccCLI... when the CLI can change its outcome; see acc_test.go)", top)
	}
	if feature := cliFeature(tc); feature != "" && !strings.HasPrefix(top, "TestAccCLI") {
		t.Fatalf("%s uses %s, which the CLI evaluates: name it TestAccCLI... so that it runs under OpenTofu too (see acc_test.go)", top, feature)
	}
	resource.Test(t, tc)
}

// cliFeature names the first feature of tc whose result the CLI, not the
// provider, computes, or returns "" when it sees none.
func cliFeature(tc resource.TestCase) string {
	if len(tc.TerraformVersionChecks) > 0 {
		return "a version check"
	}
	if len(tc.ExternalProviders) > 0 {
		return "an external provider"
	}
	for _, step := range tc.Steps {
		switch {
		case step.ConfigFile != nil || step.ConfigDirectory != nil:
			return "a configuration from files"
		case step.ConfigVariables != nil:
			return "variables"
		}
		planChecks := [][]plancheck.PlanCheck{step.ConfigPlanChecks.PreApply, step.ConfigPlanChecks.PostApplyPreRefresh, step.ConfigPlanChecks.PostApplyPostRefresh}
		for _, checks := range planChecks {
			for _, check := range checks {
				if _, ok := check.(*checkStatuses); ok {
					return "the results of check blocks"
				}
			}
		}
		for _, f := range []struct{ text, name string }{
			{"provider::", "a provider-defined function"},
			{"module \"", "a module"},
			{"variable \"", "a variable"},
			{"resource \"", "another provider's resource"}, // the provider has data sources only
		} {
			if strings.Contains(step.Config, f.text) {
				return f.name
			}
		}
	}
	return ""
}

// TestCLIFeature: accTest sees each feature of rule 2 that a test case
// shows, and none in a plain read.
func TestCLIFeature(t *testing.T) {
	t.Parallel()
	step := func(config string) resource.TestCase {
		return resource.TestCase{Steps: []resource.TestStep{{Config: `data "fptcloud_bill_info" "a" {}`}, {Config: config}}}
	}
	cases := map[string]resource.TestCase{
		"a provider-defined function": step(`output "x" { value = provider::fptcloud::exceeds(2, 1) }`),
		"a module":                    step(`module "team" { source = "./team" }`),
		"a variable":                  step(`variable "budget" {}`),
		"another provider's resource": step(`resource "terraform_data" "x" {}`),
		"variables":                   {Steps: []resource.TestStep{{ConfigVariables: config.Variables{"b": config.IntegerVariable(1)}}}},
		"a configuration from files":  {Steps: []resource.TestStep{{ConfigFile: config.StaticFile("main.tf")}}},
		"a version check":             {TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}},
		"the results of check blocks": {Steps: []resource.TestStep{{ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{&checkStatuses{}}}}}},
		"":                            step(`data "fptcloud_bills" "b" { range = "today" }`),
	}
	for want, tc := range cases {
		if got := cliFeature(tc); got != want {
			t.Errorf("cliFeature sees %q, want %q", got, want)
		}
	}
}

// TestAcceptanceTestsUseAccTest keeps rule 1: no test file of the module but
// this one calls terraform-plugin-testing's runners itself, so that every
// test that drives terraform is skipped without TF_ACC and classified by
// accTest.
func TestAcceptanceTestsUseAccTest(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	runners := []string{"resource.UnitTest(", "resource.Test(", "resource.ParallelTest("}
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") || path == filepath.Join(root, "internal", "provider", "acc_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for _, r := range runners {
			if strings.Contains(string(src), r) {
				t.Errorf("%s calls %s: use accTest (internal/provider/acc_test.go), which skips without TF_ACC and classifies the test for OpenTofu", path, r)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked %d test files: the walk missed the module's tests", checked)
	}
}
