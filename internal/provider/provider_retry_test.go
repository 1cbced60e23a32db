package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
)

// TestProviderRetrySettingsDescribed: the descriptions of timeout and
// max_retries state the ranges their validators allow, and what a rate
// limit does.
func TestProviderRetrySettingsDescribed(t *testing.T) {
	var resp provider.SchemaResponse
	(&fptcloudProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	between := regexp.MustCompile(`between (\d+) and (\d+)`)
	for name, mentions := range map[string][]string{
		"timeout":     {"rate limit", "HTTP 429", "retried until this time is up"},
		"max_retries": {"other than a rate limit", "HTTP 429", "until the read's timeout", "fewer requests at once"},
	} {
		attr, ok := resp.Schema.Attributes[name].(schema.Int64Attribute)
		if !ok || len(attr.Validators) != 1 {
			t.Fatalf("%s: not a number attribute with one validator", name)
		}
		m := between.FindStringSubmatch(attr.Validators[0].Description(context.Background()))
		if m == nil {
			t.Fatalf("%s: the validator says %q, not a range", name, attr.Validators[0].Description(context.Background()))
		}
		if want := fmt.Sprintf("from `%s` to `%s`", m[1], m[2]); !strings.Contains(attr.MarkdownDescription, want) {
			t.Errorf("%s: the description does not say %q, the validator's range:\n%s", name, want, attr.MarkdownDescription)
		}
		for _, s := range mentions {
			if !strings.Contains(attr.MarkdownDescription, s) {
				t.Errorf("%s: the description does not say %q:\n%s", name, s, attr.MarkdownDescription)
			}
		}
	}
}
