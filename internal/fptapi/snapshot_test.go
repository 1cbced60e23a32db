package fptapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// warnings records the client's WARN lines.
type warnings struct {
	mu    sync.Mutex
	lines []string
}

func (w *warnings) Debug(context.Context, string, map[string]any) {}

func (w *warnings) Warn(_ context.Context, msg string, fields map[string]any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (w *warnings) count(substr string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, l := range w.lines {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

const restartWarning = "the data changed during the read; reading it again from the start"

// movingEmulator serves an emulator whose data moves while it is read, and
// a client of it that logs to the returned warnings.
func movingEmulator(t *testing.T, cfg emulator.Config, clientCfg fptapi.Config) (*emulator.Server, *fptapi.Client, *warnings) {
	t.Helper()
	cfg.Token = testToken
	cfg.Now = pinnedNow
	srv := emulator.New(cfg)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	logs := &warnings{}
	clientCfg.BaseURL, clientCfg.Token, clientCfg.Logger = ts.URL+"/api", testToken, logs
	clientCfg.MinBackoff, clientCfg.MaxBackoff, clientCfg.RestartBackoff = time.Millisecond, 5*time.Millisecond, time.Millisecond
	c, err := fptapi.New(clientCfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, logs
}

// snapshotOf returns the arrival count at which the emulator's data was
// lines, or -1 when lines are the data at no instant.
func snapshotOf(srv *emulator.Server, from, to string, lines []fptapi.BillLine) int {
	for v := 0; v <= srv.Data.Bills.Arrived(); v++ {
		if reflect.DeepEqual(nonEmpty(srv.Data.Bills.RangeAt(from, to, v)), nonEmpty(lines)) {
			return v
		}
	}
	return -1
}

func nonEmpty(lines []fptapi.BillLine) []fptapi.BillLine {
	if lines == nil {
		return []fptapi.BillLine{}
	}
	return lines
}

// readWithReset reads q, dropping what it was handed when the read restarts.
func readWithReset(ctx context.Context, c *fptapi.Client, q fptapi.BillQuery) ([]fptapi.BillLine, int, error) {
	var lines []fptapi.BillLine
	resets := 0
	q.Reset = func() { lines, resets = nil, resets+1 }
	err := c.Bills(ctx, q, func(p fptapi.BillPage) error {
		lines = append(lines, p.Lines...)
		return nil
	})
	return lines, resets, err
}

// TestBillsSnapshotWhileLinesArrive reads ranges while new lines arrive
// for their last day, shifting every later line across pages, until the
// arrivals stop: the read starts again each time it sees the data move,
// and what it returns is the emulator's data at one instant.
func TestBillsSnapshotWhileLinesArrive(t *testing.T) {
	cases := []struct {
		name        string
		linesPerDay int
		days        int
		pageSize    int
		mode        fptapi.BillMode
		restarts    bool // the read must have started again at least once
	}{
		// Small enough to be shared: restarts happen before anything is handed on.
		{"paging_shared", 40, 10, 50, fptapi.ModeAuto, true},
		// Too large to share: pages are streamed, and a restart resets the caller.
		{"paging_streamed", 1100, 10, 1000, fptapi.ModePaging, true},
		// One request per day: a day is read at one instant, and only the last day moves.
		{"by_date", 40, 10, 0, fptapi.ModeByDate, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := "2024-09-01", fmt.Sprintf("2024-09-%02d", tc.days)
			srv, c, logs := movingEmulator(t,
				emulator.Config{LinesPerDay: tc.linesPerDay, ArriveEvery: 3, Arrivals: 3, ArrivalDay: to},
				fptapi.Config{MaxConcurrency: 3, BillMode: tc.mode})
			lines, resets, err := readWithReset(context.Background(), c, fptapi.BillQuery{From: from, To: to, PageSize: tc.pageSize})
			if err != nil {
				t.Fatalf("the read failed although the arrivals stopped: %v", err)
			}
			v := snapshotOf(srv, from, to, lines)
			if v < 0 {
				t.Fatalf("the %d lines read are the emulator's data at no instant (%d lines arrived)", len(lines), srv.Data.Bills.Arrived())
			}
			t.Logf("%d lines, the data after %d of %d arrivals; %d restarts, %d resets, %d POST and %d GET requests",
				len(lines), v, srv.Data.Bills.Arrived(), logs.count(restartWarning), resets,
				srv.RequestsOf(http.MethodPost, fptapi.BillsEndpoint), srv.RequestsOf(http.MethodGet, fptapi.BillsEndpoint))
			restarts := logs.count(restartWarning)
			if tc.restarts && restarts == 0 {
				t.Errorf("lines arrived during the read, yet it never started again")
			}
			if restarts > fptapi.DefaultMaxRestarts {
				t.Errorf("%d restarts, more than the bound of %d", restarts, fptapi.DefaultMaxRestarts)
			}
			if tc.mode == fptapi.ModePaging && resets != restarts {
				t.Errorf("a streamed read restarted %d times but reset its caller %d times", restarts, resets)
			}
			if tc.mode == fptapi.ModeAuto && resets != 0 {
				t.Errorf("a shared read reset its caller %d times; it hands nothing on before it is whole", resets)
			}
			pages := int64((tc.linesPerDay*tc.days + 3 + max(tc.pageSize, 1) - 1) / max(tc.pageSize, 1))
			if tc.mode == fptapi.ModeByDate {
				pages = int64(tc.days)
			}
			most := int64(fptapi.DefaultMaxRestarts+1) * (pages + 3)
			if got := srv.Requests(fptapi.BillsEndpoint); got > most {
				t.Errorf("%d requests, more than %d (%d attempts of %d pages)", got, most, fptapi.DefaultMaxRestarts+1, pages)
			}
		})
	}
}

// TestBillsFailWhenLinesNeverStopArriving: the read gives up after the
// bound, with the change it saw and how often it tried, having made a
// bounded number of requests.
func TestBillsFailWhenLinesNeverStopArriving(t *testing.T) {
	cases := []struct {
		name        string
		linesPerDay int
		pageSize    int
		reset       bool
		attempts    int
	}{
		{"shared", 40, 50, false, fptapi.DefaultMaxRestarts + 1},
		{"streamed", 1100, 1000, true, fptapi.DefaultMaxRestarts + 1},
		// A streamed read without Reset cannot start again once it handed pages on.
		{"streamed_without_reset", 1100, 1000, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := "2024-09-01", "2024-09-10"
			srv, c, logs := movingEmulator(t,
				emulator.Config{LinesPerDay: tc.linesPerDay, ArriveEvery: 2, Arrivals: -1},
				fptapi.Config{MaxConcurrency: 3})
			q := fptapi.BillQuery{From: from, To: to, PageSize: tc.pageSize}
			var err error
			resets := 0
			if tc.reset {
				_, resets, err = readWithReset(context.Background(), c, q)
			} else {
				_, _, err = readAll(t, c, q)
			}
			if !fptapi.IsKind(err, fptapi.KindChanged) {
				t.Fatalf("err = %v, want a %s error", err, fptapi.KindChanged)
			}
			for _, want := range []string{"POST " + fptapi.BillsEndpoint, "HTTP 200", "changed during the read"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error %q does not say %q", err, want)
				}
			}
			made := fmt.Sprintf("the whole read was made %d times", tc.attempts)
			if got := strings.Contains(err.Error(), made); got != (tc.attempts > 1) {
				t.Errorf("the error %q tells the attempts: %v, want %v", err, got, tc.attempts > 1)
			}
			if got := logs.count(restartWarning); got != tc.attempts-1 {
				t.Errorf("%d restarts logged, want %d", got, tc.attempts-1)
			}
			if tc.reset && resets != tc.attempts-1 {
				t.Errorf("%d resets, want %d", resets, tc.attempts-1)
			}
			pages := int64((tc.linesPerDay*10 + tc.pageSize - 1) / tc.pageSize)
			// The requests bound the work of giving up; its time is the
			// machine's (decoding 11,000 lines a try under -race on a busy
			// machine took 11 to 49 s in 9 of 20 runs), so none is asserted.
			if got, most := srv.Requests(fptapi.BillsEndpoint), int64(tc.attempts)*(pages+3); got > most {
				t.Errorf("%d requests, more than %d", got, most)
			}
		})
	}
}

// TestBillsConcurrentReadersShareOneSnapshot: callers that share a read
// while the data moves all get the same snapshot, never the pages of an
// attempt that saw the data move.
func TestBillsConcurrentReadersShareOneSnapshot(t *testing.T) {
	from, to := "2024-09-01", "2024-09-05"
	srv, c, _ := movingEmulator(t,
		emulator.Config{LinesPerDay: 60, ArriveEvery: 2, Arrivals: 3, ArrivalDay: to},
		fptapi.Config{MaxConcurrency: 2})
	results := make([][]fptapi.BillLine, 6)
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _, errs[i] = readWithReset(context.Background(), c, fptapi.BillQuery{From: from, To: to, PageSize: 40})
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("reader %d: %v", i, errs[i])
		}
		if snapshotOf(srv, from, to, results[i]) < 0 {
			t.Errorf("reader %d got %d lines that are the data at no instant", i, len(results[i]))
		}
		if !reflect.DeepEqual(results[i], results[0]) {
			t.Errorf("reader %d got %d lines, reader 0 %d: shared readers disagree", i, len(results[i]), len(results[0]))
		}
	}
}

