package fastlist

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// numberTexts are JSON number texts with every shape tftypes encodes
// differently: small and large integers, exact and inexact fractions,
// exponents, 26 digits, negative zero.
var numberTexts = []string{
	"0", "-0", "1", "-1", "127", "128", "-32", "-33", "255", "256", "65535", "65536", "-2147483649",
	"999999999999999999", "-999999999999999999", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551616",
	"12345678901234567890123456", "-12345678901234567890123456", "0.1", "0.2", "0.5", "-0.25", "2.5558",
	"12.50", "98765432.1", "1234567890123456.7890123456", "0.00000000000000000000000001", "1e3", "1E3", "-1.5e-7",
	"1e300", "1e-300", "6.02214076e23", "00012", "1.000", "3.14159265358979323846264338327950288419716939937510",
}

// tftypesList encodes items as tftypes does: the reference.
func tftypesList(t *testing.T, rows [][3]any) []byte {
	t.Helper()
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"b": tftypes.Number, "a": tftypes.String, "c": tftypes.String}}
	values := make([]tftypes.Value, len(rows))
	for i, r := range rows {
		attrs := map[string]tftypes.Value{
			"a": tftypes.NewValue(tftypes.String, r[0]),
			"b": tftypes.NewValue(tftypes.Number, nil),
			"c": tftypes.NewValue(tftypes.String, r[2]),
		}
		if text, ok := r[1].(string); ok {
			f, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
			if err != nil {
				t.Fatal(err)
			}
			attrs["b"] = tftypes.NewValue(tftypes.Number, f)
		}
		values[i] = tftypes.NewValue(obj, attrs)
	}
	typ := tftypes.List{ElementType: obj}
	b, err := tftypes.NewValue(typ, values).MarshalMsgPack(typ) //nolint:staticcheck // the reference encoding
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type row struct {
	a      *string
	number *string
	c      string
}

var rowFields = []Field[row]{
	{Name: "c", Write: func(l *ObjectList, n string, r *row) { l.String(n, r.c) }},
	{Name: "a", Write: func(l *ObjectList, n string, r *row) { l.OptString(n, r.a) }},
	{Name: "b", Write: func(l *ObjectList, n string, r *row) {
		if r.number == nil {
			l.Null(n)
			return
		}
		l.Number(n, *r.number)
	}},
}

func encodeRows(t *testing.T, rows []row) ([]byte, [][3]any) {
	t.Helper()
	ref := make([][3]any, len(rows))
	for i, r := range rows {
		ref[i][2] = r.c
		if r.a != nil {
			ref[i][0] = *r.a
		}
		if r.number != nil {
			ref[i][1] = *r.number
		}
	}
	got, err := EncodeList(rows, rowFields, 0)
	if err != nil {
		t.Fatal(err)
	}
	return got, ref
}

func TestEncodeListMatchesTftypes(t *testing.T) {
	long := strings.Repeat("ä日本", 30000) // a string longer than 65535 bytes
	strs := []string{"", "x", "Nhà máy ✓", "バケット-logs", "emoji 🚀", strings.Repeat("a", 31), strings.Repeat("a", 32),
		strings.Repeat("b", 255), strings.Repeat("b", 256)}
	var rows []row
	for i, text := range numberTexts {
		s := strs[i%len(strs)]
		rows = append(rows, row{a: &s, number: &text, c: strs[(i+3)%len(strs)]})
	}
	rows = append(rows, row{c: "all null"}, row{a: &long, c: long})
	for _, n := range []int{0, 1, 15, 16, 17, len(rows), 65535, 65536} {
		subset := make([]row, n)
		for i := range subset {
			subset[i] = rows[i%(len(rows)-1)] // the long string only in the list of every row
		}
		if n == len(rows) {
			subset = rows
		}
		got, ref := encodeRows(t, subset)
		if want := tftypesList(t, ref); !bytes.Equal(got, want) {
			t.Fatalf("%d rows: the encoding differs from tftypes' (%d bytes against %d)", n, len(got), len(want))
		}
	}
}

func FuzzNumberMatchesTftypes(f *testing.F) {
	for _, text := range numberTexts {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if _, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven); err != nil {
			l := NewObjectList(1, []string{"n"}, 0)
			l.Begin()
			l.Number("n", text)
			if _, err := l.Bytes(); !errors.Is(err, ErrNotANumber) {
				t.Fatalf("%q: want ErrNotANumber, got %v", text, err)
			}
			return
		}
		f, _, _ := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
		if f.IsInf() {
			return
		}
		got, ref := encodeRows(t, []row{{number: &text}})
		if want := tftypesList(t, ref); !bytes.Equal(got, want) {
			t.Fatalf("%q: encoded %x, tftypes %x", text, got, want)
		}
	})
}

func TestObjectListRefusesMistakes(t *testing.T) {
	tests := map[string]struct {
		write func(l *ObjectList)
		want  string
	}{
		"out of order": {func(l *ObjectList) { l.Begin(); l.String("b", "x") }, `attribute "b" written where "a" was due`},
		"missing attribute": {func(l *ObjectList) { l.Begin(); l.String("a", "x"); l.Begin() },
			`object 1 ended before attribute "b"`},
		"too many objects": {func(l *ObjectList) {
			l.Begin()
			l.String("a", "x")
			l.Null("b")
			l.Begin()
		}, "more than the 1 objects announced"},
		"too few objects": {func(*ObjectList) {}, "0 objects written of the 1 announced"},
		"unfinished":      {func(l *ObjectList) { l.Begin(); l.Null("a") }, `ended before attribute "b"`},
		"no Begin":        {func(l *ObjectList) { l.Null("a") }, "Begin the next object first"},
		"bad number":      {func(l *ObjectList) { l.Begin(); l.Null("a"); l.Number("b", "12abc") }, `b "12abc" is not a decimal number`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			l := NewObjectList(1, []string{"b", "a"}, 0)
			tc.write(l)
			_, err := l.Bytes()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error with %q, got %v", tc.want, err)
			}
		})
	}
}

func TestEncodeListNamesTheItem(t *testing.T) {
	bad := "not-a-number"
	good := "1"
	_, err := EncodeList([]row{{number: &good}, {number: &bad}}, rowFields, 0)
	var itemErr *ItemError
	if !errors.As(err, &itemErr) || itemErr.Index != 1 || !errors.Is(err, ErrNotANumber) {
		t.Fatalf("want an ItemError for item 1, got %v", err)
	}
}
