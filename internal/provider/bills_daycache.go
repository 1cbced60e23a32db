package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/daycache"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// EnvCacheDir turns the day cache on when the provider block sets no cache_dir.
const EnvCacheDir = "FPTCLOUD_CACHE_DIR"

// Defaults of the day cache's settings.
const (
	defaultCacheMaxAge    = "168h"
	defaultCacheMaxSizeMB = 256
	minCacheMaxAge        = time.Minute
)

// dayCacheFormat names the format of a cached day's lines; it is part of
// every key, so that a change of format never reads an old entry.
const dayCacheFormat = "fptcloud_bills day lines v1"

// modeDayCache marks, in the read's log, lines that came from the day cache.
const modeDayCache fptapi.BillMode = "day_cache"

// dayCacheAttributes are the provider arguments of the day cache, added
// to the provider's schema.
func dayCacheAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["cache_dir"] = schema.StringAttribute{
		MarkdownDescription: "Directory in which `fptcloud_bills` keeps the bill lines of **closed days** between runs, so that " +
			"the next `terraform plan` reads only the days that can still change: a `year_to_date` budget check then costs a few " +
			"API requests instead of hundreds. Off when unset. A day is closed when it ended, in the provider's `time_zone`, " +
			"more than a day ago: today and yesterday are always read from the API. Created (mode `0700`) when it does not exist; " +
			"a relative path is relative to the directory `terraform` runs in. Can also be set with the `" + EnvCacheDir +
			"` environment variable. Keep it between CI runs (see the budget checks guide). The directory holds no token: " +
			"its files are named and checked by HMAC-SHA256 with a random key it keeps in a file of mode `0600`. " +
			"A damaged or unreadable entry is logged at WARN and read again from the API; it never fails a plan.",
		Optional: true,
	}
	attrs["cache_max_age"] = schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("How long a cached day is used, as a Go duration such as `24h` or `720h`. "+
			"A day cached longer ago than this is read from the API again, so that a correction the vendor makes to a "+
			"closed day shows within this time. Defaults to `%s` (7 days); at least `1m`. Only used with `cache_dir`.",
			defaultCacheMaxAge),
		Optional:   true,
		Validators: []validator.String{durationValidator{least: minCacheMaxAge}},
	}
	attrs["cache_max_size_mb"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Largest size of the cached days, in MiB: beyond it the oldest entries are removed "+
			"after a read. Defaults to `%d`. A day of 1,000 bill lines takes about 50 KB, so the default holds years "+
			"of such days for several filters. Only used with `cache_dir`.", defaultCacheMaxSizeMB),
		Optional:   true,
		Validators: []validator.Int64{styledInt64{int64validator.Between(1, 1<<20)}},
	}
	return attrs
}

// dayCache is the provider's open day cache and what separates its entries.
type dayCache struct {
	store    *daycache.Store
	endpoint string // the API base URL
	token    string // only ever hashed, with the store's secret
	clock    clock.Clock
	loc      *time.Location
	log      daycache.Logger // the store's logger too
}

// openDayCache opens the day cache the configuration asks for, or returns
// nil when it asks for none. A directory that cannot be used is a warning
// and the provider reads without the cache: a cache never fails a plan.
func openDayCache(ctx context.Context, cfg *providerModel, endpoint, token string, clk clock.Clock,
	loc *time.Location, diags *diag.Diagnostics,
) *dayCache {
	if cfg.CacheDir.IsUnknown() || cfg.CacheMaxAge.IsUnknown() || cfg.CacheMaxSizeMB.IsUnknown() {
		diags.AddError("Unknown provider setting",
			"The provider's cache_dir, cache_max_age and cache_max_size_mb must be known during plan: "+
				"set them from a variable, a literal or "+EnvCacheDir+".")
		return nil
	}
	dir := stringOrEnv(cfg.CacheDir, EnvCacheDir)
	if dir == "" || token == "" {
		return nil
	}
	maxAge, _ := time.ParseDuration(defaultCacheMaxAge)
	if cfg.CacheMaxAge.ValueString() != "" { // "" is unset, as for every setting
		var err error
		if maxAge, err = parseCacheMaxAge(cfg.CacheMaxAge.ValueString()); err != nil {
			addInvalidValue(diags, path.Root("cache_max_age"), shownValue(cfg.CacheMaxAge), err.Error())
			return nil
		}
	}
	sizeMB := int64OrDefault(cfg.CacheMaxSizeMB, defaultCacheMaxSizeMB)
	log := dayCacheLogger{}
	store, err := daycache.Open(daycache.Config{
		Dir: dir, MaxAge: maxAge, MaxBytes: sizeMB << 20, Now: clk.Now, Logger: log,
	})
	if err != nil {
		attr := path.Root("cache_dir")
		diags.AddAttributeWarning(attr, "Bill cache not used",
			fmt.Sprintf("cache_dir (or %s) = %q cannot be used: %s. Bills are read from the API without the cache; "+
				"point cache_dir at a directory this user can create and write, or unset it.", EnvCacheDir, dir, err))
		return nil
	}
	tflog.Debug(ctx, "bill day cache opened", map[string]any{"cache_dir": dir, "cache_max_age": maxAge.String(), "cache_max_size_mb": sizeMB})
	return &dayCache{store: store, endpoint: endpoint, token: token, clock: clk, loc: loc, log: log}
}

