package provider

import (
	"bytes"
	"context"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolClient drives a provider server the way Terraform does for a
// data source: schema, provider configuration, read. It measures and
// compares what Terraform receives, the MessagePack of the state.
type protocolClient struct {
	tb      testing.TB
	server  tfprotov6.ProviderServer
	schemas map[string]*tfprotov6.Schema
}

// newProtocolClient configures server against the API at url with the test token.
func newProtocolClient(tb testing.TB, server tfprotov6.ProviderServer, url string) *protocolClient {
	tb.Helper()
	ctx := context.Background()
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		tb.Fatalf("GetProviderSchema: %v %v", err, schema.Diagnostics)
	}
	c := &protocolClient{tb: tb, server: server, schemas: schema.DataSourceSchemas}
	settings := map[string]tftypes.Value{}
	for _, attr := range schema.Provider.Block.Attributes { // the plan floor provider has none
		switch attr.Name {
		case "api_endpoint":
			settings[attr.Name] = tftypes.NewValue(tftypes.String, url)
		case "token":
			settings[attr.Name] = tftypes.NewValue(tftypes.String, testToken)
		case "refresh_token":
			settings[attr.Name] = tftypes.NewValue(tftypes.String, testRefreshToken)
		case "time_zone":
			settings[attr.Name] = tftypes.NewValue(tftypes.String, "+07:00")
		}
	}
	config := objectValue(tb, schema.Provider.ValueType(), settings)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("ConfigureProvider: %v %v", err, resp.Diagnostics)
	}
	return c
}

// objectValue is an object of typ with the given attributes and every
// other attribute null.
func objectValue(tb testing.TB, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		tb.Fatalf("%s is not an object type", typ)
	}
	attrs := map[string]tftypes.Value{}
	for name, t := range obj.AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			tb.Fatalf("no attribute %q", name)
		}
		attrs[name] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

// read reads the data source typeName with the given arguments and returns
// the state as Terraform receives it, failing on any diagnostic.
func (c *protocolClient) read(typeName string, args map[string]tftypes.Value) []byte {
	c.tb.Helper()
	schema, ok := c.schemas[typeName]
	if !ok {
		c.tb.Fatalf("no data source %q", typeName)
	}
	resp, err := c.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName, Config: objectValue(c.tb, schema.ValueType(), args),
	})
	if err != nil {
		c.tb.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		c.tb.Fatalf("%s: %s: %s", typeName, d.Summary, d.Detail)
	}
	if resp.State == nil {
		c.tb.Fatalf("%s: no state", typeName)
	}
	return resp.State.MsgPack
}

// listLength is how many elements the list attribute of a state holds, or
// -1 when it is null.
func (c *protocolClient) listLength(typeName string, state []byte, attribute string) int {
	c.tb.Helper()
	v, err := (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(c.schemas[typeName].ValueType())
	if err != nil {
		c.tb.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		c.tb.Fatal(err)
	}
	if attrs[attribute].IsNull() {
		return -1
	}
	var elems []tftypes.Value
	if err := attrs[attribute].As(&elems); err != nil {
		c.tb.Fatal(err)
	}
	return len(elems)
}

// attributeBytes is the MessagePack of one top-level attribute of a state.
func attributeBytes(tb testing.TB, state []byte, attribute string) []byte {
	tb.Helper()
	r := bytes.NewReader(state)
	dec := msgpack.NewDecoder(r)
	n, err := dec.DecodeMapLen()
	if err != nil {
		tb.Fatal(err)
	}
	for range n {
		name, err := dec.DecodeString()
		if err != nil {
			tb.Fatal(err)
		}
		start := len(state) - r.Len()
		if err := dec.Skip(); err != nil {
			tb.Fatal(err)
		}
		if name == attribute {
			return state[start : len(state)-r.Len()]
		}
	}
	tb.Fatalf("no attribute %q in the state", attribute)
	return nil
}

// sameState fails unless two states of typeName hold the same value (maps
// are encoded in no fixed order, so their bytes may differ) and the list
// attribute has the same bytes in both.
func (c *protocolClient) sameState(typeName string, got, want []byte, list string) {
	c.tb.Helper()
	typ := c.schemas[typeName].ValueType()
	gotValue, err := (&tfprotov6.DynamicValue{MsgPack: got}).Unmarshal(typ)
	if err != nil {
		c.tb.Fatal(err)
	}
	wantValue, err := (&tfprotov6.DynamicValue{MsgPack: want}).Unmarshal(typ)
	if err != nil {
		c.tb.Fatal(err)
	}
	if diffs, err := gotValue.Diff(wantValue); err != nil || len(diffs) > 0 {
		c.tb.Fatalf("%s: the states differ in %d places, first %v (%v)", typeName, len(diffs), diffs[:min(3, len(diffs))], err)
	}
	if !bytes.Equal(attributeBytes(c.tb, got, list), attributeBytes(c.tb, want, list)) {
		c.tb.Fatalf("%s: %s is encoded differently", typeName, list)
	}
}
