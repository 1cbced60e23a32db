package fptapi

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// lineDecoder decodes the bill lines of one page. Its fast path reads the
// common shape of a line (an object of the known keys, each with a string,
// a number or null, no escapes) straight from the line's JSON text: the
// strings it sees again are shared rather than allocated again, and the
// values that optional fields point to come from slabs, not one allocation
// each. Anything else goes to encoding/json, so a line decodes to the same
// BillLine either way (a fuzz test holds the two paths to it).
type lineDecoder struct {
	strings map[string]string
	texts   []string      // slab behind the *string fields
	numbers []json.Number // slab behind the *json.Number fields
}

// maxInterned bounds the strings one page shares.
const maxInterned = 4096

// slabSize is how many values one slab allocation holds.
const slabSize = 1024

func newLineDecoder() *lineDecoder {
	return &lineDecoder{strings: make(map[string]string, 256)}
}

// decode fills l from raw, the JSON text of one line, already checked to
// be valid JSON by the caller's decoder.
func (d *lineDecoder) decode(raw []byte, l *BillLine) error {
	if d.decodeFast(raw, l) {
		return nil
	}
	*l = BillLine{} // the fast path may have filled part of it
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(l)
}

func (d *lineDecoder) intern(b []byte) string {
	if s, ok := d.strings[string(b)]; ok { // no allocation for the look-up
		return s
	}
	s := string(b)
	if len(d.strings) < maxInterned {
		d.strings[s] = s
	}
	return s
}

func (d *lineDecoder) text(b []byte) *string {
	if len(d.texts) == cap(d.texts) {
		d.texts = make([]string, 0, slabSize)
	}
	d.texts = append(d.texts, d.intern(b))
	return &d.texts[len(d.texts)-1]
}

func (d *lineDecoder) number(b []byte) *json.Number {
	if len(d.numbers) == cap(d.numbers) {
		d.numbers = make([]json.Number, 0, slabSize)
	}
	d.numbers = append(d.numbers, json.Number(d.intern(b)))
	return &d.numbers[len(d.numbers)-1]
}

// valueKind is what a fast-path value is.
type valueKind int

const (
	kindNull valueKind = iota
	kindString
	kindNumber
)

// decodeFast reads raw into l and reports whether it could. On false, l
// may hold part of the line and must be thrown away.
func (d *lineDecoder) decodeFast(raw []byte, l *BillLine) bool {
	p := scanner{b: raw}
	if !p.consume('{') {
		return false
	}
	if p.consume('}') {
		return p.end()
	}
	for {
		key, ok := p.plainString()
		if !ok || !p.consume(':') {
			return false
		}
		kind, val, ok := p.value()
		if !ok || !d.set(l, key, kind, val) {
			return false
		}
		if p.consume(',') {
			continue
		}
		return p.consume('}') && p.end()
	}
}

// The setters of the generated set store one value as encoding/json
// would: null leaves a plain field as it is and sets an optional one to nil.

func (d *lineDecoder) setText(field *string, kind valueKind, val []byte) bool {
	switch kind {
	case kindString:
		*field = d.intern(val)
	case kindNull:
	default:
		return false
	}
	return true
}

func (d *lineDecoder) setOptText(field **string, kind valueKind, val []byte) bool {
	switch kind {
	case kindString:
		*field = d.text(val)
	case kindNull:
		*field = nil
	default:
		return false
	}
	return true
}

func (d *lineDecoder) setOptNumber(field **json.Number, kind valueKind, val []byte) bool {
	switch kind {
	case kindNumber:
		*field = d.number(val)
	case kindNull:
		*field = nil
	default:
		return false // a number in a string is left to encoding/json
	}
	return true
}

func setNumber(field *json.Number, kind valueKind, val []byte) bool {
	switch kind {
	case kindNumber:
		*field = json.Number(string(val)) // prices rarely repeat
	case kindNull:
	default:
		return false
	}
	return true
}

// scanner walks JSON text that is known to be valid.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *scanner) consume(c byte) bool {
	p.skipSpace()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scanner) end() bool {
	p.skipSpace()
	return p.i == len(p.b)
}

// plainString reads a string with no escapes and valid UTF-8, and returns
// its bytes without the quotes.
func (p *scanner) plainString() ([]byte, bool) {
	if !p.consume('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// value reads a plain string, a number or null.
func (p *scanner) value() (valueKind, []byte, bool) {
	p.skipSpace()
	if p.i >= len(p.b) {
		return 0, nil, false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		s, ok := p.plainString()
		return kindString, s, ok
	case c == 'n':
		if bytes.HasPrefix(p.b[p.i:], []byte("null")) {
			p.i += 4
			return kindNull, nil, true
		}
	case c == '-' || ('0' <= c && c <= '9'):
		start := p.i
		for p.i < len(p.b) && isNumberByte(p.b[p.i]) {
			p.i++
		}
		return kindNumber, p.b[start:p.i], true
	}
	return 0, nil, false // true, false, an object or an array
}

// isNumberByte reports whether c can be part of a JSON number.
func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}
