package fptapi

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// request, a page worker or a retry timer that a cancelled or failed read
// leaves running. goleak retries its check for a while, so connections that
// a closed test server is still tearing down are waited for, not reported.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
