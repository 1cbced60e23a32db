package fastlist

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func msgpackOf(t *testing.T, typ tftypes.Type, v tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

var listType = tftypes.List{ElementType: tftypes.String}

func stateType() tftypes.Object {
	return tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"a": tftypes.String, "items": listType, "z": tftypes.Map{ElementType: tftypes.Number},
	}}
}

func stateWith(t *testing.T, items tftypes.Value) []byte {
	t.Helper()
	typ := stateType()
	return msgpackOf(t, typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"a":     tftypes.NewValue(tftypes.String, "before"),
		"items": items,
		"z":     tftypes.NewValue(tftypes.Map{ElementType: tftypes.Number}, map[string]tftypes.Value{"k": tftypes.NewValue(tftypes.Number, 7)}),
	}))
}

func TestSplice(t *testing.T) {
	items := tftypes.NewValue(listType, []tftypes.Value{tftypes.NewValue(tftypes.String, "x"), tftypes.NewValue(tftypes.String, "y")})
	null := stateWith(t, tftypes.NewValue(listType, nil))
	got, err := Splice(null, map[string][]byte{"items": msgpackOf(t, listType, items)})
	if err != nil {
		t.Fatal(err)
	}
	if want := stateWith(t, items); !bytes.Equal(got, want) {
		t.Fatalf("spliced state %x, want %x", got, want)
	}

	for name, tc := range map[string]struct {
		state []byte
		attrs map[string][]byte
		want  string
	}{
		"not null":       {stateWith(t, items), map[string][]byte{"items": {0x90}}, `"items" is not null`},
		"missing":        {null, map[string][]byte{"other": {0x90}}, "lacks some of the attributes [other]"},
		"empty":          {nil, map[string][]byte{"items": {0x90}}, "empty"},
		"not an object":  {[]byte{0x92, 0xc0, 0xc0}, map[string][]byte{"items": {0x90}}, "not a MessagePack object"},
		"trailing bytes": {append(slices.Clone(null), 0xc0), map[string][]byte{"items": {0x90}}, "1 bytes after its object"},
		"truncated":      {null[:len(null)-2], map[string][]byte{"items": {0x90}}, `reading the state's attribute "z"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Splice(tc.state, tc.attrs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error with %q, got %v", tc.want, err)
			}
		})
	}
}

// listDataSource is a framework data source with a computed list that it
// offers encoded when it can, as the provider's data sources do.
type listDataSource struct{ offered *bool }

type listModel struct {
	Name  types.String `tfsdk:"name"`
	Items []string     `tfsdk:"items"`
}

func (d listDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "test_list"
}

func (d listDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"name":  schema.StringAttribute{Optional: true},
		"items": schema.ListAttribute{ElementType: types.StringType, Computed: true},
	}}
}

func (d listDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m listModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	items := []string{"α", m.Name.ValueString(), "ω"}
	if Accepts(ctx) {
		var buf bytes.Buffer
		buf.WriteByte(0x93) // an array of 3
		for _, s := range items {
			buf.WriteByte(0xa0 | byte(len(s))) // fixstr: every item is shorter than 32 bytes
			buf.WriteString(s)
		}
		*d.offered = Offer(ctx, "items", buf.Bytes())
	} else {
		m.Items = items
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

type listProvider struct{ offered *bool }

func (p listProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (p listProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}
func (p listProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (p listProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return listDataSource(p) }}
}
func (p listProvider) Resources(context.Context) []func() resource.Resource { return nil }

func readList(t *testing.T, server tfprotov6.ProviderServer) []byte {
	t.Helper()
	ctx := context.Background()
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	emptyType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
	providerConfig := msgpackOf(t, emptyType, tftypes.NewValue(emptyType, map[string]tftypes.Value{}))
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &tfprotov6.DynamicValue{MsgPack: providerConfig}}); err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, resp)
	}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String, "items": listType}}
	config := msgpackOf(t, typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "mid"), "items": tftypes.NewValue(listType, nil),
	}))
	resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "test_list", Config: &tfprotov6.DynamicValue{MsgPack: config}})
	if err != nil || len(resp.Diagnostics) > 0 || resp.State == nil {
		t.Fatalf("read: %v %+v", err, resp)
	}
	return resp.State.MsgPack
}

// TestFrameworkContract checks what Server relies on in the framework: that
// a data source's Read sees the context of the ReadDataSource call, and
// that a state the server splices equals the state the framework writes.
func TestFrameworkContract(t *testing.T) {
	var offered bool
	fast := readList(t, Server(providerserver.NewProtocol6(listProvider{&offered})()))
	if !offered {
		t.Fatal("the data source's Read did not see the context of ReadDataSource: the framework no longer passes it on, " +
			"so the provider's large lists go the slow way")
	}
	offered = false
	slow := readList(t, providerserver.NewProtocol6(listProvider{&offered})())
	if offered {
		t.Fatal("Offer took an attribute without Server")
	}
	if !bytes.Equal(fast, slow) {
		t.Fatalf("spliced state %x, framework's %x", fast, slow)
	}
}

// TestServerHidesOnlyUnusedMethods lists the methods of the framework's
// protocol server that the wrapper does not have: the optional RPCs of
// list resources, actions and state stores, none of which the provider
// has. A framework that grows another optional RPC fails here, so that
// the wrapper is looked at before it hides it.
func TestServerHidesOnlyUnusedMethods(t *testing.T) {
	inner := providerserver.NewProtocol6(listProvider{new(bool)})()
	wrapped := Server(inner)
	var hidden []string
	innerType := reflect.TypeOf(inner)
	for i := range innerType.NumMethod() {
		name := innerType.Method(i).Name
		if _, ok := reflect.TypeOf(wrapped).MethodByName(name); !ok {
			hidden = append(hidden, name)
		}
	}
	want := []string{
		"ConfigureStateStore", "DeleteState", "GetStates", "InvokeAction", "ListResource",
		"LockState", "PlanAction", "ReadStateBytes", "UnlockState", "ValidateActionConfig", "ValidateListResourceConfig",
		"ValidateStateStoreConfig", "WriteStateBytes",
	}
	if !slices.Equal(hidden, want) {
		t.Fatalf("the wrapper hides %v; reviewed: %v", hidden, want)
	}
}
