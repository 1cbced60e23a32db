package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// providerFunctionsCheck skips a test on a binary without provider-defined
// functions: Terraform before 1.8.0 and OpenTofu before 1.7.0. The
// version terraform-plugin-testing reports does not say which of the two it
// runs (tfversion.SkipBelow(1.8.0) would skip OpenTofu 1.7, which has them),
// so openTofu asks the binary.
type providerFunctionsCheck struct {
	openTofu func(context.Context) bool
}

var _ tfversion.TerraformVersionCheck = providerFunctionsCheck{}

func (c providerFunctionsCheck) CheckTerraformVersion(ctx context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	name, minimum := "Terraform", tfversion.Version1_8_0
	if c.openTofu(ctx) {
		name, minimum = "OpenTofu", tfversion.Version1_7_0
	}
	if req.TerraformVersion.LessThan(minimum) {
		resp.Skip = fmt.Sprintf("provider-defined functions need %s %s or later; this is %s", name, minimum, req.TerraformVersion)
	}
}

// skipWithoutProviderFunctions is the check for the binary the tests run.
var skipWithoutProviderFunctions = providerFunctionsCheck{openTofu: testBinaryIsOpenTofu}

var (
	testBinaryOnce     sync.Once
	testBinaryOpenTofu bool
)

// testBinaryIsOpenTofu tells whether the binary terraform-plugin-testing
// drives (TF_ACC_TERRAFORM_PATH, else terraform on PATH) is OpenTofu, from the
// first line of its `version` output.
func testBinaryIsOpenTofu(ctx context.Context) bool {
	testBinaryOnce.Do(func() {
		bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if bin == "" {
			found, err := exec.LookPath("terraform")
			if err != nil {
				return
			}
			bin = found
		}
		cmd := exec.CommandContext(ctx, bin, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		testBinaryOpenTofu = err == nil && bytes.HasPrefix(out, []byte("OpenTofu "))
	})
	return testBinaryOpenTofu
}

func TestProviderFunctionsCheck(t *testing.T) {
	cases := []struct {
		name     string
		openTofu bool
		version  string
		skip     bool
	}{
		{name: "terraform_1.7_skips", openTofu: false, version: "1.7.0", skip: true},
		{name: "terraform_1.8_runs", openTofu: false, version: "1.8.0", skip: false},
		{name: "opentofu_1.6_skips", openTofu: true, version: "1.6.0", skip: true},
		{name: "opentofu_1.7_runs", openTofu: true, version: "1.7.0", skip: false},
		{name: "opentofu_1.10_runs", openTofu: true, version: "1.10.0", skip: false},
	}
	versions := map[string]tfversion.CheckTerraformVersionRequest{
		"1.6.0":  {TerraformVersion: tfversion.Version1_6_0},
		"1.7.0":  {TerraformVersion: tfversion.Version1_7_0},
		"1.8.0":  {TerraformVersion: tfversion.Version1_8_0},
		"1.10.0": {TerraformVersion: tfversion.Version1_10_0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := providerFunctionsCheck{openTofu: func(context.Context) bool { return tc.openTofu }}
			var resp tfversion.CheckTerraformVersionResponse
			check.CheckTerraformVersion(t.Context(), versions[tc.version], &resp)
			if got := resp.Skip != ""; got != tc.skip {
				t.Errorf("skip = %v (%q), want %v", got, resp.Skip, tc.skip)
			}
			if resp.Error != nil {
				t.Errorf("unexpected error: %v", resp.Error)
			}
		})
	}
}
