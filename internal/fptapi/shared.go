package fptapi

import (
	"container/list"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"golang.org/x/sync/singleflight"
)

// sharedCalls makes identical reads once per provider process: concurrent
// callers share one call (singleflight) and later callers get the cached
// answer. Only successes are cached. Cached values are shared, so callers
// must treat them as read-only.
type sharedCalls struct {
	group singleflight.Group

	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	order   *list.List // front is the most recently used
}

type cacheEntry struct {
	key   string
	value any
}

func newSharedCalls(maxEntries int) *sharedCalls {
	return &sharedCalls{max: maxEntries, entries: map[string]*list.Element{}, order: list.New()}
}

// do returns the cached value for key, or runs fn once for all concurrent
// callers with that key. fn runs with the context of the caller that started
// it; each caller stops waiting when its own ctx ends.
func (s *sharedCalls) do(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	if v, ok := s.get(key); ok {
		return v, nil
	}
	for {
		started := false
		ch := s.group.DoChan(key, func() (any, error) {
			started = true
			v, err := fn(ctx)
			if err == nil {
				s.put(key, v)
			}
			return v, err
		})
		select {
		case res := <-ch:
			if !started && ctx.Err() == nil && isContextEnd(res.Err) {
				// Another caller started the call, and its context ended;
				// this caller's has not, so it makes the call again.
				continue
			}
			return res.Val, res.Err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func isContextEnd(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (s *sharedCalls) get(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.entries[key]
	if !ok {
		return nil, false
	}
	s.order.MoveToFront(el)
	entry, _ := el.Value.(*cacheEntry)
	return entry.value, true
}

func (s *sharedCalls) put(key string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[key]; ok {
		s.order.Remove(el)
	}
	s.entries[key] = s.order.PushFront(&cacheEntry{key: key, value: value})
	for s.order.Len() > s.max {
		oldest := s.order.Back()
		s.order.Remove(oldest)
		entry, _ := oldest.Value.(*cacheEntry)
		delete(s.entries, entry.key)
	}
}

// getData makes one shared, cached GET of endpoint and returns the
// envelope's data.
func getData[T any](ctx context.Context, c *Client, endpoint string) (T, error) {
	v, err := c.shared.do(ctx, "GET "+endpoint, func(ctx context.Context) (any, error) {
		var data T
		err := c.do(ctx, request{method: http.MethodGet, endpoint: endpoint}, func(r io.Reader) error {
			env, err := decodeEnvelope[T](r)
			if err != nil {
				return err
			}
			data = env.Data
			return nil
		})
		return data, err
	})
	data, _ := v.(T)
	return data, err
}
