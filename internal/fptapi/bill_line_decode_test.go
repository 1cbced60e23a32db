package fptapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// decodeSlow is the reference: encoding/json alone.
func decodeSlow(raw []byte) (BillLine, error) {
	var l BillLine
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	err := dec.Decode(&l)
	return l, err
}

var lineSeeds = []string{
	`{"org_name":"FPT","tenant_name":null,"vpc_name":"prod-vpc","pool_name":null,"day":"2024-09-01",` +
		`"start_time":"2024-09-01 10:00:00","service":"Instance","name":"máy-chủ-01","attach_vm":null,` +
		`"storage_policy":null,"machine":"c4.r8","disk":40,"disk_total":40.5,"vcpu":4,"vcpu_total":4,"ram":8,` +
		`"ram_total":8,"running_time":0.75,"total_price":1234.5678,"disk_quantity":null,"cpu_quantity":4,` +
		`"ram_quantity":8,"tag":"env:prod"}`,
	` { "day" : "2024-09-01" , "total_price" : -1e-3 , "tag" : null } `,
	`{"Day":"2024-09-01"}`,                     // another case: encoding/json matches it
	`{"name":"a\"b","day":"2024-09-01"}`,       // an escape
	`{"name":"\u00e1","day":"2024-09-01"}`,     // a unicode escape
	`{"total_price":"12.5"}`,                   // a number in a string
	`{"disk":"40"}`,                            // a number in a string, optional
	`{"day":12}`,                               // a wrong type
	`{"extra":{"a":[1,2]},"day":"2024-09-01"}`, // an unknown key with an object
	`{"day":"2024-09-01","day":null}`,          // null keeps a plain field
	`{"vpc_name":"x","vpc_name":null}`,         // null clears an optional field
	`{"machine":true}`,                         // a bool
	`{}`, `[]`, `null`, `"x"`, `12`,
	"{\"name\":\"\xff\xfe\",\"day\":\"2024-09-01\"}", // invalid UTF-8 becomes U+FFFD
}

// TestLineDecoderMatchesEncodingJSON holds the fast path to encoding/json.
func TestLineDecoderMatchesEncodingJSON(t *testing.T) {
	fastHits := 0
	for _, seed := range lineSeeds {
		if (&lineDecoder{strings: map[string]string{}}).decodeFast([]byte(seed), &BillLine{}) {
			fastHits++
		}
		compareDecoders(t, []byte(seed))
	}
	if fastHits < 3 {
		t.Errorf("the fast path took %d of the seeds; the common shapes should take it", fastHits)
	}
}

func compareDecoders(t *testing.T, raw []byte) {
	t.Helper()
	if !json.Valid(raw) {
		return // the page decoder never hands on invalid text
	}
	want, wantErr := decodeSlow(raw)
	var got BillLine
	gotErr := newLineDecoder().decode(raw, &got)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%s: error %v, encoding/json says %v", raw, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", raw, got, want)
	}
}

func FuzzLineDecoder(f *testing.F) {
	for _, seed := range lineSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		compareDecoders(t, raw)
	})
}

// TestLineDecoderSharesStrings checks that repeated values are not
// allocated again and that optional fields do not share their storage.
func TestLineDecoderSharesStrings(t *testing.T) {
	d := newLineDecoder()
	var a, b BillLine
	raw := []byte(`{"vpc_name":"prod-vpc","tag":"prod-vpc","day":"2024-09-01","total_price":1}`)
	if err := d.decode(raw, &a); err != nil {
		t.Fatal(err)
	}
	if err := d.decode(raw, &b); err != nil {
		t.Fatal(err)
	}
	if a.VPCName == b.VPCName || a.VPCName == a.Tag {
		t.Fatal("two optional fields point at one value")
	}
	*a.VPCName = "changed"
	if *b.VPCName != "prod-vpc" || *a.Tag != "prod-vpc" {
		t.Fatal("changing one field changed another")
	}
}
