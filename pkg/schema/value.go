package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/template"
	yaml "go.yaml.in/yaml/v4"
)

// maxDepth bounds the nesting of a decoded document. The YAML parser already
// refuses deeper text, but aliases can stack anchors on top of each other.
const maxDepth = 10000

// docOptions says how to turn a document into a value.
type docOptions struct {
	lookup      func(string) (string, bool) // never nil
	interpolate bool                        // the file holds a $
	resets      bool                        // the file holds a !reset
}

// documentValue turns one YAML document into the value the schema checks:
// plain JSON types (string keys, no time.Time, finite numbers), with !reset
// entries dropped as compose-go drops them, and ${VAR} interpolated. ok is
// false for documents there is nothing to say about: empty (null) documents,
// and documents that do not decode (alias bombs, anchors that contain
// themselves, sequences as keys), which are the YAML layer's to report.
func documentValue(doc *yaml.Node, opts docOptions) (any, bool) {
	if isNull(doc) {
		return nil, false
	}
	if opts.resets && hasReset(doc, 0) {
		doc = withoutResets(doc, map[*yaml.Node]*yaml.Node{}, 0)
	}
	var raw any
	if err := doc.Decode(&raw); err != nil {
		return nil, false
	}
	v, ok := plain(raw, 0)
	if !ok {
		return nil, false
	}
	m, isMap := v.(map[string]any)
	if !opts.interpolate || !isMap {
		return v, true
	}
	// A value whose interpolation fails (${VAR:?required} unset, a lone $)
	// keeps its raw text; the interpolation error is reported elsewhere.
	out, err := interpolation.Interpolate(m, interpolation.Options{
		LookupValue: opts.lookup,
		Substitute:  substitute,
	})
	if err != nil {
		return m, true
	}
	return out, true
}

func substitute(s string, m template.Mapping) (string, error) {
	if strings.IndexByte(s, '$') < 0 {
		return s, nil
	}
	// WithoutLogging only reaches the outer level: compose-go still logs a
	// warning (through logrus, on stderr) for each unset variable of a nested
	// substitution, such as ${A:-${B}}. Telling it that an unset variable is
	// set to "" changes no result, except for the operators that tell unset
	// from empty (${B-x}, ${B+x}, ${B?x}): those get the truth (and a plain
	// $B in the same value may then still be logged).
	quiet := func(name string) (string, bool) {
		v, ok := m(name)
		if ok || bareOperator(s, name) {
			return v, ok
		}
		return "", true
	}
	r, err := template.SubstituteWithOptions(s, quiet, template.WithoutLogging)
	if err != nil {
		return s, nil
	}
	return r, nil
}

// bareOperator reports whether s uses name with an operator that tells an
// unset variable from an empty one.
func bareOperator(s, name string) bool {
	for _, op := range [...]string{"-", "+", "?"} {
		if strings.Contains(s, "${"+name+op) {
			return true
		}
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// plain converts a decoded YAML value, in place where it can, into the types
// the JSON schema validator understands, as a round trip through
// encoding/json would, but without failing on what JSON cannot represent
// (NaN, infinities) and keeping integers as integers. Decoding may share one
// map between the places an alias expands to: converting it twice is
// harmless, as plain values convert to themselves.
func plain(v any, depth int) (any, bool) {
	if depth > maxDepth {
		return nil, false
	}
	switch x := v.(type) {
	case nil, string, bool, int, int64, uint64:
		return x, true
	case map[string]any:
		for k, e := range x {
			pe, ok := plain(e, depth+1)
			if !ok {
				return nil, false
			}
			x[k] = pe
		}
		return x, true
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			pe, ok := plain(e, depth+1)
			if !ok {
				return nil, false
			}
			out[keyString(k)] = pe
		}
		return out, true
	case []any:
		for i, e := range x {
			pe, ok := plain(e, depth+1)
			if !ok {
				return nil, false
			}
			x[i] = pe
		}
		return x, true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return floatString(x), true
		}
		return x, true
	case int8, int16, int32, uint, uint8, uint16, uint32:
		return x, true
	case float32:
		return plain(float64(x), depth)
	case time.Time:
		return x.Format(time.RFC3339Nano), true
	case []byte:
		return string(x), true
	default:
		return fmt.Sprint(x), true
	}
}

// keyString is the string a decoded mapping key stands for.
func keyString(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return floatString(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(x)
	}
}

func floatString(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// isReset reports whether n (or the anchor an alias n points to) carries
// compose's !reset tag, which removes the entry.
func isReset(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n.Tag == "!reset"
}

// hasReset reports whether any node of the tree (aliases not followed: their
// anchors are in the tree themselves) is tagged !reset.
func hasReset(n *yaml.Node, depth int) bool {
	if n == nil || depth > maxDepth {
		return false
	}
	if n.Tag == "!reset" {
		return true
	}
	for _, c := range n.Content {
		if hasReset(c, depth+1) {
			return true
		}
	}
	return false
}

// withoutResets copies the tree without the mapping entries and sequence
// items tagged !reset. Aliases in the copy point to the copies of their
// anchors, so that decoding expands them without the reset entries either.
func withoutResets(n *yaml.Node, copies map[*yaml.Node]*yaml.Node, depth int) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := copies[n]; ok {
		return c
	}
	c := new(yaml.Node)
	*c = *n
	copies[n] = c
	if depth > maxDepth {
		c.Content = nil
		return c
	}
	if n.Kind == yaml.AliasNode {
		c.Alias = withoutResets(n.Alias, copies, depth+1)
		return c
	}
	if len(n.Content) == 0 {
		return c
	}
	c.Content = make([]*yaml.Node, 0, len(n.Content))
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isReset(n.Content[i+1]) {
				continue
			}
			c.Content = append(c.Content, withoutResets(n.Content[i], copies, depth+1), withoutResets(n.Content[i+1], copies, depth+1))
		}
	default:
		for _, item := range n.Content {
			if isReset(item) {
				continue
			}
			c.Content = append(c.Content, withoutResets(item, copies, depth+1))
		}
	}
	return c
}
