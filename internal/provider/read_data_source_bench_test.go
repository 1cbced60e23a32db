package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/bench/floor"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/emulator"
)

// BenchmarkReadDataSource measures one whole read of a data source with a
// large list as Terraform asks for it: ReadDataSource through the protocol
// server, from the request to the MessagePack of the state, with the API
// (the in-process emulator, on the same CPUs) and all. Beside it, in the
// same run:
//
//   - framework: the same provider served by the framework alone, setting
//     the list by reflection, as it did before the fast path (10k only;
//     FPTCLOUD_BENCH_SLOW=1 adds 100k, about a minute an iteration);
//   - floor: the plan floor provider (package floor), which encodes the
//     same list with terraform-plugin-go and nothing else.
//
// Each iteration configures a new provider, so that no read is cached.
//
//	go test ./internal/provider -run '^$' -bench ReadDataSource -benchtime 3x -benchmem
func BenchmarkReadDataSource(b *testing.B) {
	const linesPerDay = 1000
	for _, size := range []int{10_000, 100_000} {
		days := size / linesPerDay
		cfg := emulator.Config{LinesPerDay: linesPerDay, Statements: size}
		_, url := benchEmulator(b, cfg)
		floorServer := floor.New(cfg) // its data made before the clock starts
		from := "2024-05-01"
		to := mustAddDays(b, from, days-1)
		cases := []struct {
			typeName, list string
			args           map[string]tftypes.Value
			floorArgs      map[string]tftypes.Value
		}{
			{"fptcloud_bills", "items", map[string]tftypes.Value{
				"from": tftypes.NewValue(tftypes.String, from), "to": tftypes.NewValue(tftypes.String, to),
				"max_items": tftypes.NewValue(tftypes.Number, size),
			}, map[string]tftypes.Value{
				"from": tftypes.NewValue(tftypes.String, from), "to": tftypes.NewValue(tftypes.String, to),
			}},
			{"fptcloud_resource_statements", "statements", map[string]tftypes.Value{
				"page_size": tftypes.NewValue(tftypes.Number, 1000), "max_items": tftypes.NewValue(tftypes.Number, size),
			}, map[string]tftypes.Value{}},
		}
		for _, c := range cases {
			servers := []struct {
				name string
				new  func() tfprotov6.ProviderServer
				args map[string]tftypes.Value
			}{
				{"provider", NewServer("bench", Options{}), c.args},
				{"framework", providerserver.NewProtocol6(NewWithOptions("bench", Options{})()), c.args},
				{"floor", func() tfprotov6.ProviderServer { return floorServer }, c.floorArgs},
			}
			for _, s := range servers {
				if s.name == "framework" && size > 10_000 && os.Getenv("FPTCLOUD_BENCH_SLOW") == "" {
					continue
				}
				b.Run(fmt.Sprintf("%s/%d/%s", c.typeName, size, s.name), func(b *testing.B) {
					b.ReportAllocs()
					var client *protocolClient
					var state []byte
					for b.Loop() {
						client = newProtocolClient(b, s.new(), url)
						state = client.read(c.typeName, s.args)
					}
					b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/read")
					b.ReportMetric(float64(len(state))/(1<<20), "MiB-state")
					b.StopTimer()
					if n := client.listLength(c.typeName, state, c.list); n != size {
						b.Fatalf("%s holds %d elements, want %d", c.list, n, size)
					}
				})
			}
		}
	}
}

func mustAddDays(tb testing.TB, day string, n int) string {
	tb.Helper()
	t, err := billing.ParseDate(day)
	if err != nil {
		tb.Fatal(err)
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}
