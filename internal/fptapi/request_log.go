package fptapi

import (
	"context"
	"unicode/utf8"
)

// maxLoggedBody is how much of a request body the debug log shows.
const maxLoggedBody = 4096

// logRequest writes one debug line per attempt: the method, the endpoint's
// path, the query and the JSON body, which is what the API is asked. The
// token and the refresh token travel in headers, which are never logged.
func (c *Client) logRequest(ctx context.Context, req request, payload []byte) {
	fields := map[string]any{"method": req.method, "endpoint": req.endpoint}
	if len(req.query) > 0 {
		fields["query"] = req.query.Encode()
	}
	if payload != nil {
		body := payload
		if len(body) > maxLoggedBody {
			body = body[:maxLoggedBody]
			for len(body) > 0 && !utf8.Valid(body) {
				body = body[:len(body)-1]
			}
			fields["body_truncated"] = true
		}
		fields["body"] = string(body)
	}
	c.log.Debug(ctx, "FPT Cloud API request", fields)
}
