package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/billing"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fastlist"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record/recordtest"
)

// Every field of a bill line, changed alone or set to null, changes the
// fast encoder's items and the framework's model (package bills checks the
// day cache's codec, package fptapi the hash key and the decoder).
func TestEveryBillLineFieldIsEncoded(t *testing.T) {
	var base fptapi.BillLine
	recordtest.Fill(&base, record.BillLine, "1")
	base.Day, base.StartTime = "2024-09-01", "2024-09-01 10:00:00"
	encode := func(l fptapi.BillLine) []byte {
		b, err := fastlist.EncodeList([]fptapi.BillLine{l}, billItemFields, 0)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	baseItems := encode(base)
	for i, f := range record.BillLine {
		variants := recordtest.Variants(base, record.BillLine, i, func(changed *fptapi.BillLine) {
			if f.JSON == "day" {
				changed.Day = "2024-09-02"
			}
		})
		for what, line := range variants {
			if bytes.Equal(encode(line), baseItems) {
				t.Errorf("%s %s: the fast encoder writes the same items", f.JSON, what)
			}
			item, err := itemModel(&line)
			if err != nil {
				t.Fatal(err)
			}
			baseItem, _ := itemModel(&base)
			if reflect.DeepEqual(item, baseItem) {
				t.Errorf("%s %s: the framework's model is the same", f.JSON, what)
			}
		}
	}
}

// The schema's item attributes are the table's fields.
func TestItemAttributesMatchFieldTable(t *testing.T) {
	attrs := itemAttributes()
	if len(attrs) != len(record.BillLine) || len(itemAttributeTypes) != len(record.BillLine) {
		t.Fatalf("items have %d attributes, the table %d fields", len(attrs), len(record.BillLine))
	}
	for _, f := range record.BillLine {
		a, ok := attrs[f.JSON]
		if !ok || a.GetMarkdownDescription() != f.Description {
			t.Errorf("items' %q: %v, want the table's description", f.JSON, a)
		}
	}
}

// Every field of a statement, changed alone, changes the fast encoder's
// statements and the framework's model.
func TestEveryStatementFieldIsEncoded(t *testing.T) {
	loc := time.FixedZone("+07:00", 7*3600)
	set := func(v reflect.Value, f record.Field, seed int64) {
		switch f.Kind {
		case record.String:
			v.SetString(fmt.Sprintf("%s-%d", f.JSON, seed))
		case record.Number:
			v.Set(reflect.ValueOf(json.Number(fmt.Sprintf("%d0.5", seed))))
		case record.OptUnixTime:
			sec := 1725003272 + seed
			v.Set(reflect.ValueOf(&sec))
		default:
			t.Fatalf("%s: no test value for kind %d", f.JSON, f.Kind)
		}
	}
	kept := func(st fptapi.Statement) keptStatement {
		k := keptStatement{Statement: st}
		if st.Amount != "" {
			k.Money, k.HasAmount = billing.MustParseMoney(st.Amount.String()), true
		}
		return k
	}
	encode := func(k keptStatement) []byte {
		b, err := fastlist.EncodeList([]keptStatement{k}, statementFields(loc), 0)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var base fptapi.Statement
	for i, f := range record.Statement {
		set(reflect.ValueOf(&base).Elem().Field(i), f, 1)
	}
	baseItems, baseModel := encode(kept(base)), statementModelOf(ptr(kept(base)), loc)
	for i, f := range record.Statement {
		changed := base
		set(reflect.ValueOf(&changed).Elem().Field(i), f, 2)
		null := base
		reflect.ValueOf(&null).Elem().Field(i).SetZero()
		for what, st := range map[string]fptapi.Statement{"changed": changed, "zero": null} {
			k := kept(st)
			if bytes.Equal(encode(k), baseItems) {
				t.Errorf("%s %s: the fast encoder writes the same statements", f.JSON, what)
			}
			if reflect.DeepEqual(statementModelOf(&k, loc), baseModel) {
				t.Errorf("%s %s: the framework's model is the same", f.JSON, what)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
