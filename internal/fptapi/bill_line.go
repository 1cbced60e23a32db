//go:generate go run ./record/gen

package fptapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fptcloud-billing/terraform-provider-fptcloud/internal/calendar"
)

// check reports a missing required field or a malformed day, as a
// *badValue without its place (the caller knows it).
func (l *BillLine) check() error {
	bad := func(field, value, reason string) error {
		return &badValue{ident: lineIdent(l.Day, l.Service, l.Name), field: field, value: value, reason: reason}
	}
	const missing = "is missing, or empty, but every bill line has one"
	for _, f := range l.requiredFields() {
		switch {
		case f.text == "":
			return bad(f.name, "", missing)
		case f.name == "day" && !calendar.IsDay(f.text):
			return bad("day", shownValue([]byte(fmt.Sprintf("%q", f.text))), "is not a date (YYYY-MM-DD)")
		}
	}
	return nil
}

// namedText is a field's JSON key and its text.
type namedText struct{ name, text string }

// The hash key of a line (appendHashKey, generated) writes every field
// with its length, so that different lines do not run together; null is
// "~", which no length starts with.

func appendKeyText(buf []byte, s string) []byte {
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, ':')
	return append(buf, s...)
}

func appendKeyOptText(buf []byte, s *string) []byte {
	if s == nil {
		return append(buf, '~')
	}
	return appendKeyText(buf, *s)
}

func appendKeyOptNumber(buf []byte, n *json.Number) []byte {
	if n == nil {
		return append(buf, '~')
	}
	return appendKeyText(buf, n.String())
}

// billEnvelope is a decoded response of either bill endpoint: the envelope
// (seed 001) plus the paging fields of the POST endpoint (inferred, see
// bills.go).
type billEnvelope struct {
	Status   *Status
	Message  string
	Date     string // GET: echoes search_date
	Total    *int64 // POST: lines in the whole range
	Page     *int64 // POST: echoes page
	PageSize *int64 // POST: echoes page_size
	Lines    []BillLine
}

// decodeBillEnvelope reads a bill response token by token, decoding the
// lines of "data" one at a time, so that the decoder never buffers more than
// one line of JSON text. maxLines > 0 bounds how many lines are accepted (a
// page must not hold more than its page size).
func decodeBillEnvelope(r io.Reader, maxLines int) (*billEnvelope, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	env := &billEnvelope{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		switch key {
		case "status":
			var s *Status
			if err := dec.Decode(&s); err != nil {
				return nil, err
			}
			env.Status = s
		case "message":
			var m *string
			if err := dec.Decode(&m); err != nil {
				return nil, err
			}
			if m != nil {
				env.Message = *m
			}
		case "date":
			var d *string
			if err := dec.Decode(&d); err != nil {
				return nil, err
			}
			if d != nil {
				env.Date = *d
			}
		case "total":
			if env.Total, err = decodeCount(dec, key); err != nil {
				return nil, err
			}
		case "page":
			if env.Page, err = decodeCount(dec, key); err != nil {
				return nil, err
			}
		case "page_size":
			if env.PageSize, err = decodeCount(dec, key); err != nil {
				return nil, err
			}
		case "data":
			if err := env.decodeLines(dec, maxLines); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one JSON value in the body", errShape)
	}
	if err := (&envelope[struct{}]{Status: env.Status, Message: env.Message}).check(); err != nil {
		return nil, err
	}
	return env, nil
}

// decodeLines reads "data": null or an array of bill lines.
func (env *billEnvelope) decodeLines(dec *json.Decoder, maxLines int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // "data": null, as in a failure envelope
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%w: \"data\" is not an array of bill lines", errShape)
	}
	lines := newLineDecoder()
	var raw json.RawMessage
	for dec.More() {
		if maxLines > 0 && len(env.Lines) >= maxLines {
			return fmt.Errorf("%w: the page holds more than %d lines", errShape, maxLines)
		}
		if err := dec.Decode(&raw); err != nil {
			return err // a truncated or broken body: the transport's business
		}
		env.Lines = append(env.Lines, BillLine{})
		line := &env.Lines[len(env.Lines)-1]
		if err := lines.decode(raw, line); err != nil {
			// The text is valid JSON (the decoder above checked it), so a
			// failure is a value of the wrong kind: name it.
			if bad, ok := diagnoseBillLine(raw, len(env.Lines)); ok {
				return bad
			}
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) || strings.HasPrefix(err.Error(), "json: ") {
				return fmt.Errorf("%w: bill line %d: %w", errShape, len(env.Lines), err)
			}
			return err
		}
		if err := line.check(); err != nil {
			var bad *badValue
			if errors.As(err, &bad) {
				bad.item = fmt.Sprintf("bill line %d", len(env.Lines))
			}
			return err
		}
	}
	_, err = dec.Token() // the closing ]
	return err
}

func decodeCount(dec *json.Decoder, key string) (*int64, error) {
	var n *json.Number
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	if n == nil {
		return nil, nil
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || v < 0 {
		return nil, fmt.Errorf("%w: %q is %s, want a whole number of at least 0", errShape, key, n)
	}
	return &v, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%w: want %q, found %v", errShape, want, tok)
	}
	return nil
}
