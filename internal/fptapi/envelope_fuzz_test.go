package fptapi

import (
	"strings"
	"testing"
)

// FuzzDecodeEnvelope feeds arbitrary bodies to the envelope decoder: it must
// never panic, and whatever it accepts must have a success status.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, seed := range []string{
		`{"status":0,"message":"","data":[{"billing_group_name":"g","billing_config_names":["a"]}]}`,
		`{"status":true,"message":"ok","total":3,"data":[]}`,
		`{"status":false,"message":"no"}`,
		`{"status":"0"}`, `{"status":1e400}`, `{"status":200,"data":null}`,
		`<html>502</html>`, `{"status":0,"data":[{"billing_group_name":`, ``, `null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := decodeEnvelope[[]BillingGroup](strings.NewReader(string(body)))
		if err == nil && (env == nil || env.Status == nil || !env.Status.OK()) {
			t.Fatalf("accepted %q without a success status", body)
		}
	})
}
