// Package schema checks Compose files against the Compose JSON schema that
// compose-go ships, and reports every violation, each located at the YAML
// node that causes it (compose-go itself stops at the single most specific
// error, and knows no positions).
package schema

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	composeschema "github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// Violation is one schema error, located at the YAML node that causes it.
type Violation struct {
	Node    *yaml.Node // the node to point at; never nil
	Message string     // one line: the dotted path, a colon, what is wrong
}

// Validate checks each YAML document of f against the Compose schema and
// returns every violation, in document order (sorted by line, column).
// lookup supplies interpolation values for ${VAR}; nil means no variable is
// set. A file that did not parse, or has no documents, gives nil.
//
// Validate is safe for concurrent use.
func Validate(f *source.File, lookup func(string) (string, bool)) []Violation {
	if f == nil || f.Err != nil || len(f.Docs) == 0 {
		return nil
	}
	c, err := compiled()
	if err != nil {
		return []Violation{{Node: f.Docs[0], Message: "cannot check the Compose schema: " + err.Error()}}
	}
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	// Cheap whole-file tests spare the per-document walks when they cannot
	// matter: no $ means nothing to interpolate, no !reset nothing to drop.
	opts := docOptions{
		lookup:      lookup,
		interpolate: bytes.IndexByte(f.Content, '$') >= 0,
		resets:      bytes.Contains(f.Content, []byte("!reset")),
	}
	var out []Violation
	for _, doc := range f.Docs {
		out = append(out, c.validateDoc(doc, opts)...)
	}
	slices.SortStableFunc(out, func(a, b Violation) int {
		if a.Node.Line != b.Node.Line {
			return a.Node.Line - b.Node.Line
		}
		if a.Node.Column != b.Node.Column {
			return a.Node.Column - b.Node.Column
		}
		return strings.Compare(a.Message, b.Message)
	})
	return out
}

// validateDoc validates one document. Anything unexpected in the libraries
// underneath (a panic on a value nobody foresaw) costs this document its
// violations, not the caller its process.
func (c *compiledSchema) validateDoc(doc *yaml.Node, opts docOptions) (out []Violation) {
	if doc == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			out = nil
		}
	}()
	value, ok := documentValue(doc, opts)
	if !ok {
		return nil
	}
	err := c.schema.Validate(value)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Violation{{Node: doc, Message: "top level: " + err.Error()}}
	}
	leaves := c.collect(verr, nil)
	return violations(doc, leaves)
}

// compiledSchema is the Compose schema, compiled once per process, with the
// owners of its unevaluatedProperties keywords indexed by the location of
// that keyword (see knownProperty).
type compiledSchema struct {
	schema      *jsonschema.Schema
	unevaluated map[string]*jsonschema.Schema
}

var (
	compileOnce sync.Once
	compiledVal *compiledSchema
	compileErr  error
)

func compiled() (*compiledSchema, error) {
	compileOnce.Do(func() {
		compiledVal, compileErr = compile()
	})
	return compiledVal, compileErr
}

const schemaURL = "compose-spec.json"

func compile() (*compiledSchema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(composeschema.Schema))
	if err != nil {
		return nil, fmt.Errorf("reading the Compose schema: %w", err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("loading the Compose schema: %w", err)
	}
	comp.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: checkDuration})
	sch, err := comp.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compiling the Compose schema: %w", err)
	}
	c := &compiledSchema{schema: sch, unevaluated: map[string]*jsonschema.Schema{}}
	c.indexUnevaluated(sch, map[*jsonschema.Schema]bool{})
	return c, nil
}

// checkDuration validates the "duration" format (Go duration syntax, as
// compose-go parses it). Like every format, it says nothing about values that
// are not strings: the type keyword judges those.
func checkDuration(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	_, err := time.ParseDuration(s)
	return err
}

// indexUnevaluated records every schema that has an unevaluatedProperties
// keyword, under the location of that keyword, which is where the
// validator's errors about it come from.
func (c *compiledSchema) indexUnevaluated(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.UnevaluatedProperties != nil {
		c.unevaluated[s.UnevaluatedProperties.Location] = s
	}
	for _, sub := range subschemas(s) {
		c.indexUnevaluated(sub, seen)
	}
}

// subschemas lists every schema s refers to directly.
func subschemas(s *jsonschema.Schema) []*jsonschema.Schema {
	subs := []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else,
		s.PropertyNames, s.UnevaluatedProperties, s.Contains, s.Items2020, s.UnevaluatedItems, s.ContentSchema}
	if s.DynamicRef != nil {
		subs = append(subs, s.DynamicRef.Ref)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	subs = append(subs, s.PrefixItems...)
	for _, p := range s.Properties {
		subs = append(subs, p)
	}
	for _, p := range s.PatternProperties {
		subs = append(subs, p)
	}
	for _, p := range s.DependentSchemas {
		subs = append(subs, p)
	}
	for _, d := range s.Dependencies {
		if p, ok := d.(*jsonschema.Schema); ok {
			subs = append(subs, p)
		}
	}
	if p, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		subs = append(subs, p)
	}
	switch items := s.Items.(type) {
	case *jsonschema.Schema:
		subs = append(subs, items)
	case []*jsonschema.Schema:
		subs = append(subs, items...)
	}
	if p, ok := s.AdditionalItems.(*jsonschema.Schema); ok {
		subs = append(subs, p)
	}
	return subs
}

// knownProperty reports whether the object schema s, through its own
// properties or the subschemas it applies to the same object (allOf, $ref,
// ...), declares the property name.
//
// The validator only counts a property as evaluated by an allOf branch when
// the whole branch succeeds; so one error inside, say, healthcheck makes
// every other property of that branch (image, ports, ...) "unevaluated", and
// unevaluatedProperties: false then rejects them all. Those rejections are
// noise: the real error is reported on its own.
func knownProperty(s *jsonschema.Schema, name string, depth int) bool {
	if s == nil || depth > 32 {
		return false
	}
	if _, ok := s.Properties[name]; ok {
		return true
	}
	for re := range s.PatternProperties {
		if re.MatchString(name) {
			return true
		}
	}
	if p, ok := s.AdditionalProperties.(*jsonschema.Schema); ok && p != nil {
		return true
	}
	same := []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.If, s.Then, s.Else}
	if s.DynamicRef != nil {
		same = append(same, s.DynamicRef.Ref)
	}
	same = append(same, s.AllOf...)
	same = append(same, s.AnyOf...)
	same = append(same, s.OneOf...)
	for _, p := range s.DependentSchemas {
		same = append(same, p)
	}
	for _, sub := range same {
		if knownProperty(sub, name, depth+1) {
			return true
		}
	}
	return false
}
