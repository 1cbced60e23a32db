// Package fastlist puts large computed lists into the state of a data
// source without the framework's reflection.
//
// terraform-plugin-framework turns a data source's model into state by
// reflection and then walks the whole state again (equality, semantic
// equality, null collection blocks) before terraform-plugin-go encodes it as
// MessagePack. For a list of tens of thousands of objects that costs far
// more than the read itself. Here a data source encodes such a list itself
// (ObjectList), hands it over through the request's context (Offer), leaves
// the attribute null in its model, and the protocol server wrapped by Server
// writes the encoded list in place of that null in the framework's response.
//
// What this relies on, each checked by a test of this package or of the
// provider:
//   - the framework passes the context of the ReadDataSource call on to the
//     data source's Read, and encodes a state as MessagePack, an object as a
//     map of its attributes;
//   - tftypes' MessagePack rules for strings, numbers, nulls, lists and
//     objects, which ObjectList follows byte for byte;
//   - the wrapper hides none of the optional server interfaces that the
//     provider uses (it uses none of them; see the test).
//
// A data source read without Server (Offer returns false) sets the list in
// its model as usual: both ways give the same state.
package fastlist

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Server wraps a provider server so that its data sources can Offer
// encoded lists.
func Server(inner tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return &server{ProviderServer: inner}
}

type server struct {
	tfprotov6.ProviderServer
}

type slotKey struct{}

// slot carries the encoded attributes of one ReadDataSource call from the
// data source's Read to the server.
type slot struct {
	attributes map[string][]byte
}

// Offer hands the MessagePack encoding of a top-level attribute of the
// data source being read to the server, which writes it into the state in
// place of the null the data source leaves there. It returns false when the
// read does not go through Server: the caller then sets the attribute in its
// model itself.
func Offer(ctx context.Context, attribute string, encoded []byte) bool {
	s, ok := ctx.Value(slotKey{}).(*slot)
	if !ok {
		return false
	}
	s.attributes[attribute] = encoded
	return true
}

// Accepts reports whether Offer would take an attribute in ctx, so that a
// data source can choose how to build its list before building it.
func Accepts(ctx context.Context) bool {
	_, ok := ctx.Value(slotKey{}).(*slot)
	return ok
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	sl := &slot{attributes: map[string][]byte{}}
	resp, err := s.ProviderServer.ReadDataSource(context.WithValue(ctx, slotKey{}, sl), req)
	if err != nil || resp == nil || len(sl.attributes) == 0 || resp.State == nil || hasError(resp.Diagnostics) {
		return resp, err
	}
	state, spliceErr := Splice(resp.State.MsgPack, sl.attributes)
	if spliceErr != nil {
		resp.State = nil
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Provider bug: cannot write the data source's state",
			Detail: fmt.Sprintf("Writing the encoded lists of %s into its state failed: %s. This is a bug in the provider; "+
				"please report it with the provider and Terraform versions.", req.TypeName, spliceErr),
		})
		return resp, nil
	}
	resp.State.MsgPack = state
	return resp, nil
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool {
		return d != nil && d.Severity == tfprotov6.DiagnosticSeverityError
	})
}

// Splice returns the MessagePack object state with the value of each named
// attribute, which must be null, replaced by its encoding. Every other byte
// is kept.
func Splice(state []byte, attributes map[string][]byte) ([]byte, error) {
	if len(state) == 0 {
		return nil, fmt.Errorf("the state is empty, not a MessagePack object")
	}
	r := bytes.NewReader(state)
	dec := msgpack.NewDecoder(r)
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("the state is not a MessagePack object: %w", err)
	}
	size := len(state)
	for _, v := range attributes {
		size += len(v)
	}
	out := make([]byte, 0, size)
	copied := 0 // state[:copied] is in out
	found := 0
	for range n {
		name, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("reading an attribute name of the state: %w", err)
		}
		start := len(state) - r.Len()
		if err := dec.Skip(); err != nil {
			return nil, fmt.Errorf("reading the state's attribute %q: %w", name, err)
		}
		end := len(state) - r.Len()
		encoded, ok := attributes[name]
		if !ok {
			continue
		}
		if end != start+1 || state[start] != msgpcode.Nil {
			return nil, fmt.Errorf("the state's attribute %q is not null: it would be written twice", name)
		}
		out = append(out, state[copied:start]...)
		out = append(out, encoded...)
		copied = end
		found++
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("the state has %d bytes after its object", r.Len())
	}
	if found != len(attributes) {
		return nil, fmt.Errorf("the state lacks some of the attributes %v", slices.Sorted(maps.Keys(attributes)))
	}
	return append(out, state[copied:]...), nil
}
