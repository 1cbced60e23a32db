//go:build generate

// Package tools runs the documentation generators: `go generate ./...` from
// the repository root formats the examples and renders docs/ from the
// provider's schema, examples/ and templates/.
package tools

// Format the Terraform examples.
//go:generate terraform fmt -recursive ../examples/

// Render the documentation.
//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name fptcloud

// Check the rendered documentation.
//go:generate go tool tfplugindocs validate --provider-dir .. --provider-name fptcloud
