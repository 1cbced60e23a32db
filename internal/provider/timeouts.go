package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
		for i, v := range attr.Validators { // in the provider's message style
			attr.Validators[i] = styledString{v}
		}
		nested.Attributes["read"] = attr
	}
	return nested
}
