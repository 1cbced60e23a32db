package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stateField is an attribute of the objects of a large list, as the field
// tables (package fptapi/record, generated into record_gen.go) give it.
type stateField struct {
	name        string
	number      bool // a number; otherwise a string
	description string
}

// Items' and statements' attributes and types, from the field tables.
var (
	itemAttributeTypes          = attributeTypes(billItemState)
	statementItemAttributeTypes = attributeTypes(statementState)
)

// itemAttributes describes the fields of a bill line in fptcloud_bills' items.
func itemAttributes() map[string]schema.Attribute { return schemaAttributes(billItemState) }

// statementItemAttributes describes the fields of a statement in
// fptcloud_resource_statements' statements.
func statementItemAttributes() map[string]schema.Attribute { return schemaAttributes(statementState) }

// schemaAttributes are fields as computed attributes of a nested object.
func schemaAttributes(fields []stateField) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for _, f := range fields {
		if f.number {
			attrs[f.name] = schema.NumberAttribute{MarkdownDescription: f.description, Computed: true}
		} else {
			attrs[f.name] = schema.StringAttribute{MarkdownDescription: f.description, Computed: true}
		}
	}
	return attrs
}

// attributeTypes are the types of fields.
func attributeTypes(fields []stateField) map[string]attr.Type {
	typ := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		typ[f.name] = types.StringType
		if f.number {
			typ[f.name] = types.NumberType
		}
	}
	return typ
}
