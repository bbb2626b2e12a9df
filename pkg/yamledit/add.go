package yamledit

// Adding an entry under a path of a compose file, the way a person would
// type it, in the file's own indentation, and nothing else.

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// Style is how a file indents: the columns a nested mapping's keys move
// right by, and a block sequence's dashes relative to their key (0 for the
// "key:\n- item" style).
type Style struct {
	Step, Seq int
}

// StyleOf reads the indentation of the first files that show it; two
// spaces, items indented, when none does.
func StyleOf(files ...*source.File) Style {
	st := Style{Step: -1, Seq: -1}
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, doc := range f.Docs {
			styleWalk(f, doc, &st, 0)
		}
	}
	if st.Step <= 0 {
		st.Step = 2
	}
	if st.Seq < 0 {
		st.Seq = st.Step
	}
	return st
}

func styleWalk(f *source.File, m *yaml.Node, st *Style, depth int) {
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || depth > 8 || (st.Step > 0 && st.Seq >= 0) {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Line <= k.Line || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
			continue
		}
		switch v.Kind {
		case yaml.MappingNode:
			if d := v.Content[0].Column - k.Column; st.Step <= 0 && d > 0 {
				st.Step = d
			}
			styleWalk(f, v, st, depth+1)
		case yaml.SequenceNode:
			if st.Seq < 0 {
				if d := DashColumn(f, v.Content[0]) - (k.Column - 1); d >= 0 {
					st.Seq = d
				}
			}
		}
	}
}

// Entry is one entry to add to a collection: a sequence item ("- x") or
// a mapping entry ("k: v"), each with the lines of comments that go above
// it, written at column 0 with "\n" line endings. One of the forms may be
// missing when it cannot be written; PreferKey says the mapping form is the
// original (used when the collection is created).
type Entry struct {
	Item, Key string
	PreferKey bool
	// Above are comment lines (column 0) that go above the collection's key
	// when the collection is created, else above the entry.
	Above string
}

var ErrNoEdit = errors.New("no safe edit")

// Add returns the edit that adds entry under the mapping keys path of
// f's (only) document: path[len-1] is the collection that receives the
// entry, created with its missing parents when absent; an empty path adds
// a key to the document's root mapping. It refuses (ErrNoEdit) flow style,
// aliases, anchored mappings (their aliases would change too), and keys a
// `<<` merge provides (an explicit key would hide what it merges).
func Add(f *source.File, st Style, path []string, entry Entry) (lint.TextEdit, error) {
	if f.Err != nil || len(f.Docs) > 1 {
		return lint.TextEdit{}, ErrNoEdit
	}
	if len(f.Docs) == 0 {
		// An empty file (or comments only), or one to create.
		if strings.TrimSpace(string(f.Content)) != "" && !OnlyComments(f) {
			return lint.TextEdit{}, ErrNoEdit
		}
		text, err := nest(path, entry, 0, st)
		if err != nil {
			return lint.TextEdit{}, err
		}
		return InsertAt(f, len(f.Content), text), nil
	}
	m := f.Docs[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		return lint.TextEdit{}, ErrNoEdit
	}
	for i := 0; ; i++ {
		if m.Anchor != "" || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
			return lint.TextEdit{}, ErrNoEdit
		}
		if i == len(path) {
			// Add a key to m.
			body := entry.Key
			if body == "" {
				return lint.TextEdit{}, ErrNoEdit
			}
			return AfterMapping(f, m, Reindent(entry.Above+body, m.Content[0].Column-1)), nil
		}
		k, v := Lookup(m, path[i])
		if k == nil {
			if MergeProvides(m, path[i]) {
				return lint.TextEdit{}, ErrNoEdit
			}
			text, err := nest(path[i:], entry, m.Content[0].Column-1, st)
			if err != nil {
				return lint.TextEdit{}, err
			}
			return AfterMapping(f, m, text), nil
		}
		if v.Kind == yaml.AliasNode || v.Anchor != "" || (v.Tag != "" && strings.HasPrefix(v.Tag, "!") && !strings.HasPrefix(v.Tag, "!!")) {
			return lint.TextEdit{}, ErrNoEdit
		}
		kc := k.Column - 1
		if IsNull(v) {
			// `key:` with nothing under it: the rest goes on the next lines.
			var text string
			var err error
			if i < len(path)-1 {
				text, err = nest(path[i+1:], entry, kc+st.Step, st)
			} else {
				text, err = entryBody(entry, kc, st, true)
			}
			if err != nil {
				return lint.TextEdit{}, err
			}
			_, off := f.LineBounds(k.Line)
			return InsertAt(f, off, text), nil
		}
		if v.Style&yaml.FlowStyle != 0 || v.Line == k.Line && v.Kind != yaml.ScalarNode {
			return lint.TextEdit{}, ErrNoEdit
		}
		if i < len(path)-1 {
			if v.Kind != yaml.MappingNode {
				return lint.TextEdit{}, ErrNoEdit
			}
			m = v
			continue
		}
		return addTo(f, v, entry)
	}
}