func parseCacheMaxAge(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("the value is not a duration; write a Go duration such as \"24h\" or \"720h\"")
	}
	if d < minCacheMaxAge {
		return 0, fmt.Errorf("the value is shorter than %s; write a duration such as \"24h\", or unset cache_dir to turn the cache off",
			minCacheMaxAge)
	}
	return d, nil
}

// durationValidator accepts a Go duration of at least min.
type durationValidator struct{ least time.Duration }

var _ validator.String = durationValidator{}

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a Go duration of at least %s, such as 24h", v.least)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if _, err := parseCacheMaxAge(req.ConfigValue.ValueString()); err != nil {
		addInvalidValue(&resp.Diagnostics, req.Path, shownValue(req.ConfigValue), err.Error())
	}
}

// dayCacheLogger forwards the day cache's warnings to Terraform's log.
type dayCacheLogger struct{}

func (dayCacheLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(tflog.SetField(ctx, "component", "daycache"), msg, fields)
}

// billSource is where readBills takes bill lines from: the API client, or
// the day cache in front of it.
type billSource interface {
	Bills(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error
}

// billSource is the day cache in front of the client when one is open.
func (p *providerData) billSource() billSource {
	if p.dayCache == nil {
		return p.client
	}
	return &cachedBills{client: p.client, cache: p.dayCache}
}

// cachedBills reads bill lines with the day cache: closed days that are
// cached come from it, every other day from the API, and closed days read
// from the API are cached. It hands on the same lines, day by day in the
// same order, as the client alone would.
type cachedBills struct {
	client *fptapi.Client
	cache  *dayCache
}

// lastClosedDay is the latest day that can no longer change: the day
// before yesterday in the provider's time zone.
func (c *dayCache) lastClosedDay() string {
	return c.clock.Now().In(c.loc).AddDate(0, 0, -2).Format(time.DateOnly)
}

// key separates entries by format, API address, endpoint, account (the
// token, hashed with the store's secret), API-side filters and day.
func (c *dayCache) key(q fptapi.BillQuery, day string) daycache.Key {
	return c.store.Key(dayCacheFormat, c.endpoint, fptapi.BillsEndpoint, c.token, q.Service, q.VPCName, day)
}

// get returns the cached lines of a closed day, or false.
func (c *dayCache) get(ctx context.Context, q fptapi.BillQuery, day string) ([]fptapi.BillLine, bool) {
	key := c.key(q, day)
	payload, ok := c.store.Get(ctx, key)
	if !ok {
		return nil, false
	}
	lines, err := decodeDayLines(payload, day)
	if err != nil {
		c.log.Warn(ctx, "ignoring a cached day that does not decode; reading it from the API and replacing it",
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
func (b *cachedBills) Bills(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error {
	reset := q.Reset
	q.Reset = nil
	for attempt := 1; ; attempt++ {
		err := b.read(ctx, q, yield)
		if err == nil || reset == nil {
			return err
		}
		if err := b.client.RestartAfter(ctx, "bills "+q.From+".."+q.To+" (with the day cache)", attempt, err); err != nil {
			return err
		}
		reset()
	}
}

// read is one attempt of Bills.
func (b *cachedBills) read(ctx context.Context, q fptapi.BillQuery, yield func(fptapi.BillPage) error) error {
	days, err := dayList(q.From, q.To)
	if err != nil {
		return err
	}
	c := b.cache
	closed := c.lastClosedDay()
	cachedDays, fetchedRuns, written := 0, 0, 0
	defer func() {
		tflog.Debug(ctx, "bills read with the day cache", map[string]any{
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
			page := fptapi.BillPage{Mode: modeDayCache, Number: i + 1, Of: len(days), Day: days[i], Lines: lines, FromCache: true}
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
		if _, err := c.store.Trim(ctx); err != nil {
			c.log.Warn(ctx, "cannot trim the bill cache", map[string]any{"error": err.Error()})
		}
	}
	return nil
}

// fetchRun reads the consecutive days of run from the API in one read,
// hands every page on, and once the whole run has been read consistently
// caches its closed days. It returns how many days it cached.
func (b *cachedBills) fetchRun(ctx context.Context, q fptapi.BillQuery, run []string, closed string,
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
	err := b.client.Bills(ctx, narrow, func(page fptapi.BillPage) error {
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
		tflog.Debug(ctx, "bill lines came out of day order; their days are not cached", map[string]any{"from": narrow.From, "to": narrow.To})
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
		if err := b.cache.store.Put(ctx, b.cache.key(q, day), payload); err != nil {
			b.cache.log.Warn(ctx, "cannot write to the bill cache; later plans read this day from the API", map[string]any{
				"day": day, "error": err.Error(),
			})
			continue
		}
		written++
	}
	return written, nil
}

// dayList is every day from from to to, inclusive.
func dayList(from, to string) ([]string, error) {
	start, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("bill query: from %q is not a date (YYYY-MM-DD)", from)
	}
	end, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("bill query: to %q is not a date (YYYY-MM-DD)", to)
	}
	var days []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("bill query: from %s is after to %s", from, to)
	}
	return days, nil
}
