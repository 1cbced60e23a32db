package fptapi

import "context"

// BillInfoEndpoint is documented in the vendor's Console API (seed 000),
// request and response: nothing about it is inferred but the success rule
// of the envelope (envelope.go). An answer of another shape fails the read
// as a bad response that shows the start of the body.
const BillInfoEndpoint = "/v1/billing/bill/info"

// BillingGroup is one billing group and the billing configurations in it.
type BillingGroup struct {
	Name        string   `json:"billing_group_name"`
	ConfigNames []string `json:"billing_config_names"`
}

// BillInfo lists the tenant's billing groups. The answer is shared by every
// caller in this process; do not modify it.
func (c *Client) BillInfo(ctx context.Context) ([]BillingGroup, error) {
	return getData[[]BillingGroup](ctx, c, BillInfoEndpoint)
}
