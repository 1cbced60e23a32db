package emulator

import (
	"fmt"
	"math/rand/v2"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
)

// Dataset is everything the emulator serves. Generate fills it from a
// seed; tests may replace parts of it before the first request.
type Dataset struct {
	BillingGroups []fptapi.BillingGroup
	ServiceTypes  []fptapi.ServiceType
	Bills         *Bills // bill lines, generated per day on request
	Statements    []fptapi.Statement
}

// serviceTypes are the services the emulated tenant is billed for.
var serviceTypes = []fptapi.ServiceType{
	{Code: "INSTANCE", Name: "Instance"},
	{Code: "STORAGE", Name: "Storage"},
	{Code: "FLOATING_IP", Name: "Floating IP"},
	{Code: "LOAD_BALANCER", Name: "Load Balancer"},
	{Code: "KUBERNETES", Name: "Kubernetes"},
	{Code: "OBJECT_STORAGE", Name: "Object Storage"},
	{Code: "DATABASE", Name: "Database"},
	{Code: "BACKUP", Name: "Backup"},
}

// Generate builds the dataset for cfg. The same cfg gives the same data.
func Generate(cfg Config) *Dataset {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xb111))
	d := &Dataset{ServiceTypes: append([]fptapi.ServiceType(nil), serviceTypes...)}
	groups := 2 + rng.IntN(3)
	for g := range groups {
		group := fptapi.BillingGroup{Name: fmt.Sprintf("billing-group-%02d", g+1)}
		for c := range 1 + rng.IntN(3) {
			group.ConfigNames = append(group.ConfigNames, fmt.Sprintf("config-%02d-%c", g+1, 'a'+c))
		}
		d.BillingGroups = append(d.BillingGroups, group)
	}
	d.generateBills(cfg, rng)
	d.generateStatements(cfg, rng)
	return d
}
