package rules

// Helpers of the fixes of the production pack (external-database-host,
// development-only-in-production, proxy-serves-unmounted): adding an entry
// under a path of a compose file, the way a person would type it, in the
// file's own indentation, and nothing else.

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// prodfixReport reports msg where an environment variable was set (a
// compose file's `environment`, or an env file), with fixes.
func prodfixReport(p *lint.Pass, e dbenvSetting, msg string, fixes ...lint.Fix) {
	if e.File != nil {
		p.ReportRange(e.File, e.Range, msg, fixes...)
		return
	}
	reportPath(p, e.Path, msg, fixes...)
}

// prodfixStyle is how a file indents: the columns a nested mapping's keys move
// right by, and a block sequence's dashes relative to their key (0 for the
// "key:\n- item" style).
type prodfixStyle struct {
	step, seq int
}

// prodfixStyleOf reads the indentation of the first files that show it; two
// spaces, items indented, when none does.
func prodfixStyleOf(files ...*source.File) prodfixStyle {
	st := prodfixStyle{step: -1, seq: -1}
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, doc := range f.Docs {
			prodfixStyleWalk(f, doc, &st, 0)
		}
	}
	if st.step <= 0 {
		st.step = 2
	}
	if st.seq < 0 {
		st.seq = st.step
	}
	return st
}

func prodfixStyleWalk(f *source.File, m *yaml.Node, st *prodfixStyle, depth int) {
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || depth > 8 || (st.step > 0 && st.seq >= 0) {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Line <= k.Line || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
			continue
		}
		switch v.Kind {
		case yaml.MappingNode:
			if d := v.Content[0].Column - k.Column; st.step <= 0 && d > 0 {
				st.step = d
			}
			prodfixStyleWalk(f, v, st, depth+1)
		case yaml.SequenceNode:
			if st.seq < 0 {
				if d := yamledit.DashColumn(f, v.Content[0]) - (k.Column - 1); d >= 0 {
					st.seq = d
				}
			}
		}
	}
}

// prodfixEntry is one entry to add to a collection: a sequence item ("- x") or
// a mapping entry ("k: v"), each with the lines of comments that go above
// it, written at column 0 with "\n" line endings. One of the forms may be
// missing when it cannot be written; PreferKey says the mapping form is the
// original (used when the collection is created).
type prodfixEntry struct {
	Item, Key string
	PreferKey bool
	// Above are comment lines (column 0) that go above the collection's key
	// when the collection is created, else above the entry.
	Above string
}

var errProdfix = errors.New("no safe edit")

