// Package recordtest sets the fields of a record through its field table,
// for the tests that change one field of a line at a time and check that
// every piece generated from the table notices.
package recordtest

import (
	"encoding/json"
	"reflect"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/fptapi/record"
)

// Set sets field i of the struct that ptr points to, described by
// fields[i], to a value made from seed: "<json key>-<seed>" for text,
// "<seed>0.5" for numbers; optional fields get a pointer to that value.
func Set(ptr any, fields []record.Field, i int, seed string) {
	v := reflect.ValueOf(ptr).Elem().Field(i)
	f := fields[i]
	switch f.Kind {
	case record.String:
		v.SetString(f.JSON + "-" + seed)
	case record.OptString:
		s := f.JSON + "-" + seed
		v.Set(reflect.ValueOf(&s))
	case record.Number:
		v.Set(reflect.ValueOf(json.Number(seed + "0.5")))
	case record.OptNumber:
		n := json.Number(seed + "0.5")
		v.Set(reflect.ValueOf(&n))
	}
}

// Fill sets every field of the struct that ptr points to with Set.
func Fill(ptr any, fields []record.Field, seed string) {
	for i := range fields {
		Set(ptr, fields, i, seed)
	}
}

// Variants are base with field i changed alone: under "changed", set with
// the seed "2" and then passed to adjust (when not nil), for a field whose
// value must keep a format; under "null", for an optional field, null.
func Variants[T any](base T, fields []record.Field, i int, adjust func(changed *T)) map[string]T {
	changed := base
	Set(&changed, fields, i, "2")
	if adjust != nil {
		adjust(&changed)
	}
	variants := map[string]T{"changed": changed}
	if k := fields[i].Kind; k == record.OptString || k == record.OptNumber {
		null := base
		reflect.ValueOf(&null).Elem().Field(i).SetZero()
		variants["null"] = null
	}
	return variants
}
