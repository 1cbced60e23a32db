package fptapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxBodySnippet is how much of a non-JSON body an error shows.
const maxBodySnippet = 200

// ErrorKind classifies an API failure so that callers can pick a remedy.
type ErrorKind string

const (
	KindUnauthorized ErrorKind = "unauthorized" // 401: token missing, wrong or expired.
	KindForbidden    ErrorKind = "forbidden"    // 403: token lacks the billing permission.
	KindNotFound     ErrorKind = "not_found"    // 404.
	KindNotAllowed   ErrorKind = "not_allowed"  // 405.
	KindRateLimited  ErrorKind = "rate_limited" // 429.
	KindServer       ErrorKind = "server"       // 5xx.
	KindBadResponse  ErrorKind = "bad_response" // a body that is not the JSON envelope.
	KindAPI          ErrorKind = "api"          // HTTP 2xx whose body status reports failure.
	KindClient       ErrorKind = "client"       // any other 4xx.
	KindTooLarge     ErrorKind = "too_large"    // a body over the size cap.
	KindInconsistent ErrorKind = "inconsistent" // pages that contradict each other, in a way moving data cannot explain.
	KindChanged      ErrorKind = "changed"      // the data changed during a read, on every attempt.
	KindBadValue     ErrorKind = "bad_value"    // a field of a line or statement that cannot be used; not transient.
)

// APIError is a failed call to the FPT Cloud API. Its text names the
// endpoint, the HTTP status and the API's own message; it never holds the
// token.
type APIError struct {
	Method     string
	Endpoint   string // path relative to the base URL, e.g. /v1/billing/bill/info
	HTTPStatus int
	Kind       ErrorKind
	Message    string        // the API's message, or a description of the fault
	Body       string        // at most maxBodySnippet bytes of a non-JSON body
	RetryAfter time.Duration // from the Retry-After header of a 429 or a 503, when given
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Method, e.Endpoint)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.HTTPStatus, http.StatusText(e.HTTPStatus))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, " (body starts: %q)", e.Body)
	}
	return b.String()
}

// Hint says what the user can do about the error.
func (e *APIError) Hint() string {
	if e.wrongBasePath() {
		hint := fmt.Sprintf("The server at api_endpoint answered HTTP 404 for %s %s without the API's JSON answer: nothing is "+
			"served at that path, which most often means api_endpoint (or FPTCLOUD_API_URL) is not the API's base URL. "+
			"Check it: it should end in /api, such as %s (or %s for region JP/JCSI2), and the provider appends %s and the "+
			"other paths to it.", e.Method, e.Endpoint, DefaultBaseURL, JapanBaseURL, e.Endpoint)
		if _, refused := pagingRefused(e); refused {
			hint += " If the address is right, the API does not serve the paging bills endpoint: set bills_endpoint = \"by_date\" " +
				"(or FPTCLOUD_BILLS_ENDPOINT=by_date), or \"auto\"."
		}
		return hint
	}
	if _, refused := pagingRefused(e); refused {
		return "The paging bills endpoint (POST " + BillsEndpoint + ") refused the request: its request body is inferred, " +
			"not documented by the vendor. Set the provider's bills_endpoint = \"by_date\" (or FPTCLOUD_BILLS_ENDPOINT=by_date) " +
			"to read one day at a time through the documented GET " + BillsEndpoint + "?search_date=, or \"auto\" to fall back by itself."
	}
	switch e.Kind {
	case KindUnauthorized:
		return "Check the provider's token (or FPTCLOUD_TOKEN): it is missing, wrong or expired. Create a new token in the FPT Cloud console."
	case KindForbidden:
		return "The token is valid but lacks the billing permission. Ask a tenant administrator to grant billing read access to this user."
	case KindNotFound, KindNotAllowed:
		return "The endpoint does not exist at this API address. Check api_endpoint (or FPTCLOUD_API_URL) and region."
	case KindRateLimited:
		return "The API kept rate-limiting the requests until the read's timeout: many reads (several workspaces planning at once) " +
			"share the account's rate limit. Raise the provider's timeout or the data source's timeouts { read }, plan fewer workspaces at once, " +
			"or set cache_dir (shared between runs) so that plans read closed days from the cache instead of the API."
	case KindServer:
		return "The API failed on its side after every retry. Try again later; if it persists, contact FPT Cloud support."
	case KindBadResponse:
		return "The API answered with something that is not its JSON format, often a proxy's error page. Check api_endpoint and any proxy between you and the API."
	case KindTooLarge:
		return "Narrow the request (a shorter date range, filters) so that the response is smaller."
	case KindInconsistent:
		return "The API returned pages that contradict each other, a fault on the API's side rather than data that is still arriving: " +
			"report the message above, which names the page, to FPT Cloud support. A narrower range may avoid the page at fault."
	case KindChanged:
		return "The data kept changing while it was read, so no consistent answer could be put together. Try again in a few minutes; " +
			"if it persists, narrow the range (lines of the current day are the ones still arriving)."
	case KindBadValue:
		return "The API sent a value this provider cannot use. It is not a transient fault, so the read was not retried: " +
			"report the message above to FPT Cloud support."
	default:
		return "Check the arguments of the data source and the provider configuration."
	}
}

// wrongBasePath reports whether e is what a wrong base URL gets: a 404
// with no API message, the not-found page of a web server or proxy (or an
// empty body) rather than the API's JSON envelope. An API that knows the
// path but not the thing asked for says so in its envelope's message.
func (e *APIError) wrongBasePath() bool {
	return e.HTTPStatus == http.StatusNotFound && e.Message == ""
}

// Retryable reports whether another attempt may succeed.
func (e *APIError) Retryable() bool {
	switch e.HTTPStatus {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	// A truncated or garbled body behind a 2xx is a transport fault, worth another try.
	return e.Kind == KindBadResponse && e.HTTPStatus >= 200 && e.HTTPStatus < 300
}

// IsKind reports whether err is an *APIError of the given kind.
func IsKind(err error, kind ErrorKind) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Kind == kind
}

func kindForStatus(status int) ErrorKind {
	switch {
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusMethodNotAllowed:
		return KindNotAllowed
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500:
		return KindServer
	case status >= 400:
		return KindClient
	default:
		return KindAPI
	}
}

// snippet returns at most maxBodySnippet bytes of body, cut on a rune boundary.
func snippet(body []byte) string {
	if len(body) <= maxBodySnippet {
		return strings.ToValidUTF8(string(body), "?")
	}
	return strings.ToValidUTF8(string(body[:maxBodySnippet]), "?") + "…"
}

// inconsistent is the error of pages that contradict each other: a 200
// whose content cannot be true given the pages before it.
func inconsistent(method, endpoint, message string) error {
	return &APIError{Method: method, Endpoint: endpoint, HTTPStatus: http.StatusOK, Kind: KindInconsistent, Message: message}
}

// changed is the error of a page that shows the data moved since an
// earlier page of the same read: a changed total, lines that shifted,
// repeated or went missing. A read that sees it starts again.
func changed(method, endpoint, message string) error {
	return &APIError{Method: method, Endpoint: endpoint, HTTPStatus: http.StatusOK, Kind: KindChanged, Message: message}
}
