// Package memo makes identical work once per process: concurrent callers
// with the same key share one call, and later callers get its result from a
// small least-recently-used cache. Only successes are kept. Results are
// shared, so callers must treat them as read-only.
package memo

import (
	"container/list"
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"
)

// Cache holds up to a fixed number of results of type V by key.
type Cache[V any] struct {
	group singleflight.Group

	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	order   *list.List // front is the most recently used
}

type entry[V any] struct {
	key   string
	value V
}

// New returns a cache of at most maxEntries results (at least one).
func New[V any](maxEntries int) *Cache[V] {
	return &Cache[V]{max: max(maxEntries, 1), entries: map[string]*list.Element{}, order: list.New()}
}

// Do returns the cached result for key, or runs fn once for all concurrent
// callers with that key and caches its result when it succeeds. fn runs
// with the context of the caller that started it; each caller stops waiting
// when its own ctx ends, and a caller whose context is still live when the
// call ended with another caller's context runs it again.
func (c *Cache[V]) Do(ctx context.Context, key string, fn func(context.Context) (V, error)) (V, error) {
	if v, ok := c.Get(key); ok {
		return v, nil
	}
	for {
		started := false
		ch := c.group.DoChan(key, func() (any, error) {
			started = true
			v, err := fn(ctx)
			if err == nil {
				c.Put(key, v)
			}
			return v, err
		})
		select {
		case res := <-ch:
			if !started && ctx.Err() == nil && isContextEnd(res.Err) {
				// Another caller started the call and its context ended;
				// this caller's has not, so it makes the call itself.
				continue
			}
			v, _ := res.Val.(V)
			return v, res.Err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
}

func isContextEnd(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Get returns the cached result for key.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[V]).value, true //nolint:forcetypeassert // only *entry[V] is stored
}

// Put caches value under key, dropping the least recently used result when
// the cache is full.
func (c *Cache[V]) Put(key string, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&entry[V]{key: key, value: value})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*entry[V]).key) //nolint:forcetypeassert // only *entry[V] is stored
	}
}

// Len is the number of cached results.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
