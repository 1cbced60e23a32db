package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bills"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/clock"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/daycache"
)

// EnvCacheDir turns the day cache on when the provider block sets no cache_dir.
const EnvCacheDir = "FPTCLOUD_CACHE_DIR"

// Defaults of the day cache's settings.
const (
	defaultCacheMaxAge    = "168h"
	defaultCacheMaxSizeMB = 256
	minCacheMaxAge        = time.Minute
)

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
		Validators: []validator.String{durationValidator(minCacheMaxAge)},
	}
	attrs["cache_max_size_mb"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Largest size of the cached days, in MiB: beyond it the oldest entries are removed "+
			"after a read. Defaults to `%d`. A day of 1,000 bill lines takes about 50 KB, so the default holds years "+
			"of such days for several filters. Only used with `cache_dir`.", defaultCacheMaxSizeMB),
		Optional:   true,
		Validators: []validator.Int64{int64Between(1, 1<<20)},
	}
	return attrs
}

// openDayCache opens the day cache the configuration asks for, or returns
// nil when it asks for none. A directory that cannot be used is a warning
// and the provider reads without the cache: a cache never fails a plan.
func openDayCache(ctx context.Context, cfg *providerModel, endpoint, token string, clk clock.Clock,
	loc *time.Location, diags *diag.Diagnostics,
) *bills.DayCache {
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
	return &bills.DayCache{Store: store, Endpoint: endpoint, Token: token, Clock: clk, Location: loc, Log: log}
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

// dayCacheLogger forwards the day cache's warnings to Terraform's log.
type dayCacheLogger struct{}

func (dayCacheLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(tflog.SetField(ctx, "component", "daycache"), msg, fields)
}

// billSource is the day cache in front of the client when one is open.
func (p *providerData) billSource() bills.Source {
	if p.dayCache == nil {
		return p.client
	}
	return &bills.CachedSource{Client: p.client, Cache: p.dayCache, Log: tfLogger{}}
}
