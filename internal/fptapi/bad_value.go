package fptapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxValueShown is how much of a value that cannot be used an error shows.
const maxValueShown = 64

// badValue is a field of a bill line or a statement that the API sent in
// a form the provider cannot use: a number that is not one, an object
// where a number belongs, a day that is not a date, a required field left
// out. The answer is the API's JSON envelope, so it is neither a proxy's
// page nor a transport fault: the same request gives the same value, and
// retrying it is pointless. It becomes a KindBadValue *APIError that names
// the field, the value, the line or statement and the page.
type badValue struct {
	item   string // "bill line 3" or "statement 2": its 1-based place in its page
	ident  string // `day 2024-09-01, service "Instance", name "web-01"`, or `id "…"`
	where  string // the page: "page 2", "search_date=2024-09-01", "the page at offset 40"
	field  string // the JSON key
	value  string // the JSON text sent, cut to maxValueShown bytes; "" when absent
	reason string // "is not a number", ...
}

func (b *badValue) Error() string {
	var s strings.Builder
	s.WriteString(b.item)
	if b.where != "" {
		fmt.Fprintf(&s, " of %s", b.where)
	}
	if b.ident != "" {
		fmt.Fprintf(&s, " (%s)", b.ident)
	}
	if b.value == "" {
		fmt.Fprintf(&s, ": %q %s", b.field, b.reason)
	} else {
		fmt.Fprintf(&s, ": %q is %s, which %s", b.field, b.value, b.reason)
	}
	return s.String()
}

// withPage returns err as the KindBadValue *APIError of the page named
// where, when err is a badValue; any other err is returned as is.
func withPage(err error, where string) error {
	var bad *badValue
	if !errors.As(err, &bad) {
		return err
	}
	named := *bad
	named.where = where
	return &APIError{Kind: KindBadValue, Message: named.Error()}
}

// shownValue is raw cut to maxValueShown bytes on a rune boundary, valid UTF-8.
func shownValue(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) <= maxValueShown {
		return strings.ToValidUTF8(string(raw), "?")
	}
	cut := maxValueShown
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return strings.ToValidUTF8(string(raw[:cut]), "?") + "…"
}

// fieldKind is what a field of a line or statement must hold.
type fieldKind int

const (
	fieldString  fieldKind = iota // a JSON string or null
	fieldNumber                   // a JSON number, a string holding one (read exactly), or null
	fieldInteger                  // a JSON integer or null
)

func (k fieldKind) reason() string {
	switch k {
	case fieldNumber:
		return "is not a number"
	case fieldInteger:
		return "is not a whole number"
	}
	return "is not a string"
}

// accepts reports whether raw, a JSON value, fits k as encoding/json would
// decode it into the field's Go type.
func (k fieldKind) accepts(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return false
	}
	if string(raw) == "null" {
		return true
	}
	switch k {
	case fieldString:
		return raw[0] == '"'
	case fieldNumber:
		if raw[0] == '"' {
			var s string
			return json.Unmarshal(raw, &s) == nil && jsonNumber.MatchString(s)
		}
		return jsonNumber.Match(raw)
	case fieldInteger:
		var n int64
		return raw[0] != '"' && json.Unmarshal(raw, &n) == nil
	}
	return false
}

// objectFields reads raw as a JSON object, keyed as encoding/json matches
// struct fields: exact name first, otherwise any case.
type objectFields map[string]json.RawMessage

func parseObject(raw []byte) (objectFields, bool) {
	var fields objectFields
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, false
	}
	return fields, true
}

func (o objectFields) get(name string) (json.RawMessage, bool) {
	if v, ok := o[name]; ok {
		return v, true
	}
	for k, v := range o {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// text is the field as a string, when it is one.
func (o objectFields) text(name string) (string, bool) {
	raw, ok := o.get(name)
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// firstBad is the first field of o, in the order of fields, whose value
// its kind does not accept.
func (o objectFields) firstBad(fields []typedField) (string, json.RawMessage, fieldKind, bool) {
	for _, f := range fields {
		if raw, ok := o.get(f.name); ok && !f.kind.accepts(raw) {
			return f.name, raw, f.kind, true
		}
	}
	return "", nil, 0, false
}

type typedField struct {
	name string
	kind fieldKind
}

// lineIdent names a bill line by what it holds of day, service and name.
func lineIdent(day, service, name string) string {
	var parts []string
	if day != "" {
		parts = append(parts, "day "+shownValue([]byte(day)))
	}
	if service != "" {
		parts = append(parts, "service "+shownValue([]byte(fmt.Sprintf("%q", service))))
	}
	if name != "" {
		parts = append(parts, "name "+shownValue([]byte(fmt.Sprintf("%q", name))))
	}
	return strings.Join(parts, ", ")
}

// diagnoseBillLine finds why raw, the JSON text of line n of a page, does
// not decode; false when it finds no field to blame.
func diagnoseBillLine(raw []byte, n int) (*badValue, bool) {
	fields, ok := parseObject(raw)
	if !ok {
		return nil, false
	}
	name, value, kind, ok := fields.firstBad(billLineFields)
	if !ok {
		return nil, false
	}
	day, _ := fields.text("day")
	service, _ := fields.text("service")
	lineName, _ := fields.text("name")
	return &badValue{
		item: fmt.Sprintf("bill line %d", n), ident: lineIdent(day, service, lineName),
		field: name, value: shownValue(value), reason: kind.reason(),
	}, true
}

// diagnoseStatement finds why raw, the JSON text of statement n of a page,
// does not decode; false when it finds no field to blame.
func diagnoseStatement(raw []byte, n int) (*badValue, bool) {
	fields, ok := parseObject(raw)
	if !ok {
		return nil, false
	}
	name, value, kind, ok := fields.firstBad(statementFields)
	if !ok {
		return nil, false
	}
	bad := &badValue{item: fmt.Sprintf("statement %d", n), field: name, value: shownValue(value), reason: kind.reason()}
	if id, ok := fields.text("id"); ok && id != "" {
		bad.ident = "id " + shownValue([]byte(fmt.Sprintf("%q", id)))
	}
	return bad, true
}
