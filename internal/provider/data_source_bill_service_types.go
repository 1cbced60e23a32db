package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

var (
	_ datasource.DataSource              = (*billServiceTypesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*billServiceTypesDataSource)(nil)
)

// NewBillServiceTypesDataSource is the fptcloud_bill_service_types data source.
func NewBillServiceTypesDataSource() datasource.DataSource {
	return &billServiceTypesDataSource{}
}

type billServiceTypesDataSource struct {
	data *providerData
}

type billServiceTypesModel struct {
	ServiceTypes []serviceTypeModel `tfsdk:"service_types"`
	Names        []string           `tfsdk:"names"`
	Timeouts     timeouts.Value     `tfsdk:"timeouts"`
}

type serviceTypeModel struct {
	Code string `tfsdk:"code"`
	Name string `tfsdk:"name"`
}

func (d *billServiceTypesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bill_service_types"
}

func (d *billServiceTypesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the service types that FPT Cloud bills for (`GET /v1/billing/bill/service-types`). " +
			"Every bill line's `service` is the `name` of one of them, so these are the valid values of " +
			"`fptcloud_bills`' `services` filter and the keys of its `totals_by_service`.",
		Attributes: map[string]schema.Attribute{
			"service_types": schema.ListNestedAttribute{
				MarkdownDescription: "The service types, in the order the API returns them. Empty when the API lists none.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"code": schema.StringAttribute{
							MarkdownDescription: "Stable code of the service type, such as `INSTANCE`.",
							Computed:            true,
						},
						"name": schema.StringAttribute{
							MarkdownDescription: "Display name of the service type, such as `Instance`, as it appears in bill lines' `service`.",
							Computed:            true,
						},
					},
				},
			},
			"names": schema.ListAttribute{
				MarkdownDescription: "The names of all service types, in the same order as `service_types`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *billServiceTypesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *billServiceTypesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model billServiceTypesModel
	ctx, cancel, ok := d.data.beginRead(ctx, req.Config, &model, &model.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	serviceTypes, err := d.data.client.ServiceTypes(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "service types ("+fptapi.ServiceTypesEndpoint+")", err)
		return
	}
	model.ServiceTypes = make([]serviceTypeModel, 0, len(serviceTypes))
	model.Names = make([]string, 0, len(serviceTypes))
	for _, st := range serviceTypes {
		model.ServiceTypes = append(model.ServiceTypes, serviceTypeModel{Code: st.Code, Name: st.Name})
		model.Names = append(model.Names, st.Name)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
