package emulator

import "math/rand/v2"

// generateBills fills the dataset's bill lines. (Bills arrive with the
// fptcloud_bills data source.)
func (d *Dataset) generateBills(Config, *rand.Rand) {}

// registerBills routes the bill endpoints.
func (s *Server) registerBills() {}
