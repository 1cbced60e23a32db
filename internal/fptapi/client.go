// Package fptapi is a thin client of the FPT Cloud billing API. It knows
// nothing of Terraform: it sends requests, applies the envelope rules of the
// API, retries transient faults and returns plain Go values.
package fptapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/memo"
)

// Default base URLs of the Console API.
const (
	DefaultBaseURL = "https://console-api.fptcloud.com/api"
	JapanBaseURL   = "https://console-api.fptcloud.jp/api"
)

// Defaults of the client's tunables.
const (
	DefaultMaxRetries     = 4
	DefaultMinBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
	DefaultMaxRetryAfter  = 60 * time.Second
	DefaultMaxBodyBytes   = 64 << 20
	DefaultMaxConcurrency = 8
	defaultCacheEntries   = 64
)

// Logger receives one line per request and per retry. Fields never hold the
// token or any header value.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

// Config is what a Client is built from.
type Config struct {
	BaseURL      string // e.g. DefaultBaseURL; an endpoint path is appended to it
	Token        string // sent as "Authorization: Bearer <token>"
	RefreshToken string // sent as "refresh-token" when not empty
	UserAgent    string

	MaxRetries     int           // attempts after a fault other than a rate limit (which is retried until the context's deadline); negative means none
	MinBackoff     time.Duration // first backoff; doubles each retry, with jitter
	MaxBackoff     time.Duration // cap of one backoff
	MaxRetryAfter  time.Duration // cap of a server's Retry-After
	MaxBodyBytes   int64         // a larger response body is an error
	MaxConcurrency int           // pages fetched at once, at most; fewer while the API rate-limits
	MaxRestarts    int           // a read whose data moved starts again this often; 0 means DefaultMaxRestarts, negative none
	RestartBackoff time.Duration // first wait before a restart; doubles each restart, with jitter
	BillMode       BillMode      // how bills are read: ModeAuto (the default), ModePaging or ModeByDate

	HTTPClient *http.Client // optional; built with safe defaults when nil
	Logger     Logger       // optional
}

// Client talks to one FPT Cloud API base URL with one token. It is safe for
// concurrent use; identical reads are made once and cached briefly.
type Client struct {
	base         *url.URL
	token        string
	refreshToken string
	userAgent    string

	maxRetries     int
	minBackoff     time.Duration
	maxBackoff     time.Duration
	maxRetryAfter  time.Duration
	maxBodyBytes   int64
	maxConcurrency int
	maxRestarts    int
	restartBackoff time.Duration
	billMode       BillMode

	http     *http.Client
	log      Logger
	throttle *throttle        // paces the requests of all reads (see throttle.go)
	shared   *memo.Cache[any] // identical reads made once, results cached briefly

	// lastChange holds, per read that is starting again, the message of
	// the change that made it start again (see RestartAfter).
	lastChange sync.Map
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, errors.New("no API token configured")
	}
	c := &Client{
		base:           base,
		token:          cfg.Token,
		refreshToken:   cfg.RefreshToken,
		userAgent:      cfg.UserAgent,
		maxRetries:     cfg.MaxRetries,
		minBackoff:     orDefault(cfg.MinBackoff, DefaultMinBackoff),
		maxBackoff:     orDefault(cfg.MaxBackoff, DefaultMaxBackoff),
		maxRetryAfter:  orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		maxBodyBytes:   orDefault(cfg.MaxBodyBytes, DefaultMaxBodyBytes),
		maxConcurrency: orDefault(cfg.MaxConcurrency, DefaultMaxConcurrency),
		maxRestarts:    orDefault(cfg.MaxRestarts, DefaultMaxRestarts),
		restartBackoff: orDefault(cfg.RestartBackoff, DefaultRestartBackoff),
		billMode:       orDefault(cfg.BillMode, ModeAuto),
		http:           cfg.HTTPClient,
		log:            cfg.Logger,
		shared:         memo.New[any](defaultCacheEntries),
	}
	c.throttle = newThrottle(c.maxConcurrency)
	if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	if c.maxRestarts < 0 {
		c.maxRestarts = 0
	}
	if err := c.billMode.check(); err != nil {
		return nil, err
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-fptcloud"
	}
	if c.http == nil {
		c.http = NewHTTPClient()
	}
	if c.log == nil {
		c.log = nopLogger{}
	}
	return c, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// ParseBaseURL checks that raw is an absolute https URL, or http on a
// loopback host (an emulator or a local proxy).
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host; write it as https://host/path", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%q uses plain http to a host that is not loopback; use https (http is allowed only for localhost, 127.0.0.0/8 and ::1)", raw)
		}
	default:
		return nil, fmt.Errorf("%q has scheme %q; use https", raw, u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("the API URL must not contain credentials; use the token setting instead")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// NewHTTPClient builds the client's HTTP transport: TLS 1.2 at least, bounded
// connection set-up, and redirects that never carry credentials to another host.
func NewHTTPClient() *http.Client {
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport:     transport,
		CheckRedirect: checkRedirect,
	}
}

// checkRedirect follows at most 5 redirects and strips the credentials from
// any hop that leaves the original host.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		req.Header.Del("Authorization")
		req.Header.Del(refreshTokenHeader)
	}
	return nil
}

// IsLoopbackHost reports whether host is localhost or a loopback address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// endpointURL joins the base URL and an endpoint path.
func (c *Client) endpointURL(endpoint string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + endpoint
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String()
}

// MaxConcurrency is how many requests one read sends at once.
func (c *Client) MaxConcurrency() int { return c.maxConcurrency }
