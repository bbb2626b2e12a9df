package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	yaml "go.yaml.in/yaml/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// leaf is one error of the validator's tree that is worth a violation.
type leaf struct {
	loc  []string
	kind jsonschema.ErrorKind
}

// collect gathers the leaf errors under e. Groups of errors (the whole
// schema, a $ref, allOf) contribute all their leaves; a failed oneOf or anyOf
// contributes only the branch that came closest to matching, since a pile of
// "or it should have been this other shape" errors only confuses.
func (c *compiledSchema) collect(e *jsonschema.ValidationError, out []leaf) []leaf {
	if e == nil {
		return out
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, cause := range e.Causes {
			out = c.collect(cause, out)
		}
		return out
	case *kind.OneOf:
		if k.Subschemas != nil || len(e.Causes) == 0 {
			return append(out, leaf{e.InstanceLocation, e.ErrorKind})
		}
		return append(out, c.bestBranch(e)...)
	case *kind.AnyOf:
		if len(e.Causes) == 0 {
			return append(out, leaf{e.InstanceLocation, e.ErrorKind})
		}
		return append(out, c.bestBranch(e)...)
	case *kind.FalseSchema:
		if c.spurious(e) {
			return out
		}
		return append(out, leaf{e.InstanceLocation, unevaluatedOrFalse(e)})
	default:
		return append(out, leaf{e.InstanceLocation, e.ErrorKind})
	}
}

// additionalProperty is the kind this package gives a property rejected by
// unevaluatedProperties: false, which the validator reports as a `false`
// schema at the property itself.
type additionalProperty struct{ kind.FalseSchema }

func unevaluatedOrFalse(e *jsonschema.ValidationError) jsonschema.ErrorKind {
	if strings.HasSuffix(e.SchemaURL, "/unevaluatedProperties") || strings.HasSuffix(e.SchemaURL, "/additionalProperties") {
		if len(e.InstanceLocation) > 0 {
			return &additionalProperty{}
		}
	}
	return e.ErrorKind
}

// spurious reports whether e rejects, as unevaluated, a property that the
// object's schema does declare: see knownProperty.
func (c *compiledSchema) spurious(e *jsonschema.ValidationError) bool {
	if !strings.HasSuffix(e.SchemaURL, "/unevaluatedProperties") || len(e.InstanceLocation) == 0 {
		return false
	}
	owner := c.unevaluated[e.SchemaURL]
	return owner != nil && knownProperty(owner, e.InstanceLocation[len(e.InstanceLocation)-1], 0)
}

// bestBranch picks, among the failed branches of a oneOf or anyOf, the one
// that went deepest into the value before failing; a branch that failed on
// the very type of the value is the worst. When every branch failed on the
// type, the value fits none of the shapes: one error lists them all.
func (c *compiledSchema) bestBranch(e *jsonschema.ValidationError) []leaf {
	var (
		best      []leaf
		bestScore = -2
		types     []string
		got       string
	)
	for _, cause := range e.Causes {
		leaves := c.collect(cause, nil)
		if len(leaves) == 0 {
			continue
		}
		score := -1
		for _, l := range leaves {
			s := 2 * len(l.loc)
			if t, ok := l.kind.(*kind.Type); ok && len(l.loc) == len(e.InstanceLocation) {
				s = -1
				types = append(types, t.Want...)
				got = t.Got
			} else if isPropertyKind(l.kind) {
				s++
			}
			score = max(score, s)
		}
		if score > bestScore || (score == bestScore && len(leaves) < len(best)) {
			best, bestScore = leaves, score
		}
	}
	if bestScore == -1 && got != "" {
		return []leaf{{e.InstanceLocation, &kind.Type{Got: got, Want: types}}}
	}
	if len(best) == 0 {
		return []leaf{{e.InstanceLocation, e.ErrorKind}}
	}
	return best
}

// isPropertyKind tells errors that point inside the mapping, at one of its
// keys, which makes them more specific than errors about the mapping.
func isPropertyKind(k jsonschema.ErrorKind) bool {
	switch k.(type) {
	case *kind.AdditionalProperties, *additionalProperty, *kind.PropertyNames:
		return true
	}
	return false
}

