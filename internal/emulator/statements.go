package emulator

import "math/rand/v2"

// generateStatements fills the dataset's resource statements. (Statements
// arrive with the fptcloud_resource_statements data source.)
func (d *Dataset) generateStatements(Config, *rand.Rand) {}

// registerStatements routes the statements endpoint.
func (s *Server) registerStatements() {}
