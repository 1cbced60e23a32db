package fastlist

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"

	"github.com/vmihailenco/msgpack/v5"
)

// NumberPrecision is the precision, in bits, of Terraform's numbers: a
// number is parsed from its decimal text at this precision, as the framework
// does for a types.Number built with big.ParseFloat(text, 10, 512, ...).
const NumberPrecision = 512

// ObjectList writes a list of objects in the MessagePack form that the
// plugin protocol uses for a list of objects, byte for byte what
// terraform-plugin-go's tftypes writes for the same value: an array of maps
// whose keys are the attribute names in sorted order.
//
// Begin starts an object; then every attribute is written once, in the
// order of Names, by the method of its type. Writing an attribute out of
// order, or an object with attributes missing, is an error that Bytes
// returns: it is a bug in the caller, never a property of the data.
type ObjectList struct {
	buf     bytes.Buffer
	enc     *msgpack.Encoder
	names   []string
	length  int
	objects int
	next    int // index in names of the next attribute to write
	err     error
}

// NewObjectList starts a list of length objects with the given attribute
// names, which it sorts. sizeHint, the expected size of the encoding in
// bytes, may be 0.
func NewObjectList(length int, names []string, sizeHint int) *ObjectList {
	l := &ObjectList{names: slices.Sorted(slices.Values(names)), length: length}
	l.buf.Grow(sizeHint)
	l.enc = msgpack.NewEncoder(&l.buf)
	l.next = len(l.names) // no object open
	l.check(l.enc.EncodeArrayLen(length))
	return l
}

// Names are the attribute names in the order they must be written.
func (l *ObjectList) Names() []string { return l.names }

// Begin starts the next object.
func (l *ObjectList) Begin() {
	if l.err != nil {
		return
	}
	if l.next != len(l.names) {
		l.err = fmt.Errorf("fastlist: object %d ended before attribute %q", l.objects, l.names[l.next])
		return
	}
	if l.objects == l.length {
		l.err = fmt.Errorf("fastlist: more than the %d objects announced", l.length)
		return
	}
	l.objects++
	l.next = 0
	l.check(l.enc.EncodeMapLen(len(l.names)))
}

// attribute writes the key of name if it is the next attribute.
func (l *ObjectList) attribute(name string) bool {
	if l.err != nil {
		return false
	}
	if l.next >= len(l.names) || l.names[l.next] != name {
		want := "none (Begin the next object first)"
		if l.next < len(l.names) {
			want = strconv.Quote(l.names[l.next])
		}
		l.err = fmt.Errorf("fastlist: object %d: attribute %q written where %s was due", l.objects, name, want)
		return false
	}
	l.next++
	return l.check(l.enc.EncodeString(name))
}

func (l *ObjectList) check(err error) bool {
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("fastlist: %w", err)
	}
	return l.err == nil
}

// Null writes a null value.
func (l *ObjectList) Null(name string) {
	if l.attribute(name) {
		l.check(l.enc.EncodeNil())
	}
}

// String writes a string.
func (l *ObjectList) String(name, v string) {
	if l.attribute(name) {
		l.check(l.enc.EncodeString(v))
	}
}

// OptString writes *v, or null when v is nil.
func (l *ObjectList) OptString(name string, v *string) {
	if v == nil {
		l.Null(name)
		return
	}
	l.String(name, *v)
}

// Number writes the number whose exact decimal text is text (a JSON number,
// such as "-12.5e3").
func (l *ObjectList) Number(name, text string) {
	if !l.attribute(name) {
		return
	}
	if err := encodeNumber(l.enc, text); err != nil && l.err == nil {
		l.err = fmt.Errorf("%s %w", name, err)
	}
}

// Bytes returns the encoded list once every announced object is complete.
func (l *ObjectList) Bytes() ([]byte, error) {
	switch {
	case l.err != nil:
		return nil, l.err
	case l.objects != l.length:
		return nil, fmt.Errorf("fastlist: %d objects written of the %d announced", l.objects, l.length)
	case l.next != len(l.names):
		return nil, fmt.Errorf("fastlist: the last object ended before attribute %q", l.names[l.next])
	}
	return l.buf.Bytes(), nil
}

// ErrNotANumber is returned for a number text that is not a decimal number.
var ErrNotANumber = errors.New("not a decimal number")

// encodeNumber writes a number as tftypes does for the *big.Float that
// big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven) gives: an
// integer that fits in 64 bits as a MessagePack integer, a non-integer
// that a float64 holds exactly as a float64, and anything else as the
// string of its shortest decimal text. Plain integer texts take a short
// path that gives the same bytes.
func encodeNumber(enc *msgpack.Encoder, text string) error {
	if i, ok := plainInt64(text); ok {
		return enc.EncodeInt(i)
	}
	f, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
	if err != nil || f.IsInf() {
		return fmt.Errorf("%q is %w", text, ErrNotANumber)
	}
	return encodeBigFloat(enc, f)
}

// encodeBigFloat writes f by tftypes' rules for numbers.
func encodeBigFloat(enc *msgpack.Encoder, f *big.Float) error {
	if i, acc := f.Int64(); acc == big.Exact {
		return enc.EncodeInt(i)
	}
	if v, acc := f.Float64(); acc == big.Exact && !f.IsInt() {
		return enc.EncodeFloat64(v)
	}
	return enc.EncodeString(f.Text('f', -1))
}

// plainInt64 reads an optional minus sign and 1 to 18 digits: every such
// integer fits in an int64, and its *big.Float is exact.
func plainInt64(s string) (int64, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for i := range len(digits) {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if len(s) != len(digits) {
		v = -v
	}
	return v, true
}

// A Field writes one attribute of a T.
type Field[T any] struct {
	Name  string
	Write func(l *ObjectList, name string, item *T)
}

// ItemError is a failure to encode one item of a list.
type ItemError struct {
	Index int // in the items given to EncodeList
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %s", e.Index, e.Err) }

func (e *ItemError) Unwrap() error { return e.Err }

// EncodeList encodes items as a list of objects with one attribute per
// field, in whatever order fields are given.
func EncodeList[T any](items []T, fields []Field[T], sizeHint int) ([]byte, error) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	l := NewObjectList(len(items), names, sizeHint)
	byName := make(map[string]Field[T], len(fields))
	for _, f := range fields {
		byName[f.Name] = f
	}
	if len(byName) != len(fields) {
		return nil, errors.New("fastlist: two fields have the same name")
	}
	sorted := make([]Field[T], len(fields))
	for i, name := range l.Names() {
		sorted[i] = byName[name]
	}
	for i := range items {
		l.Begin()
		for _, f := range sorted {
			f.Write(l, f.Name, &items[i])
		}
		if l.err != nil {
			return nil, &ItemError{Index: i, Err: l.err}
		}
	}
	return l.Bytes()
}
