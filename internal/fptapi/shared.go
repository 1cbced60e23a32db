package fptapi

import (
	"context"
	"io"
	"net/http"
)

// getData makes one shared, cached GET of endpoint and returns the
// envelope's data.
func getData[T any](ctx context.Context, c *Client, endpoint string) (T, error) {
	v, err := c.shared.Do(ctx, "GET "+endpoint, func(ctx context.Context) (any, error) {
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
