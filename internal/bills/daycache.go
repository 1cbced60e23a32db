package bills

import (
	"context"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/daycache"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// ModeDayCache marks, in the read's log, lines that came from the day cache.
const ModeDayCache fptapi.BillMode = "day_cache"

// DayCache is an open day cache and what separates its entries.
type DayCache struct {
	Store    *daycache.Store
	Endpoint string // the API base URL
	Token    string // only ever hashed, with the store's secret
	Clock    clock.Clock
	Location *time.Location
	Log      daycache.Logger // the store's logger too
}

// CachedSource reads bill lines with the day cache: closed days that are
// cached come from it, every other day from the API, and closed days read
// from the API are cached. It hands on the same lines, day by day in the
// same order, as the client alone would.
type CachedSource struct {
	Client *fptapi.Client
	Cache  *DayCache
	Log    Logger
}

// lastClosedDay is the latest day that can no longer change: the day
// before yesterday in the provider's time zone, by the rule is_final
// follows too.
func (c *DayCache) lastClosedDay() string {
	return billing.LastClosedDay(c.Clock.Now(), c.Location)
}

// key separates entries by format, API address, endpoint, account (the
// token, hashed with the store's secret), API-side filters and day.
func (c *DayCache) key(q fptapi.BillQuery, day string) daycache.Key {
	return c.Store.Key(dayCacheFormat, c.Endpoint, fptapi.BillsEndpoint, c.Token, q.Service, q.VPCName, day)
}

// get returns the cached lines of a closed day, or false.
func (c *DayCache) get(ctx context.Context, q fptapi.BillQuery, day string) ([]fptapi.BillLine, bool) {
	key := c.key(q, day)
	payload, ok := c.Store.Get(ctx, key)
	if !ok {
		return nil, false
	}
	lines, err := decodeDayLines(payload, day)
	if err != nil {
		c.Log.Warn(ctx, "ignoring a cached day that does not decode; reading it from the API and replacing it",
			map[string]any{"day": day, "cache_key": key.String(), "error": err.Error()})
		return nil, false
	}
	return lines, true
}

// Bills is one consistent read of q. Its reads of the API are consistent
// each, but a restart of one of them cannot be handed to q.Reset, which
// would drop the days handed on before that read too: those reads return
// the change instead, and the whole of Bills starts again (cached days come
// from the cache again, and closed days read by an earlier attempt are
// cached by then), within the client's bound of restarts.
func (b *CachedSource) Bills(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error {
	reset := q.Reset
	q.Reset = nil
	for attempt := 1; ; attempt++ {
		err := b.read(ctx, q, yield)
		if err == nil || reset == nil {
			return err
		}
		if err := b.Client.RestartAfter(ctx, "bills "+q.From+".."+q.To+" (with the day cache)", attempt, err); err != nil {
			return err
		}
		reset()
	}
}

// read is one attempt of Bills.
func (b *CachedSource) read(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error {
	days, err := fptapi.DaysOf(q.From, q.To)
	if err != nil {
		return err
	}
	c := b.Cache
	closed := c.lastClosedDay()
	cachedDays, fetchedRuns, written := 0, 0, 0
	defer func() {
		b.Log.Debug(ctx, "bills read with the day cache", map[string]any{
			"days": len(days), "cached_days": cachedDays, "api_reads": fetchedRuns, "days_cached_now": written,
		})
	}()
	// ahead holds the lines of a cached day found while looking for the end
	// of a run of days to fetch.
	var ahead []fptapi.BillLine
	haveAhead := false
	for i := 0; i < len(days); {
		lines, ok := ahead, haveAhead
		ahead, haveAhead = nil, false
		if !ok && days[i] <= closed {
			lines, ok = c.get(ctx, q, days[i])
		}
		if ok {
			cachedDays++
			page := fptapi.BillPage{Mode: ModeDayCache, Number: i + 1, Of: len(days), Day: days[i], Lines: lines, FromCache: true}
			if err := yield(page); err != nil {
				return err
			}
			i++
			continue
		}
		// Days i..j-1 are not cached: read them from the API at once.
		j := i + 1
		for ; j < len(days); j++ {
			if days[j] <= closed {
				if ahead, haveAhead = c.get(ctx, q, days[j]); haveAhead {
					break
				}
			}
		}
		fetchedRuns++
		n, err := b.fetchRun(ctx, q, days[i:j], closed, yield)
		if err != nil {
			return err
		}
		written += n
		i = j
	}
	if written > 0 {
		if _, err := c.Store.Trim(ctx); err != nil {
			c.Log.Warn(ctx, "cannot trim the bill cache", map[string]any{"error": err.Error()})
		}
	}
	return nil
}

// fetchRun reads the consecutive days of run from the API in one read,
// hands every page on, and once the whole run has been read consistently
// caches its closed days. It returns how many days it cached.
func (b *CachedSource) fetchRun(ctx context.Context, q fptapi.BillQuery, run []string, closed string,
	yield func(fptapi.BillPage) error,
) (int, error) {
	narrow := q
	narrow.From, narrow.To = run[0], run[len(run)-1]
	// Each closed day's lines are encoded as soon as the next day starts,
	// so that a long run is held compactly. Lines of a day that come back
	// after another day's (an API that does not serve by day) make the run
	// uncacheable rather than cached in part.
	encoded := map[string][]byte{}
	var current string
	var lines []fptapi.BillLine
	cacheable := true
	finish := func() {
		if current != "" && current <= closed {
			encoded[current] = encodeDayLines(lines)
		}
		lines = lines[:0]
	}
	err := b.Client.Bills(ctx, narrow, func(page fptapi.BillPage) error {
		if cacheable {
			for k := range page.Lines {
				line := &page.Lines[k]
				if line.Day != current {
					finish()
					if _, seen := encoded[line.Day]; seen {
						cacheable = false
						break
					}
					current = line.Day
				}
				if current <= closed {
					lines = append(lines, *line)
				}
			}
		}
		return yield(page)
	})
	if err != nil {
		return 0, err
	}
	if !cacheable {
		b.Log.Debug(ctx, "bill lines came out of day order; their days are not cached", map[string]any{"from": narrow.From, "to": narrow.To})
		return 0, nil
	}
	finish()
	written := 0
	for _, day := range run {
		if day > closed {
			break
		}
		payload, ok := encoded[day]
		if !ok {
			payload = encodeDayLines(nil) // a closed day without lines is cached too
		}
		if err := b.Cache.Store.Put(ctx, b.Cache.key(q, day), payload); err != nil {
			b.Cache.Log.Warn(ctx, "cannot write to the bill cache; later plans read this day from the API", map[string]any{
				"day": day, "error": err.Error(),
			})
			continue
		}
		written++
	}
	return written, nil
}