// violations locates each leaf in the document and words it.
func violations(doc *yaml.Node, leaves []leaf) []Violation {
	type seenKey struct {
		node *yaml.Node
		what string
	}
	seen := map[seenKey]bool{}
	var out []Violation
	// The validator ranges over maps: put the leaves in a stable order, so
	// that the same violation reached by two paths (an anchor merged into
	// two services) is always worded after the same, first, path.
	slices.SortStableFunc(leaves, func(a, b leaf) int { return slices.Compare(a.loc, b.loc) })
	add := func(n *yaml.Node, loc []string, what string) {
		if n == nil {
			n = doc
		}
		// A node reached through an anchor merged into several places is
		// reported once.
		if seen[seenKey{n, what}] {
			return
		}
		seen[seenKey{n, what}] = true
		out = append(out, Violation{Node: n, Message: dotted(loc) + ": " + what})
	}
	for _, l := range leaves {
		// The top-level version is obsolete; another rule says so, whatever
		// its type.
		if len(l.loc) >= 1 && l.loc[0] == "version" {
			continue
		}
		steps := locate(doc, l.loc)
		switch k := l.kind.(type) {
		case *kind.AdditionalProperties:
			props := slices.Clone(k.Properties)
			slices.Sort(props)
			for _, p := range props {
				add(keyNode(doc, steps, l.loc, p), l.loc, fmt.Sprintf("additional property %q is not allowed", p))
			}
		case *additionalProperty:
			parent := l.loc[:len(l.loc)-1]
			add(target(doc, steps), parent, fmt.Sprintf("additional property %q is not allowed", l.loc[len(l.loc)-1]))
		case *kind.PropertyNames:
			add(keyNode(doc, steps, l.loc, k.Property), l.loc, fmt.Sprintf("property name %q is not allowed", k.Property))
		case *kind.UniqueItems:
			n := target(doc, steps)
			if len(steps) == len(l.loc) {
				item := locate(doc, append(slices.Clone(l.loc), strconv.Itoa(k.Duplicates[1])))
				if len(item) == len(l.loc)+1 {
					n = item[len(item)-1].node()
				}
			}
			add(n, l.loc, fmt.Sprintf("item %d duplicates item %d; items must be unique", k.Duplicates[1], k.Duplicates[0]))
		default:
			add(target(doc, steps), l.loc, explain(l.kind))
		}
	}
	return out
}

// target is the node a violation about the value at the end of steps points
// at: the deepest node found, the document itself when none was.
func target(doc *yaml.Node, steps []step) *yaml.Node {
	if len(steps) == 0 {
		return doc
	}
	return steps[len(steps)-1].node()
}

// keyNode finds the key of property name in the mapping at loc, or falls
// back to the deepest node found.
func keyNode(doc *yaml.Node, steps []step, loc []string, name string) *yaml.Node {
	if len(steps) == len(loc) {
		m := doc
		if len(steps) > 0 {
			m = steps[len(steps)-1].value
		}
		if k, _ := lookupKey(resolve(m), name, 0); k != nil {
			return k
		}
	}
	return target(doc, steps)
}

// dotted writes an instance location as services.web.ports.0.
func dotted(loc []string) string {
	if len(loc) == 0 {
		return "top level"
	}
	return strings.Join(loc, ".")
}

var printer = message.NewPrinter(language.English)

// explain words what is wrong with a value, after its path.
func explain(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return "must be " + typeList(k.Want) + ", not " + withArticle(typeName(k.Got))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = literal(w)
		}
		if len(want) == 1 {
			return "must be " + want[0] + ", not " + literal(k.Got)
		}
		return "must be one of " + strings.Join(want, ", ") + ", not " + literal(k.Got)
	case *kind.Const:
		return "must be " + literal(k.Want) + ", not " + literal(k.Got)
	case *kind.Pattern:
		return fmt.Sprintf("%s does not match the pattern %s", literal(k.Got), k.Want)
	case *kind.Required:
		if len(k.Missing) == 1 {
			return fmt.Sprintf("missing required property %q", k.Missing[0])
		}
		return "missing required properties " + quoteAll(k.Missing)
	case *kind.DependentRequired:
		return fmt.Sprintf("%s must be set when %q is", quoteAll(k.Missing), k.Prop)
	case *kind.Dependency:
		return fmt.Sprintf("%s must be set when %q is", quoteAll(k.Missing), k.Prop)
	case *kind.Minimum:
		return "must be greater than or equal to " + k.Want.RatString()
	case *kind.Maximum:
		return "must be less than or equal to " + k.Want.RatString()
	case *kind.ExclusiveMinimum:
		return "must be greater than " + k.Want.RatString()
	case *kind.ExclusiveMaximum:
		return "must be less than " + k.Want.RatString()
	case *kind.MinItems:
		return fmt.Sprintf("must have at least %d item(s), not %d", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("must have at most %d item(s), not %d", k.Want, k.Got)
	case *kind.MinProperties:
		return fmt.Sprintf("must have at least %d entr(y/ies), not %d", k.Want, k.Got)
	case *kind.MaxProperties:
		return fmt.Sprintf("must have at most %d entr(y/ies), not %d", k.Want, k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("must be at least %d character(s) long, not %d", k.Want, k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("must be at most %d character(s) long, not %d", k.Want, k.Got)
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			return "matches none of the allowed forms"
		}
		return "matches more than one of the allowed forms"
	case *kind.AnyOf:
		return "matches none of the allowed forms"
	case *kind.FalseSchema:
		return "is not allowed"
	case *kind.InvalidJsonValue:
		return "is not a value a Compose file can hold"
	}
	return oneLine(k.LocalizedString(printer))
}

func typeName(t string) string {
	switch t {
	case "object":
		return "mapping"
	case "array":
		return "list"
	}
	return t
}

// typeList words the wanted types: "a string or number".
func typeList(want []string) string {
	var names []string
	hasNumber := slices.Contains(want, "number")
	for _, w := range want {
		if w == "integer" && hasNumber {
			continue
		}
		n := typeName(w)
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "something else"
	}
	list := names[0]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
	return withArticle(list)
}

func withArticle(s string) string {
	switch {
	case s == "null" || s == "":
		return s
	case strings.IndexByte("aeiou", s[0]) >= 0:
		return "an " + s
	}
	return "a " + s
}

// literal writes a value as it would read in YAML flow style.
func literal(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