// prodfixAdd returns the edit that adds entry under the mapping keys path of
// f's (only) document: path[len-1] is the collection that receives the
// entry, created with its missing parents when absent; an empty path adds
// a key to the document's root mapping. It refuses (errProdfix) flow style,
// aliases, anchored mappings (their aliases would change too), and keys a
// `<<` merge provides (an explicit key would hide what it merges).
func prodfixAdd(f *source.File, st prodfixStyle, path []string, entry prodfixEntry) (lint.TextEdit, error) {
	if f.Err != nil || len(f.Docs) > 1 {
		return lint.TextEdit{}, errProdfix
	}
	if len(f.Docs) == 0 {
		// An empty file (or comments only), or one to create.
		if strings.TrimSpace(string(f.Content)) != "" && !prodfixOnlyComments(f) {
			return lint.TextEdit{}, errProdfix
		}
		text, err := prodfixNest(path, entry, 0, st)
		if err != nil {
			return lint.TextEdit{}, err
		}
		return prodfixInsertAt(f, len(f.Content), text), nil
	}
	m := f.Docs[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		return lint.TextEdit{}, errProdfix
	}
	for i := 0; ; i++ {
		if m.Anchor != "" || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
			return lint.TextEdit{}, errProdfix
		}
		if i == len(path) {
			// Add a key to m.
			body := entry.Key
			if body == "" {
				return lint.TextEdit{}, errProdfix
			}
			return prodfixAfterMapping(f, m, yamledit.Reindent(entry.Above+body, m.Content[0].Column-1)), nil
		}
		k, v := prodfixLookup(m, path[i])
		if k == nil {
			if prodfixMergeProvides(m, path[i]) {
				return lint.TextEdit{}, errProdfix
			}
			text, err := prodfixNest(path[i:], entry, m.Content[0].Column-1, st)
			if err != nil {
				return lint.TextEdit{}, err
			}
			return prodfixAfterMapping(f, m, text), nil
		}
		if v.Kind == yaml.AliasNode || v.Anchor != "" || (v.Tag != "" && strings.HasPrefix(v.Tag, "!") && !strings.HasPrefix(v.Tag, "!!")) {
			return lint.TextEdit{}, errProdfix
		}
		kc := k.Column - 1
		if prodfixNullValue(v) {
			// `key:` with nothing under it: the rest goes on the next lines.
			var text string
			var err error
			if i < len(path)-1 {
				text, err = prodfixNest(path[i+1:], entry, kc+st.step, st)
			} else {
				text, err = prodfixBody(entry, kc, st, true)
			}
			if err != nil {
				return lint.TextEdit{}, err
			}
			_, off := f.LineBounds(k.Line)
			return prodfixInsertAt(f, off, text), nil
		}
		if v.Style&yaml.FlowStyle != 0 || v.Line == k.Line && v.Kind != yaml.ScalarNode {
			return lint.TextEdit{}, errProdfix
		}
		if i < len(path)-1 {
			if v.Kind != yaml.MappingNode {
				return lint.TextEdit{}, errProdfix
			}
			m = v
			continue
		}
		// The collection itself.
		switch {
		case v.Kind == yaml.SequenceNode && len(v.Content) > 0 && entry.Item != "":
			last := v.Content[len(v.Content)-1]
			_, end := yamledit.ItemLines(f, last, false)
			_, off := f.LineBounds(end)
			return prodfixInsertAt(f, off, yamledit.Reindent(entry.Above+entry.Item, yamledit.DashColumn(f, last))), nil
		case v.Kind == yaml.MappingNode && len(v.Content) > 0 && entry.Key != "" && v.Anchor == "":
			if prodfixMergeProvides(v, "") {
				return lint.TextEdit{}, errProdfix
			}
			return prodfixAfterMapping(f, v, yamledit.Reindent(entry.Above+entry.Key, v.Content[0].Column-1)), nil
		}
		return lint.TextEdit{}, errProdfix
	}
}

// prodfixNullValue tells whether a value is written as nothing at all (`key:`).
func prodfixNullValue(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Anchor == ""
}

// prodfixOnlyComments tells whether a file holds nothing but blank and comment lines.
func prodfixOnlyComments(f *source.File) bool {
	for n := 1; n <= f.Lines(); n++ {
		t := strings.TrimSpace(f.Line(n))
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

// prodfixLookup returns the explicit key named name of mapping m and its value.
func prodfixLookup(m *yaml.Node, name string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == name && !prodfixIsMergeKey(m.Content[i]) {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func prodfixIsMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str"
}

// prodfixMergeProvides tells whether a `<<` merge key of m provides key name
// (any key when name is "").
func prodfixMergeProvides(m *yaml.Node, name string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !prodfixIsMergeKey(m.Content[i]) {
			continue
		}
		if name == "" || prodfixMergedHas(m.Content[i+1], name, 0) {
			return true
		}
	}
	return false
}

func prodfixMergedHas(v *yaml.Node, name string, depth int) bool {
	for v != nil && v.Kind == yaml.AliasNode && depth < 32 {
		v, depth = v.Alias, depth+1
	}
	if v == nil || depth > 32 {
		return false
	}
	switch v.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value == name || prodfixIsMergeKey(v.Content[i]) && prodfixMergedHas(v.Content[i+1], name, depth+1) {
				return true
			}
		}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if prodfixMergedHas(c, name, depth+1) {
				return true
			}
		}
	}
	return false
}

// prodfixNest writes the keys of path, each nested in the previous, from
// column col, then the entry in the last of them (or, for an empty path,
// the entry as a key at col).
func prodfixNest(path []string, entry prodfixEntry, col int, st prodfixStyle) (string, error) {
	if len(path) == 0 {
		if entry.Key == "" {
			return "", errProdfix
		}
		return yamledit.Reindent(entry.Above+entry.Key, col), nil
	}
	var b strings.Builder
	c := col
	for i, seg := range path {
		if i == len(path)-1 && entry.Above != "" {
			b.WriteString(yamledit.Reindent(entry.Above, c))
		}
		b.WriteString(strings.Repeat(" ", c) + prodfixKeyText(seg) + ":\n")
		if i < len(path)-1 {
			c += st.step
		}
	}
	body, err := prodfixBody(prodfixEntry{Item: entry.Item, Key: entry.Key, PreferKey: entry.PreferKey}, c, st, false)
	if err != nil {
		return "", err
	}
	b.WriteString(body)
	return b.String(), nil
}

