package memo

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDoSharesConcurrentCallsAndCachesSuccess(t *testing.T) {
	c := New[int](4)
	var calls atomic.Int32
	release := make(chan struct{})
	fn := func(context.Context) (int, error) { //nolint:unparam // the signature Do takes
		calls.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Do(context.Background(), "k", fn)
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		}()
	}
	time.Sleep(20 * time.Millisecond) // let every caller join the first call
	close(release)
	wg.Wait()
	if v, err := c.Do(context.Background(), "k", fn); err != nil || v != 42 {
		t.Fatalf("cached Do = %d, %v", v, err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("fn ran %d times, want 1", n)
	}
	for i, v := range results {
		if v != 42 {
			t.Fatalf("caller %d got %d", i, v)
		}
	}
}

func TestDoKeepsNoFailure(t *testing.T) {
	c := New[string](4)
	boom := errors.New("boom")
	if _, err := c.Do(context.Background(), "k", func(context.Context) (string, error) { return "", boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if _, ok := c.Get("k"); ok || c.Len() != 0 {
		t.Fatal("a failure was cached")
	}
	v, err := c.Do(context.Background(), "k", func(context.Context) (string, error) { return "ok", nil })
	if err != nil || v != "ok" {
		t.Fatalf("Do after a failure = %q, %v", v, err)
	}
}

func TestDoStopsWaitingWhenItsContextEnds(t *testing.T) {
	c := New[int](4)
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	go func() {
		_, _ = c.Do(context.Background(), "k", func(context.Context) (int, error) { close(started); <-release; return 1, nil })
	}()
	<-started // the first call is running: the next caller joins it, it does not start its own
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Do(ctx, "k", func(context.Context) (int, error) { return 2, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
}

func TestPutDropsTheLeastRecentlyUsed(t *testing.T) {
	c := New[int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	if _, ok := c.Get("a"); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	c.Put("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been dropped")
	}
	for key, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.Get(key); !ok || v != want {
			t.Fatalf("Get(%s) = %d, %v", key, v, ok)
		}
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d", c.Len())
	}
}

// TestDoRunsAgainWhenTheStarterWasCancelled: a caller that joined a call
// whose starter was cancelled gets a result of its own, not the starter's
// cancellation.
func TestDoRunsAgainWhenTheStarterWasCancelled(t *testing.T) {
	c := New[int](4)
	starterCtx, cancelStarter := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(starterCtx, "k", func(ctx context.Context) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		})
		done <- err
	}()
	<-started
	joined := make(chan struct{})
	var v int
	var err error
	go func() {
		defer close(joined)
		v, err = c.Do(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	}()
	time.Sleep(20 * time.Millisecond) // let the second caller join the first call
	cancelStarter()
	<-joined
	if starterErr := <-done; !errors.Is(starterErr, context.Canceled) {
		t.Fatalf("the starter got %v, want its cancellation", starterErr)
	}
	if err != nil || v != 7 {
		t.Fatalf("the joined caller got %d, %v; want 7 from a call of its own", v, err)
	}
}
