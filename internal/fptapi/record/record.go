// Package record holds the field tables of the API's records: the bill line
// (seed 001) and the resource statement (seed 003). Each table is the one
// definition of its record. `go generate ./internal/fptapi` (which
// `make generate` runs) writes from them every list of fields the provider
// needs: the Go structs, the hash key, the fast decoder, the kinds of the
// bad-value diagnosis, the day cache's codec and format, the schema's item
// attributes, the state encoders and the floor provider's types. Adding a
// field to a record is one line here and `go generate`.
//
// This package imports nothing, so that the generator can run whatever
// state the generated files are in.
package record

// Kind is what a field holds, in the API's JSON and in the state.
type Kind int

const (
	// String is a required JSON string (a bill line always has one).
	String Kind = iota
	// OptString is a JSON string or null.
	OptString
	// Number is a JSON number kept as its exact text. A bill line always
	// has one; a statement's may be left out (null in the state).
	Number
	// OptNumber is a JSON number kept as its exact text, or null.
	OptNumber
	// OptUnixTime is Unix seconds (a JSON integer) or null, shown in the
	// state as RFC 3339 in the provider's time zone.
	OptUnixTime
)

// Field is one field of a record.
type Field struct {
	Go          string // the Go field name
	JSON        string // the JSON key, also the attribute name in the state
	Kind        Kind
	Description string // the Markdown description of the state attribute
}

// BillLine is the bill line, in the API's order (seed 001).
var BillLine = []Field{
	{"OrgName", "org_name", OptString, "Organization name. Null when the API gives none."},
	{"TenantName", "tenant_name", OptString, "Tenant name. Null when the API gives none."},
	{"VPCName", "vpc_name", OptString, "VPC the resource belongs to. Null when the API gives none."},
	{"PoolName", "pool_name", OptString, "Resource pool. Null when the API gives none."},
	{"Day", "day", String, "The day the line is billed on, `YYYY-MM-DD`."},
	{"StartTime", "start_time", String, "Start of the billed interval, exactly as the API sends it: `YYYY-MM-DD HH:MM:SS` in the account's time zone, or RFC 3339."},
	{"Service", "service", String, "Service name, such as `Instance` or `Storage` (one of `fptcloud_bill_service_types`)."},
	{"Name", "name", String, "Name of the billed resource."},
	{"AttachVM", "attach_vm", OptString, "Instance a volume is attached to. Null when the API gives none."},
	{"StoragePolicy", "storage_policy", OptString, "Storage policy of a volume. Null when the API gives none."},
	{"Machine", "machine", OptString, "Machine type (flavor). Null when the API gives none."},
	{"Disk", "disk", OptNumber, "Disk size, as the API reports it. Null when the API gives none."},
	{"DiskTotal", "disk_total", OptNumber, "Total disk, as the API reports it. Null when the API gives none."},
	{"VCPU", "vcpu", OptNumber, "vCPUs, as the API reports them. Null when the API gives none."},
	{"VCPUTotal", "vcpu_total", OptNumber, "Total vCPUs, as the API reports them. Null when the API gives none."},
	{"RAM", "ram", OptNumber, "RAM, as the API reports it. Null when the API gives none."},
	{"RAMTotal", "ram_total", OptNumber, "Total RAM, as the API reports it. Null when the API gives none."},
	{"RunningTime", "running_time", OptNumber, "Running time billed, as the API reports it. Null when the API gives none."},
	{"TotalPrice", "total_price", Number, "Price of the line in VND, every digit as the API sent it."},
	{"DiskQuantity", "disk_quantity", OptNumber, "Billed disk quantity. Null when the API gives none."},
	{"CPUQuantity", "cpu_quantity", OptNumber, "Billed CPU quantity. Null when the API gives none."},
	{"RAMQuantity", "ram_quantity", OptNumber, "Billed RAM quantity. Null when the API gives none."},
	{"Tag", "tag", OptString, "Tag of the resource. Null when the API gives none."},
}

// Statement is the resource statement, in the API's order (seed 003). Its
// strings may be empty; its amount may be left out.
var Statement = []Field{
	{"ID", "id", String, "ID of the statement."},
	{"ResourceID", "resource_id", String, "ID of the charged resource."},
	{"ResourceType", "resource_type", String, "Type of the charged resource, such as `vm` or `volume`."},
	{"Status", "status", String, "Payment status, such as `paid` or `unpaid`."},
	{"StartedTime", "started_time", OptUnixTime, "When the charged period started, in RFC 3339 in the provider's `time_zone`. Null when the API gives none."},
	{"DueTime", "due_time", OptUnixTime, "When the statement is due, in RFC 3339 in the provider's `time_zone`. Null when the API gives none."},
	{"Type", "type", String, "Type of the statement, such as `lease_fee`."},
	{"Amount", "amount", Number, "Amount charged, exactly as the API states it (every decimal kept). Null when the API gives none."},
}
