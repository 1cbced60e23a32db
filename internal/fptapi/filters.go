package fptapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// Filter operators of the statements API. The vendor's example shows only
// "contains"; the rest are inferred (see the API contract).
const (
	OpEq       = "eq"
	OpNe       = "ne"
	OpContains = "contains"
	OpGt       = "gt"
	OpGte      = "gte"
	OpLt       = "lt"
	OpLte      = "lte"
)

// FilterOps lists every filter operator, in the order documentation shows them.
var FilterOps = []string{OpEq, OpNe, OpContains, OpGt, OpGte, OpLt, OpLte}

// Statement fields, as the API names them in data, sortField and filters.
const (
	FieldID           = "id"
	FieldResourceID   = "resource_id"
	FieldResourceType = "resource_type"
	FieldStatus       = "status"
	FieldType         = "type"
	FieldAmount       = "amount"
	FieldStartedTime  = "started_time"
	FieldDueTime      = "due_time"
)

// StatementFields lists the fields of a statement.
var StatementFields = []string{
	FieldID, FieldResourceID, FieldResourceType, FieldStatus, FieldType, FieldAmount, FieldStartedTime, FieldDueTime,
}

// NumericStatementFields are the statement fields whose values are JSON
// numbers. A filter on one of them sends its value as a number when the
// value is written as one (e.g. 1725003272), so that the API compares
// numbers, not text.
var NumericStatementFields = []string{FieldAmount, FieldStartedTime, FieldDueTime}

// Filter is one condition of the statements API's filters parameter:
// {"key": Key, "op": Op, "val": Value}.
type Filter struct {
	Key   string
	Op    string
	Value string
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// MarshalJSON writes the filter as the API expects it; see NumericStatementFields.
func (f Filter) MarshalJSON() ([]byte, error) {
	var val any = f.Value
	if slices.Contains(NumericStatementFields, f.Key) && jsonNumber.MatchString(f.Value) {
		val = json.Number(f.Value)
	}
	return json.Marshal(struct {
		Key string `json:"key"`
		Op  string `json:"op"`
		Val any    `json:"val"`
	}{f.Key, f.Op, val})
}

// EncodeFilters is the filters query parameter: a JSON array of filters,
// or "" when there are none (the parameter is then left out).
func EncodeFilters(filters []Filter) (string, error) {
	if len(filters) == 0 {
		return "", nil
	}
	for i, f := range filters {
		if f.Key == "" {
			return "", fmt.Errorf("filter %d has an empty key", i)
		}
		if !slices.Contains(FilterOps, f.Op) {
			return "", fmt.Errorf("filter %d on %q has operator %q; use one of %v", i, f.Key, f.Op, FilterOps)
		}
	}
	raw, err := json.Marshal(filters)
	if err != nil {
		return "", fmt.Errorf("encoding filters: %w", err)
	}
	return string(raw), nil
}
