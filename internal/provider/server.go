package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
)

// NewServer returns the factory of the provider's protocol server: the
// framework's server for the provider, wrapped so that the data sources
// with large lists (fptcloud_bills' items, fptcloud_resource_statements'
// statements) write those lists into their state themselves. See package
// fastlist for why and how.
func NewServer(version string, opts Options) func() tfprotov6.ProviderServer {
	newProvider := NewWithOptions(version, opts)
	return func() tfprotov6.ProviderServer {
		return fastlist.Server(providerserver.NewProtocol6(newProvider())())
	}
}