// TestBillsRestartStopsAtTheDeadline: a restart whose backoff would outlast
// the read's deadline is not made; the read fails at once, saying so.
func TestBillsRestartStopsAtTheDeadline(t *testing.T) {
	srv := emulator.New(emulator.Config{Token: testToken, Now: pinnedNow, LinesPerDay: 40, ArriveEvery: 2, Arrivals: -1})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c, err := fptapi.New(fptapi.Config{BaseURL: ts.URL + emulator.BasePath, Token: testToken, RestartBackoff: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// A read that waited for the deadline would take the whole minute; one
	// that gives up at once takes a few pages. 20s lies far from both, so a
	// busy machine cannot cross it by chance.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now() // elapsed time, not a date
	err = c.Bills(ctx, fptapi.BillQuery{From: "2024-09-01", To: "2024-09-10", PageSize: 50}, func(fptapi.BillPage) error { return nil })
	if !fptapi.IsKind(err, fptapi.KindChanged) || !strings.Contains(err.Error(), "made 1 time before the read's timeout") {
		t.Fatalf("err = %v, want %s saying the timeout ends before a restart", err, fptapi.KindChanged)
	}
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("giving up took %s", elapsed)
	}
}

// TestStatementsSnapshotWhileStatementsArrive: new statements, newest
// first, shift every page and change the total; the walk starts again and
// returns the statements of one instant.
func TestStatementsSnapshotWhileStatementsArrive(t *testing.T) {
	srv, c, logs := movingEmulator(t, emulator.Config{Statements: 300, ArriveEvery: 3, Arrivals: 3}, fptapi.Config{MaxConcurrency: 3})
	list, err := c.ResourceStatements(context.Background(), fptapi.StatementsQuery{PageSize: 40})
	if err != nil {
		t.Fatalf("the walk failed although the arrivals stopped: %v", err)
	}
	got := ids(list.Statements)
	found := -1
	for v := 0; v <= srv.StatementsArrived(); v++ {
		if want := ids(srv.StatementsAt(v)); slices.Equal(sorted(got), sorted(want)) {
			found = v
		}
	}
	if found < 0 {
		t.Fatalf("the %d statements read are the emulator's at no instant (%d arrived)", len(got), srv.StatementsArrived())
	}
	if int64(len(got)) != list.Total {
		t.Errorf("%d statements, but the total is %d", len(got), list.Total)
	}
	restarts := logs.count(restartWarning)
	if restarts == 0 || restarts > fptapi.DefaultMaxRestarts {
		t.Errorf("%d restarts, want 1 to %d", restarts, fptapi.DefaultMaxRestarts)
	}
	if most := int64(fptapi.DefaultMaxRestarts+1) * (300/40 + 2 + 3); srv.Requests(fptapi.StatementsEndpoint) > most {
		t.Errorf("%d requests, more than %d", srv.Requests(fptapi.StatementsEndpoint), most)
	}
	if list.Requests < 300/40+1 {
		t.Errorf("Requests = %d, fewer than one walk", list.Requests)
	}
}

// TestStatementsFailWhenStatementsNeverStopArriving: the walk gives up
// after the bound with the change it saw and how often it tried.
func TestStatementsFailWhenStatementsNeverStopArriving(t *testing.T) {
	srv, c, logs := movingEmulator(t, emulator.Config{Statements: 300, ArriveEvery: 2, Arrivals: -1}, fptapi.Config{MaxConcurrency: 3})
	_, err := c.ResourceStatements(context.Background(), fptapi.StatementsQuery{PageSize: 40})
	if !fptapi.IsKind(err, fptapi.KindChanged) {
		t.Fatalf("err = %v, want %s", err, fptapi.KindChanged)
	}
	for _, want := range []string{"GET " + fptapi.StatementsEndpoint, "changed", fmt.Sprintf("made %d times", fptapi.DefaultMaxRestarts+1)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not say %q", err, want)
		}
	}
	if got := logs.count(restartWarning); got != fptapi.DefaultMaxRestarts {
		t.Errorf("%d restarts logged, want %d", got, fptapi.DefaultMaxRestarts)
	}
	if most := int64(fptapi.DefaultMaxRestarts+1) * (300/40 + 2 + 3); srv.Requests(fptapi.StatementsEndpoint) > most {
		t.Errorf("%d requests, more than %d", srv.Requests(fptapi.StatementsEndpoint), most)
	}
}

func ids(list []fptapi.Statement) []string {
	out := make([]string, len(list))
	for i, st := range list {
		out[i] = st.ID
	}
	return out
}

func sorted(s []string) []string {
	return slices.Sorted(slices.Values(s))
}
