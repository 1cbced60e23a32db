package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/provider"
)

// version and commit are set by the release build (goreleaser) through -ldflags.
var (
	version = "dev"
	commit  = "none"
)

// address is the provider's source address in the registry.
const address = "registry.terraform.io/fptcloud-billing/fptcloud"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("terraform-provider-fptcloud " + version + " (" + commit + "): ")

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(address, provider.NewServer(version, provider.Options{}), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
