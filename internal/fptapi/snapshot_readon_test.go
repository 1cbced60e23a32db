package fptapi_test

import (
	"context"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

const readOnWarning = "the data changed during the read after the pages already read; reading on under the new total"

// TestBillsReadOnWhenALineArrivesAfterThePagesRead: a long read during
// which one line arrives for the range's last day (the current day being
// billed, as in a year_to_date read) goes on from where it stopped under
// the new total, instead of reading every page again; what it returns is
// the data after the arrival. A line that arrives for the range's first day
// shifts the pages already read, and the read starts again from page 1, as
// before: the result is one snapshot either way.
func TestBillsReadOnWhenALineArrivesAfterThePagesRead(t *testing.T) {
	const maxConcurrency = 3
	cases := []struct {
		name                  string
		linesPerDay, pageSize int
		arrivalDay            string // "" the range's last day
		readOn                bool   // the read must go on; otherwise it must start again
	}{
		// Small enough to be shared: collected in memory, nothing handed on before it is whole.
		{"shared_last_day", 100, 100, "", true},
		// Too large to share: streamed, pages are handed on as they come.
		{"streamed_last_day", 1100, 1000, "", true},
		{"shared_first_day", 100, 100, "2024-09-01", false},
		{"streamed_first_day", 1100, 1000, "2024-09-01", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := "2024-09-01", "2024-09-10"
			pages := tc.linesPerDay * 10 / tc.pageSize
			// One line arrives with the 8th request: page 1 and more pages
			// than reading on costs (maxConcurrency+1) have been asked for;
			// the range's last pages are still to come.
			srv, c, logs := movingEmulator(t,
				emulator.Config{LinesPerDay: tc.linesPerDay, ArriveEvery: 8, Arrivals: 1, ArrivalDay: tc.arrivalDay},
				fptapi.Config{MaxConcurrency: maxConcurrency, BillMode: fptapi.ModePaging})
			lines, resets, err := readWithReset(context.Background(), c, fptapi.BillQuery{From: from, To: to, PageSize: tc.pageSize})
			if err != nil {
				t.Fatalf("the read failed: %v", err)
			}
			if srv.Data.Bills.Arrived() != 1 {
				t.Fatalf("%d lines arrived, want 1", srv.Data.Bills.Arrived())
			}
			if v := snapshotOf(srv, from, to, lines); v != 1 {
				t.Fatalf("the %d lines read are the data after %d arrivals (-1: at no instant), want the data after the arrival", len(lines), v)
			}
			readOns, restarts := logs.count(readOnWarning), logs.count(restartWarning)
			made := srv.Requests(fptapi.BillsEndpoint)
			t.Logf("%d lines; %d read on, %d restarts, %d resets; %d requests for %d pages", len(lines), readOns, restarts, resets, made, pages+1)
			if tc.readOn {
				if readOns != 1 || restarts != 0 || resets != 0 {
					t.Errorf("read on %d times, started again %d times, reset the caller %d times; want 1, 0, 0", readOns, restarts, resets)
				}
				// The pages of the range after the arrival, the last page handed
				// on read again, the page that saw the move and the requests in
				// flight beside it (and, streamed, those in flight when the read
				// turned out too large to share): not the pages before it again.
				most := int64(pages + 1 + 1 + 1 + maxConcurrency)
				if tc.linesPerDay*10 > 10_000 {
					most += maxConcurrency
				}
				if made > most {
					t.Errorf("%d requests, more than %d", made, most)
				}
				return
			}
			if restarts != 1 {
				t.Errorf("a line arrived before the pages read, and the read started again %d times, want 1", restarts)
			}
			if streamed := tc.linesPerDay*10 > 10_000; streamed && resets != 1 {
				t.Errorf("a streamed read started again but reset its caller %d times, want 1", resets)
			}
		})
	}
}
