//go:build generate

// Package tools runs the generators: `go generate ./...` from here writes
// the Go files of the field tables and the guides' samples, formats the
// examples and renders docs/ from the provider's schema, examples/ and
// templates/.
package tools

// Write the Go files generated from the field tables of the bill line and
// the statement (internal/fptapi/record) before the docs read the schema.
//go:generate go run ../internal/fptapi/record/gen

// Write the budget-checks guide's samples (examples/guides/budget-checks/)
// from the demo's report: the budget-check example planned against the
// emulator with the clocks pinned, through the provider.
//go:generate env TF_ACC=1 go test ../internal/provider -run ^TestAccCLIBudgetExample_guideSample$ -count=1 -args -update-guide-samples

// Format the Terraform examples.
//go:generate terraform fmt -recursive ../examples/

// Render the documentation.
//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name fptcloud

// Check the rendered documentation.
//go:generate go tool tfplugindocs validate --provider-dir .. --provider-name fptcloud