// addTo adds entry at the end of the block collection v: an item to a
// sequence, a key to a mapping (unless a `<<` merge key could hide it).
func addTo(f *source.File, v *yaml.Node, entry Entry) (lint.TextEdit, error) {
	switch {
	case v.Kind == yaml.SequenceNode && len(v.Content) > 0 && entry.Item != "":
		last := v.Content[len(v.Content)-1]
		_, end := ItemLines(f, last, false)
		_, off := f.LineBounds(end)
		return InsertAt(f, off, Reindent(entry.Above+entry.Item, DashColumn(f, last))), nil
	case v.Kind == yaml.MappingNode && len(v.Content) > 0 && entry.Key != "" && v.Anchor == "":
		if MergeProvides(v, "") {
			return lint.TextEdit{}, ErrNoEdit
		}
		return AfterMapping(f, v, Reindent(entry.Above+entry.Key, v.Content[0].Column-1)), nil
	}
	return lint.TextEdit{}, ErrNoEdit
}

// IsNull tells whether a value is written as nothing at all (`key:`).
func IsNull(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Anchor == ""
}

// OnlyComments tells whether a file holds nothing but blank and comment lines.
func OnlyComments(f *source.File) bool {
	for n := 1; n <= f.Lines(); n++ {
		t := strings.TrimSpace(f.Line(n))
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

// Lookup returns the explicit key named name of mapping m and its value
// (nil when m is no mapping; aliases are not followed, a `<<` merge key is
// never returned: see MergeProvides).
func Lookup(m *yaml.Node, name string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == name && !IsMergeKey(m.Content[i]) {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func IsMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str"
}

// MergeProvides tells whether a `<<` merge key of m provides key name
// (any key when name is "").
func MergeProvides(m *yaml.Node, name string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !IsMergeKey(m.Content[i]) {
			continue
		}
		if name == "" || mergedHas(m.Content[i+1], name, 0) {
			return true
		}
	}
	return false
}

func mergedHas(v *yaml.Node, name string, depth int) bool {
	for v != nil && v.Kind == yaml.AliasNode && depth < 32 {
		v, depth = v.Alias, depth+1
	}
	if v == nil || depth > 32 {
		return false
	}
	switch v.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value == name || IsMergeKey(v.Content[i]) && mergedHas(v.Content[i+1], name, depth+1) {
				return true
			}
		}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if mergedHas(c, name, depth+1) {
				return true
			}
		}
	}
	return false
}

// nest writes the keys of path, each nested in the previous, from
// column col, then the entry in the last of them (or, for an empty path,
// the entry as a key at col).
func nest(path []string, entry Entry, col int, st Style) (string, error) {
	if len(path) == 0 {
		if entry.Key == "" {
			return "", ErrNoEdit
		}
		return Reindent(entry.Above+entry.Key, col), nil
	}
	var b strings.Builder
	c := col
	for i, seg := range path {
		if i == len(path)-1 && entry.Above != "" {
			b.WriteString(Reindent(entry.Above, c))
		}
		b.WriteString(strings.Repeat(" ", c) + KeyText(seg) + ":\n")
		if i < len(path)-1 {
			c += st.Step
		}
	}
	body, err := entryBody(Entry{Item: entry.Item, Key: entry.Key, PreferKey: entry.PreferKey}, c, st, false)
	if err != nil {
		return "", err
	}
	b.WriteString(body)
	return b.String(), nil
}

