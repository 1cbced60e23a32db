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
	_ datasource.DataSource              = (*billInfoDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*billInfoDataSource)(nil)
)

// NewBillInfoDataSource is the fptcloud_bill_info data source.
func NewBillInfoDataSource() datasource.DataSource {
	return &billInfoDataSource{}
}

type billInfoDataSource struct {
	data *providerData
}

type billInfoModel struct {
	BillingGroups []billingGroupModel `tfsdk:"billing_groups"`
	GroupNames    []string            `tfsdk:"group_names"`
	Timeouts      timeouts.Value      `tfsdk:"timeouts"`
}

type billingGroupModel struct {
	Name        string   `tfsdk:"name"`
	ConfigNames []string `tfsdk:"config_names"`
}

func (d *billInfoDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bill_info"
}

func (d *billInfoDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant's billing groups and the billing configurations in each " +
			"(`GET /v1/billing/bill/info`). Use the group names to label cost reports or to check that an " +
			"account is set up as expected.",
		Attributes: map[string]schema.Attribute{
			"billing_groups": schema.ListNestedAttribute{
				MarkdownDescription: "The billing groups, in the order the API returns them. Empty when the tenant has none.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{
							MarkdownDescription: "Name of the billing group (`billing_group_name`).",
							Computed:            true,
						},
						"config_names": schema.ListAttribute{
							MarkdownDescription: "Names of the billing configurations in the group (`billing_config_names`). Empty when the group has none.",
							ElementType:         types.StringType,
							Computed:            true,
						},
					},
				},
			},
			"group_names": schema.ListAttribute{
				MarkdownDescription: "The names of all billing groups, in the same order as `billing_groups`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx)},
	}
}

func (d *billInfoDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *billInfoDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model billInfoModel
	ctx, cancel, ok := d.data.beginRead(ctx, req.Config, &model, &model.Timeouts, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	groups, err := d.data.client.BillInfo(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "billing groups ("+fptapi.BillInfoEndpoint+")", err)
		return
	}
	model.BillingGroups = make([]billingGroupModel, 0, len(groups))
	model.GroupNames = make([]string, 0, len(groups))
	for _, g := range groups {
		model.BillingGroups = append(model.BillingGroups, billingGroupModel{
			Name:        g.Name,
			ConfigNames: append(make([]string, 0, len(g.ConfigNames)), g.ConfigNames...),
		})
		model.GroupNames = append(model.GroupNames, g.Name)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
