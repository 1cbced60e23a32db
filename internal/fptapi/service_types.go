package fptapi

import "context"

// ServiceTypesEndpoint is listed in the vendor's Console API (seed 000); its
// response shape is inferred (see the API contract): an array of
// {code, name}. A correction from the vendor changes this file only. When
// the inference is wrong, data of another shape fails the read as a bad
// response that names the field and shows the start of the body; unknown
// keys are ignored, and a missing code or name reads as "".
const ServiceTypesEndpoint = "/v1/billing/bill/service-types"

// ServiceType is one kind of billed service. A bill line's service is the
// Name of one of these.
type ServiceType struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ServiceTypes lists the billed service types. The answer is shared by
// every caller in this process; do not modify it.
func (c *Client) ServiceTypes(ctx context.Context) ([]ServiceType, error) {
	return getData[[]ServiceType](ctx, c, ServiceTypesEndpoint)
}