// prodfixBody writes the entry of a collection created under a key at column
// kc: an item at the file's sequence offset, or a key one step in.
func prodfixBody(entry prodfixEntry, kc int, st prodfixStyle, withAbove bool) (string, error) {
	above := ""
	if withAbove {
		above = entry.Above
	}
	if entry.Item != "" && (!entry.PreferKey || entry.Key == "") {
		return yamledit.Reindent(above+entry.Item, kc+st.seq), nil
	}
	if entry.Key != "" {
		return yamledit.Reindent(above+entry.Key, kc+st.step), nil
	}
	return "", errProdfix
}

var prodfixPlainKeyRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// prodfixKeyText writes a mapping key, quoted when it is not a plain word.
func prodfixKeyText(k string) string {
	if prodfixPlainKeyRE.MatchString(k) && !prodfixSpecialWord(k) {
		return k
	}
	return prodfixQuote(k)
}

// prodfixPlainValueRE matches scalars that read back as the same string in
// every YAML version without quotes.
var prodfixPlainValueRE = regexp.MustCompile(`^[A-Za-z_./][A-Za-z0-9_./:@=+-]*$`)

// prodfixScalar writes a string value, plain when that reads back as the same
// string, else double-quoted.
func prodfixScalar(s string) string {
	if prodfixPlainValueRE.MatchString(s) && !prodfixSpecialWord(s) && !strings.Contains(s, ": ") && !strings.HasSuffix(s, ":") {
		return s
	}
	return prodfixQuote(s)
}

// prodfixSpecialWord tells whether a plain scalar would read as something else
// than a string (booleans and nulls of YAML 1.1 and 1.2).
func prodfixSpecialWord(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", ".nan", "-.inf":
		return true
	}
	return false
}

// prodfixQuote writes s double-quoted (JSON escapes are valid YAML ones).
func prodfixQuote(s string) string {
	b, _ := json.Marshal(s)
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}

// prodfixAfterMapping inserts text after the last entry of a block mapping.
func prodfixAfterMapping(f *source.File, m *yaml.Node, text string) lint.TextEdit {
	lastKey := m.Content[len(m.Content)-2]
	_, end := yamledit.KeyLines(f, lastKey, false)
	_, off := f.LineBounds(end)
	return prodfixInsertAt(f, off, text)
}

// prodfixInsertAt inserts text at off, starting a new line first when off is
// the end of a last line without a line ending.
func prodfixInsertAt(f *source.File, off int, text string) lint.TextEdit {
	if off > 0 && f.Content[off-1] != '\n' {
		text = "\n" + text
	}
	return lint.TextEdit{File: f, Start: off, End: off, NewText: text}
}

// prodfixDiffEdit is the one edit that turns f's content into content: the
// bytes between their common prefix and suffix (several additions to one
// file, each computed on the file with the previous ones, become one edit).
func prodfixDiffEdit(f *source.File, content []byte) lint.TextEdit {
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

// prodfixEnvLoads tells whether an environment loads the file at path.
func prodfixEnvLoads(env *load.Result, path string) bool {
	for _, f := range env.Files {
		if f.Path == path {
			return true
		}
	}
	return false
}

// prodfixProjectFile returns the compose file of the project at path: a file
// some environment loads directly (not through include or extends).
func prodfixProjectFile(p *lint.Pass, path string) *source.File {
	for _, env := range p.Project.Environments {
		for _, f := range env.Files {
			if f.Path == path {
				return f
			}
		}
	}
	return nil
}

// prodfixRel names a file for a fix message, relative to the project directory.
func prodfixRel(p *lint.Pass, path string) string {
	if rel, err := filepath.Rel(p.Project.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// prodfixCRLF tells whether a file's lines end with CRLF.
func prodfixCRLF(f *source.File) bool {
	i := strings.IndexByte(string(f.Content), '\n')
	return i > 0 && f.Content[i-1] == '\r'
}

// prodfixServiceNode returns the mapping of service name written in f itself
// (its only document's `services:`), or nil.
func prodfixServiceNode(f *source.File, name string) *yaml.Node {
	if f == nil || f.Err != nil || len(f.Docs) != 1 {
		return nil
	}
	root := f.Docs[0]
	if root.Kind != yaml.MappingNode {
		return nil
	}
	_, svcs := prodfixLookup(root, "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil
	}
	_, s := prodfixLookup(svcs, name)
	if s == nil || s.Kind != yaml.MappingNode {
		return nil
	}
	return s
}
