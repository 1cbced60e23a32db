package fptapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record/recordtest"
)

// The structs must be the field tables: the same fields, in the same
// order, with the JSON keys and Go types of their kinds.
func TestStructsMatchFieldTables(t *testing.T) {
	goTypes := map[record.Kind]reflect.Type{
		record.String:      reflect.TypeFor[string](),
		record.OptString:   reflect.TypeFor[*string](),
		record.Number:      reflect.TypeFor[json.Number](),
		record.OptNumber:   reflect.TypeFor[*json.Number](),
		record.OptUnixTime: reflect.TypeFor[*int64](),
	}
	for _, c := range []struct {
		typ   reflect.Type
		table []record.Field
	}{
		{reflect.TypeFor[BillLine](), record.BillLine},
		{reflect.TypeFor[Statement](), record.Statement},
	} {
		if c.typ.NumField() != len(c.table) {
			t.Fatalf("%s has %d fields, its table %d: run go generate ./internal/fptapi", c.typ, c.typ.NumField(), len(c.table))
		}
		for i, f := range c.table {
			sf := c.typ.Field(i)
			if sf.Name != f.Go || sf.Tag.Get("json") != f.JSON || sf.Type != goTypes[f.Kind] {
				t.Errorf("%s field %d is %s %s `json:%q`, the table says %s %s `json:%q`: run go generate ./internal/fptapi",
					c.typ, i, sf.Name, sf.Type, sf.Tag.Get("json"), f.Go, goTypes[f.Kind], f.JSON)
			}
		}
	}
	for _, c := range []struct {
		kinds []typedField
		table []record.Field
	}{{billLineFields, record.BillLine}, {statementFields, record.Statement}} {
		if len(c.kinds) != len(c.table) {
			t.Fatalf("the bad-value kinds list %d fields, the table %d", len(c.kinds), len(c.table))
		}
		for i, f := range c.table {
			if c.kinds[i].name != f.JSON {
				t.Errorf("bad-value kind %d is of %q, the table's field is %q", i, c.kinds[i].name, f.JSON)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// everyFieldLine is a bill line with every field set.
func everyFieldLine() BillLine {
	var l BillLine
	recordtest.Fill(&l, record.BillLine, "1")
	l.Day, l.StartTime = "2024-09-01", "2024-09-01 10:00:00"
	return l
}

// Every field of a line, changed alone, changes the hash key and decodes
// on the fast path to what encoding/json makes of it; an optional field
// set to null changes the hash key too.
func TestEveryBillLineFieldIsHashedAndDecoded(t *testing.T) {
	base := everyFieldLine()
	baseKey := string(base.appendHashKey(nil))
	for i, f := range record.BillLine {
		variants := recordtest.Variants(base, record.BillLine, i, func(changed *BillLine) {
			if f.JSON == "day" {
				changed.Day = "2024-09-02"
			}
		})
		for what, line := range variants {
			if string(line.appendHashKey(nil)) == baseKey {
				t.Errorf("%s %s: the hash key does not change", f.JSON, what)
			}
			raw := mustJSON(t, line)
			var fast BillLine
			if !newLineDecoder().decodeFast(raw, &fast) {
				t.Errorf("%s %s: the fast decoder refuses %s", f.JSON, what, raw)
				continue
			}
			var slow BillLine
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&slow); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, slow) || !reflect.DeepEqual(fast, line) {
				t.Errorf("%s %s: the fast decoder reads %+v, encoding/json %+v, want %+v", f.JSON, what, fast, slow, line)
			}
		}
	}
}
