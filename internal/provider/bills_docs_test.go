package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
)

// TestBillsDocs_spikeFields checks that the rendered page of fptcloud_bills
// describes each field of the spikes' objects on a line of its own, with
// the field's type, and no other field: the framework has no description for
// the fields of an object type, so templates/data-sources/bills.md.tmpl
// writes them.
func TestBillsDocs_spikeFields(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "docs", "data-sources", "bills.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(page), "### Nested Schema for `spikes`\n")
	if !ok {
		t.Fatal("docs/data-sources/bills.md has no nested schema for spikes: run `make generate`")
	}
	if next := strings.Index(section, "\n<a id="); next >= 0 {
		section = section[:next]
	}
	field := regexp.MustCompile("^- `([a-z_]+)` \\(([A-Za-z]+)\\)(.*)$")
	described := map[string]string{}
	for line := range strings.Lines(section) {
		m := field.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil {
			continue
		}
		if strings.TrimSpace(m[3]) == "" {
			t.Errorf("spikes.%s has no description in the docs", m[1])
		}
		described[m[1]] = m[2] + m[3]
	}
	var want []string
	for name, typ := range spikeType.AttrTypes {
		want = append(want, name)
		desc, ok := described[name]
		if !ok {
			t.Errorf("the docs do not describe spikes.%s", name)
			continue
		}
		if kind := strings.TrimPrefix(strings.TrimSuffix(typ.String(), "Type"), "basetypes."); !strings.HasPrefix(desc, kind) {
			t.Errorf("the docs give spikes.%s the type of %q, the schema %s", name, desc, typ)
		}
	}
	var got []string
	for name := range described {
		got = append(got, name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the docs describe the spikes' fields %v, the schema has %v", got, want)
	}
	if r := fmt.Sprintf("to %d decimal places", billing.SpikeRatioDecimals); !strings.Contains(described["ratio"], r) {
		t.Errorf("the docs' spikes.ratio does not say it is rounded %s: %s", r, described["ratio"])
	}
}