// entryBody writes the entry of a collection created under a key at column
// kc: an item at the file's sequence offset, or a key one step in.
func entryBody(entry Entry, kc int, st Style, withAbove bool) (string, error) {
	above := ""
	if withAbove {
		above = entry.Above
	}
	if entry.Item != "" && (!entry.PreferKey || entry.Key == "") {
		return Reindent(above+entry.Item, kc+st.Seq), nil
	}
	if entry.Key != "" {
		return Reindent(above+entry.Key, kc+st.Step), nil
	}
	return "", ErrNoEdit
}

var plainKeyRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// KeyText writes a mapping key, quoted when it is not a plain word.
func KeyText(k string) string {
	if plainKeyRE.MatchString(k) && !specialWord(k) {
		return k
	}
	return Quote(k)
}

// plainValueRE matches scalars that read back as the same string in
// every YAML version without quotes.
var plainValueRE = regexp.MustCompile(`^[A-Za-z_./][A-Za-z0-9_./:@=+-]*$`)

// Scalar writes a string value, plain when that reads back as the same
// string, else double-quoted.
func Scalar(s string) string {
	if plainValueRE.MatchString(s) && !specialWord(s) && !strings.Contains(s, ": ") && !strings.HasSuffix(s, ":") {
		return s
	}
	return Quote(s)
}

// specialWord tells whether a plain scalar would read as something else
// than a string (booleans and nulls of YAML 1.1 and 1.2).
func specialWord(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", ".nan", "-.inf":
		return true
	}
	return false
}

// Quote writes s double-quoted (JSON escapes are valid YAML ones).
func Quote(s string) string {
	b, _ := json.Marshal(s)
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}

// AfterMapping inserts text after the last entry of a block mapping.
func AfterMapping(f *source.File, m *yaml.Node, text string) lint.TextEdit {
	lastKey := m.Content[len(m.Content)-2]
	_, end := KeyLines(f, lastKey, false)
	_, off := f.LineBounds(end)
	return InsertAt(f, off, text)
}

// InsertAt inserts text at off, starting a new line first when off is
// the end of a last line without a line ending.
func InsertAt(f *source.File, off int, text string) lint.TextEdit {
	if off > 0 && f.Content[off-1] != '\n' {
		text = "\n" + text
	}
	return lint.TextEdit{File: f, Start: off, End: off, NewText: text}
}

// DiffEdit is the one edit that turns f's content into content: the
// bytes between their common prefix and suffix (several additions to one
// file, each computed on the file with the previous ones, become one edit).
func DiffEdit(f *source.File, content []byte) lint.TextEdit {
	old := f.Content
	pre := 0
	for pre < len(old) && pre < len(content) && old[pre] == content[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(content)-pre && old[len(old)-1-suf] == content[len(content)-1-suf] {
		suf++
	}
	// Start and end at line boundaries, so that the edit reads as whole lines.
	for pre > 0 && old[pre-1] != '\n' {
		pre--
	}
	for suf > 0 && old[len(old)-suf-1] != '\n' {
		suf--
	}
	return lint.TextEdit{File: f, Start: pre, End: len(old) - suf, NewText: string(content[pre : len(content)-suf])}
}

// InService reports whether node n of f lies inside the mapping of service
// `service` in f itself (and not in an anchor another service shares, where an
// edit would change that service too).
func InService(f *source.File, n *yaml.Node, service string) bool {
	for _, doc := range f.Docs {
		_, svcs := Lookup(doc, "services")
		if svcs == nil {
			continue
		}
		if _, s := Lookup(svcs, service); s != nil && Contains(s, n) {
			return true
		}
	}
	return false
}

// ServiceNode returns the mapping of service name written in f itself
// (its only document's `services:`), or nil.
func ServiceNode(f *source.File, name string) *yaml.Node {
	if f == nil || f.Err != nil || len(f.Docs) != 1 {
		return nil
	}
	root := f.Docs[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	_, svcs := Lookup(root, "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil
	}
	_, s := Lookup(svcs, name)
	if s == nil || s.Kind != yaml.MappingNode {
		return nil
	}
	return s
}
