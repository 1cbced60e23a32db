package fptapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// errShape marks a JSON body that parses but is not the API's envelope.
var errShape = errors.New("unexpected response shape")

// Status is the envelope's "status": an integer in the Console API, a
// boolean in the statements API. Both are accepted.
type Status struct {
	raw string // the JSON text, kept for messages
	ok  bool
}

// UnmarshalJSON accepts true, false and integers.
func (s *Status) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s.raw = string(b)
	switch s.raw {
	case "true":
		s.ok = true
		return nil
	case "false", "null":
		s.ok = false
		return nil
	}
	n, err := strconv.ParseInt(s.raw, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: status is %s, want an integer or a boolean", errShape, s.raw)
	}
	// Success is 0 (the Console API) or an HTTP-like 2xx code.
	s.ok = n == 0 || (n >= 200 && n <= 299)
	return nil
}

// OK reports whether the status means success.
func (s Status) OK() bool { return s.ok }

func (s Status) String() string { return s.raw }

// envelope is the outer shape of every FPT response (seeds 000, 001, 003).
// Inferred: the success rule (status true, 0 or 2xx, with a 2xx HTTP
// status). When it is wrong, a success is reported as an API error that
// quotes the API's message and status, never read as data.
type envelope[T any] struct {
	Status  *Status `json:"status"`
	Message string  `json:"message"`
	Data    T       `json:"data"`
	Total   *int64  `json:"total"`
	Date    string  `json:"date"`
}

// decodeEnvelope reads one envelope from r with a streaming decoder and
// checks its status. Numbers inside data keep their exact text where the
// target type is json.Number.
func decodeEnvelope[T any](r io.Reader) (*envelope[T], error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	env := new(envelope[T])
	if err := dec.Decode(env); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one JSON value in the body", errShape)
	}
	if err := env.check(); err != nil {
		return nil, err
	}
	return env, nil
}

// check applies the success rule: the body status must be true, 0 or 2xx.
func (e *envelope[T]) check() error {
	if e.Status == nil {
		return fmt.Errorf("%w: the body has no status", errShape)
	}
	if !e.Status.OK() {
		msg := e.Message
		if msg == "" {
			msg = "the API reported a failure without a message"
		}
		return &APIError{Kind: KindAPI, Message: fmt.Sprintf("%s (API status %s)", msg, e.Status)}
	}
	return nil
}
