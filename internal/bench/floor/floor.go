// Package floor is a minimal provider written on terraform-plugin-go
// alone, used only to measure what Terraform itself needs for a list as
// large as fptcloud_bills' items or fptcloud_resource_statements'
// statements. It is never part of the shipped provider: `make bench-plan`
// builds it (./internal/bench/floor/provider) and times `terraform plan` on
// the same configuration with it and with the real provider.
//
// Its data sources have the names, arguments and list attributes of the
// real ones, and return the emulator's lines for the same settings as one
// tftypes value encoded by terraform-plugin-go: no HTTP, no aggregation, no
// framework. The difference between the two plans is the real provider's
// own cost.
package floor

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Type names of the data sources.
const (
	BillsType      = "fptcloud_bills"
	StatementsType = "fptcloud_resource_statements"
)

// Server is the floor provider's protocol server. Methods that Terraform
// does not call for a plan of data sources are left to the embedded nil
// interface.
type Server struct {
	tfprotov6.ProviderServer
	data     *emulator.Dataset
	location *time.Location
}

// New returns a server whose data is the emulator's for cfg (with the
// emulator's defaults).
func New(cfg emulator.Config) *Server {
	return &Server{data: emulator.New(cfg).Data, location: time.FixedZone("+07:00", 7*3600)}
}

// The arguments of the data sources; the floor ignores all but from and to.
var (
	billsInputs = map[string]tftypes.Type{
		"from": tftypes.String, "to": tftypes.String, "range": tftypes.String, "period": tftypes.String,
		"include_items": tftypes.Bool, "max_items": tftypes.Number,
	}
	statementsInputs = map[string]tftypes.Type{"page_size": tftypes.Number, "max_items": tftypes.Number}
)

func dataSourceSchema(inputs map[string]tftypes.Type, list string, item map[string]tftypes.Type) *tfprotov6.Schema {
	block := &tfprotov6.SchemaBlock{}
	for name, typ := range inputs {
		block.Attributes = append(block.Attributes, &tfprotov6.SchemaAttribute{Name: name, Type: typ, Optional: true})
	}
	block.Attributes = append(block.Attributes, &tfprotov6.SchemaAttribute{
		Name: list, Type: tftypes.List{ElementType: tftypes.Object{AttributeTypes: item}}, Computed: true,
	})
	return &tfprotov6.Schema{Block: block}
}

func (s *Server) schemas() map[string]*tfprotov6.Schema {
	return map[string]*tfprotov6.Schema{
		BillsType:      dataSourceSchema(billsInputs, "items", billItemAttributes),
		StatementsType: dataSourceSchema(statementsInputs, "statements", statementAttributes),
	}
}

// GetMetadata names the data sources.
func (s *Server) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return &tfprotov6.GetMetadataResponse{
		ServerCapabilities: &tfprotov6.ServerCapabilities{GetProviderSchemaOptional: true},
		DataSources:        []tfprotov6.DataSourceMetadata{{TypeName: BillsType}, {TypeName: StatementsType}},
	}, nil
}

// GetProviderSchema describes an empty provider block and the two data sources.
func (s *Server) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return &tfprotov6.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov6.ServerCapabilities{GetProviderSchemaOptional: true},
		Provider:           &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}},
		DataSourceSchemas:  s.schemas(),
	}, nil
}

// GetResourceIdentitySchemas has nothing to describe.
func (s *Server) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

// GetFunctions has no functions.
func (s *Server) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}, nil
}

// ValidateProviderConfig accepts any configuration.
func (s *Server) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

// ConfigureProvider has nothing to configure.
func (s *Server) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

// StopProvider has nothing to stop.
func (s *Server) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

// ValidateDataResourceConfig accepts any configuration.
func (s *Server) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

// ReadDataSource returns the configuration with the list filled in.
func (s *Server) ReadDataSource(_ context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	schema, ok := s.schemas()[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("floor: no data source %q", req.TypeName)
	}
	typ := schema.ValueType()
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return nil, err
	}
	switch req.TypeName {
	case BillsType:
		var from, to string
		if err := attrs["from"].As(&from); err != nil {
			return nil, err
		}
		if err := attrs["to"].As(&to); err != nil {
			return nil, err
		}
		attrs["items"] = BillItems(s.data.BillLines(from, to))
	case StatementsType:
		attrs["statements"] = Statements(s.data.Statements, s.location)
	}
	state, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		return nil, err
	}
	return &tfprotov6.ReadDataSourceResponse{State: &state}, nil
}

func str(s *string) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *s)
}

func number(text string) tftypes.Value {
	f, err := billing.ExactFloat(text)
	if err != nil {
		panic(fmt.Sprintf("floor: %q is not a number: %v", text, err))
	}
	return tftypes.NewValue(tftypes.Number, f)
}

// maybeNumber is text as a number, or null when it is empty.
func maybeNumber(text json.Number) tftypes.Value {
	if text == "" {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return number(text.String())
}

// instant is Unix seconds as RFC 3339 in loc, or null.
func instant(sec *int64, loc *time.Location) tftypes.Value {
	if sec == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, time.Unix(*sec, 0).In(loc).Format(time.RFC3339))
}

func optNumber(n *json.Number) tftypes.Value {
	if n == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return number(n.String())
}

// BillItems is the items value of fptcloud_bills for lines.
func BillItems(lines []fptapi.BillLine) tftypes.Value {
	objType := tftypes.Object{AttributeTypes: billItemAttributes}
	values := make([]tftypes.Value, len(lines))
	for i := range lines {
		values[i] = tftypes.NewValue(objType, billItemValues(&lines[i]))
	}
	return tftypes.NewValue(tftypes.List{ElementType: objType}, values)
}

// Statements is the statements value of fptcloud_resource_statements.
func Statements(statements []fptapi.Statement, loc *time.Location) tftypes.Value {
	objType := tftypes.Object{AttributeTypes: statementAttributes}
	values := make([]tftypes.Value, len(statements))
	for i := range statements {
		values[i] = tftypes.NewValue(objType, statementValues(&statements[i], loc))
	}
	return tftypes.NewValue(tftypes.List{ElementType: objType}, values)
}
