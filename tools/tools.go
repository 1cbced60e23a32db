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

// Write the FOCUS export guide's table of columns (examples/guides/focus-export/)
// from billing.FocusColumns.
//go:generate go test ../internal/billing -run ^TestFocusGuideColumns$ -count=1 -args -update-focus-columns
// Write the forecasting guide's backtest tables (the smaller, seeded run
// of backtest.Guide) into its template, so that a stale table shows as a
// diff.
//go:generate go run ../cmd/fptcloud-backtest -guide ../templates/guides/forecasting.md.tmpl

// Format the Terraform examples.
//go:generate terraform fmt -recursive ../examples/

// Render the documentation.
//go:generate go tool tfplugindocs generate --provider-dir .. --provider-name fptcloud

// Check the rendered documentation.
//go:generate go tool tfplugindocs validate --provider-dir .. --provider-name fptcloud
