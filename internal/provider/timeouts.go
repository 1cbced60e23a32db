package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// timeoutsBlock is the `timeouts { read = "..." }` block of every data source.
func timeoutsBlock(ctx context.Context) schema.Block {
	block := timeouts.BlockWithOpts(ctx, timeouts.Opts{})
	nested, ok := block.(schema.SingleNestedBlock)
	if !ok {
		return block
	}
	nested.MarkdownDescription = "Time limits of this data source's operations."
	read := nested.Attributes["read"]
	if attr, ok := read.(schema.StringAttribute); ok {
		attr.MarkdownDescription = "How long one read may take, retries included, as a duration such as `\"30s\"` or `\"5m\"`. " +
			"Defaults to the provider's `timeout` (10 minutes unless set)."
		// The provider's own validator in place of the package's, so that
		// the message is the provider's and in its style (validators.go).
		attr.Validators = []validator.String{readTimeoutValidator()}
		nested.Attributes["read"] = attr
	}
	return nested
}

// readTimeoutValidator accepts what the timeouts package parses, a Go
// duration (time.ParseDuration), and words a refusal as the provider does.
func readTimeoutValidator() textValidator {
	const requirement = `must be a string containing a sequence of decimal numbers, each with an optional fraction and a unit ` +
		`suffix, such as "30s", "5m" or "2h45m"; the units are "ns", "us" (or "µs"), "ms", "s", "m" and "h"`
	return textValidator{
		description: requirement,
		check: func(s string) error {
			if _, err := time.ParseDuration(s); err != nil {
				return errors.New("the value " + requirement)
			}
			return nil
		},
	}
}
