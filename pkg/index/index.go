package index

import (
	"bytes"
	"maps"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// Def is one place that defined an element: a mapping key and its value, or
// a sequence item (Key nil).
type Def struct {
	File  *source.File
	Key   *yaml.Node
	Value *yaml.Node
	// Dir is the directory Compose resolves the definition's relative paths
	// against: the project directory, that of an included project, or that of
	// the file an extends.file names.
	Dir string
	// Env looks up the variables the definition is interpolated with: the
	// project's, plus those of an included project's env files. May be nil.
	Env func(string) (string, bool)
}

// Interpolate substitutes variables in s as Compose does for this definition.
func (d *Def) Interpolate(s string) string { return Interpolate(s, d.Env) }

// Node returns the node a diagnostic should point at: the key when there is one.
func (d *Def) Node() *yaml.Node {
	if d.Key != nil {
		return d.Key
	}
	return d.Value
}

// Span is the range to underline for the definition: a key with its
// one-line scalar value, or the node.
func (d *Def) Span() source.Range {
	if d.Key != nil {
		return d.File.KeyValueSpan(d.Key, d.Value)
	}
	return d.File.Span(d.Value)
}

type treeNode struct {
	defs     []Def // in load order; the last one is what the model holds
	children map[string]*treeNode
	order    []string
}

func (t *treeNode) child(seg string) *treeNode {
	if c, ok := t.children[seg]; ok {
		return c
	}
	if t.children == nil {
		t.children = map[string]*treeNode{}
	}
	c := &treeNode{}
	t.children[seg] = c
	t.order = append(t.order, seg)
	return c
}

func (t *treeNode) remove(seg string) {
	if _, ok := t.children[seg]; !ok {
		return
	}
	delete(t.children, seg)
	for i, s := range t.order {
		if s == seg {
			t.order = append(t.order[:i:i], t.order[i+1:]...)
			break
		}
	}
}

func (t *treeNode) clear() {
	t.children = nil
	t.order = nil
}

// Index resolves model paths to the definitions that produced them.
type Index struct {
	root treeNode
}

func (ix *Index) find(p Path) (*treeNode, int) {
	t := &ix.root
	for i, seg := range p {
		c, ok := t.children[seg]
		if !ok {
			return t, i
		}
		t = c
	}
	return t, len(p)
}

// Lookup returns the last definition of p. When p itself was never written
// (a default, or a field of a short-syntax volume), it returns that of the
// deepest ancestor that was, with exact false; nil when not even the first
// segment is known.
func (ix *Index) Lookup(p Path) (def *Def, exact bool) {
	t := &ix.root
	var last *Def
	for i, seg := range p {
		c, ok := t.children[seg]
		if !ok {
			return last, false
		}
		t = c
		if len(t.defs) > 0 {
			last = &t.defs[len(t.defs)-1]
		}
		if i == len(p)-1 {
			return last, len(t.defs) > 0
		}
	}
	return last, false
}

// Get returns the last definition of exactly p, or nil.
func (ix *Index) Get(p Path) *Def {
	t, n := ix.find(p)
	if n < len(p) || len(t.defs) == 0 {
		return nil
	}
	return &t.defs[len(t.defs)-1]
}

// Defs returns every definition of exactly p that survives the merge, in load order.
func (ix *Index) Defs(p Path) []Def {
	t, n := ix.find(p)
	if n < len(p) {
		return nil
	}
	return t.defs
}

// Keys returns the segments under p in the order they were first defined.
func (ix *Index) Keys(p Path) []string {
	t, n := ix.find(p)
	if n < len(p) {
		return nil
	}
	return append([]string(nil), t.order...)
}

// Options tell Build how to read the files it meets through include and
// extends, and how to interpolate values that decide identities.
type Options struct {
	// WorkingDir is the project directory: relative env_file paths are resolved against it.
	WorkingDir string
	// Lookup supplies interpolation values.
	Lookup func(string) (string, bool)
	// Open returns the parsed file at an absolute path, or nil. Used for
	// include and extends.file.
	Open func(path string) *source.File
	// ReadFile returns the content of an included project's env file (its
	// .env, or those include.env_file names). Optional: without it, values
	// in included files are interpolated with Lookup alone.
	ReadFile func(path string) ([]byte, error)
}

// maxVisits bounds the work of one build, so that alias bombs stay cheap:
// past it, aliases are recorded but not expanded.
const maxVisits = 1_000_000

type builder struct {
	ix     *Index
	opts   Options
	visits int
	// dir and lookup are those of the file being read: Compose resolves the
	// relative paths of include, extends.file and env_file against the
	// project directory, the included project's, or the extended file's;
	// an included project may add variables from its own .env.
	dir    string
	lookup func(string) (string, bool)
	// extending guards against extends cycles.
	extending map[string]bool
	including map[string]bool
	// merging holds the mappings whose `<<` keys are being expanded: a
	// mapping that merges itself (through an alias to its own anchor) is a
	// cycle, not an infinite merge.
	merging map[*yaml.Node]bool
	// depth bounds the recursion of aliases into their own anchors.
	depth int
}

// maxDepth bounds how deep the walk goes: Compose models are a few levels
// deep, and an alias inside its own anchor would otherwise recurse forever.
const maxDepth = 200

// Build indexes files in load order (base first, then each override).
func Build(files []*source.File, opts Options) *Index {
	b := &builder{ix: &Index{}, opts: opts, dir: opts.WorkingDir, lookup: opts.Lookup,
		extending: map[string]bool{}, including: map[string]bool{}, merging: map[*yaml.Node]bool{}}
	for _, f := range files {
		b.file(f)
	}
	return b.ix
}

func (b *builder) file(f *source.File) {
	if f == nil || b.including[f.Path] {
		return
	}
	b.including[f.Path] = true
	defer delete(b.including, f.Path)
	for _, doc := range f.Docs {
		root := resolve(doc)
		if root == nil || root.Kind != yaml.MappingNode {
			continue
		}
		pairs := b.pairs(root)
		for _, kv := range pairs {
			if kv.key.Value == "include" {
				b.include(f, kv.value)
			}
		}
		for _, kv := range pairs {
			b.set(&b.ix.root, Path{kv.key.Value}, f, kv.key, kv.value)
		}
	}
}

type pair struct{ key, value *yaml.Node }

// resolve follows an alias to its anchor.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// pairs returns the key/value pairs of a mapping as YAML defines them: the
// pairs of `<<` merge keys first (an earlier source wins over a later one),
// then the explicit keys, each replacing a merged key of the same name.
func (b *builder) pairs(m *yaml.Node) []pair {
	if b.merging[m] {
		return nil
	}
	b.merging[m] = true
	defer delete(b.merging, m)
	var merged, explicit []pair
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
			merged = append(merged, b.mergeSources(v)...)
			continue
		}
		explicit = append(explicit, pair{k, v})
	}
	if len(merged) == 0 {
		return explicit
	}
	out := make([]pair, 0, len(merged)+len(explicit))
	seen := map[string]int{}
	for _, kv := range append(merged, explicit...) {
		if i, ok := seen[kv.key.Value]; ok {
			out[i] = kv
			continue
		}
		seen[kv.key.Value] = len(out)
		out = append(out, kv)
	}
	return out
}

func (b *builder) mergeSources(v *yaml.Node) []pair {
	b.visits++
	if b.visits > maxVisits {
		return nil
	}
	v = resolve(v)
	switch {
	case v == nil:
		return nil
	case v.Kind == yaml.MappingNode:
		return b.pairs(v)
	case v.Kind == yaml.SequenceNode:
		// In `<<: [*a, *b]`, keys of *a win over those of *b.
		var out []pair
		seen := map[string]bool{}
		for _, item := range v.Content {
			for _, kv := range b.mergeSources(item) {
				if !seen[kv.key.Value] {
					seen[kv.key.Value] = true
					out = append(out, kv)
				}
			}
		}
		return out
	}
	return nil
}

// set records that key/value (from file f) defines path p, under parent t,
// merging with what earlier files defined there as Compose does.
func (b *builder) set(parent *treeNode, p Path, f *source.File, key, value *yaml.Node) {
	b.visits++
	if b.depth++; b.depth > maxDepth {
		b.depth--
		return
	}
	defer func() { b.depth-- }()
	seg := p[len(p)-1]
	tag := value.Tag
	if value.Kind == yaml.AliasNode && value.Alias != nil {
		tag = value.Alias.Tag // Compose honours a tag on the anchored node too
	}
	switch tag {
	case "!reset":
		parent.remove(seg)
		return
	case "!override":
		parent.remove(seg)
	}
	v := value
	if b.visits <= maxVisits {
		v = resolve(value)
	}
	if v == nil {
		return
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		// null keeps what the base defined; it still defines the key.
		if _, ok := parent.children[seg]; ok {
			return
		}
	}
	t := parent.child(seg)
	t.defs = append(t.defs, b.def(f, key, value))
	if b.visits > maxVisits {
		return
	}
	switch v.Kind {
	case yaml.MappingNode:
		if len(p) >= 1 && p[0] == "services" && len(p) == 2 {
			b.extends(t, p, f, v)
		}
		if len(t.children) > 0 && (isScalarBefore(t) && shortFormKey(p) == "" || b.otherDriver(t, p, v)) {
			t.clear()
		}
		for _, kv := range b.pairs(v) {
			if kv.key.Kind != yaml.ScalarNode {
				continue
			}
			b.set(t, p.Child(kv.key.Value), f, kv.key, kv.value)
		}
	case yaml.SequenceNode:
		b.sequence(t, p, f, v)
	case yaml.ScalarNode:
		if shortFor := shortFormKey(p); shortFor != "" {
			// `build: .` is `build: {context: .}`
			b.set(t, p.Child(shortFor), f, nil, value)
			return
		}
		if v.Tag != "!!null" && v.Value != "" && scalarIsList(p) {
			// `dns: 8.8.8.8` is `dns: [8.8.8.8]`, and merges with lists as one.
			b.sequence(t, p, f, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{value}})
			return
		}
		t.clear()
	}
}

// otherDriver reports whether a logging mapping names another driver than
// the one defined before: Compose then replaces the options instead of
// merging them.
func (b *builder) otherDriver(t *treeNode, p Path, m *yaml.Node) bool {
	if !matches(p, "services.*.logging") {
		return false
	}
	prev := t.children["driver"]
	if prev == nil || len(prev.defs) == 0 {
		return false
	}
	for _, kv := range b.pairs(m) {
		if kv.key.Value == "driver" {
			old, cur := resolve(prev.defs[len(prev.defs)-1].Value), resolve(kv.value)
			return old != nil && cur != nil && old.Kind == yaml.ScalarNode && cur.Kind == yaml.ScalarNode &&
				b.scalar(old) != b.scalar(cur)
		}
	}
	return false
}

func (b *builder) def(f *source.File, key, value *yaml.Node) Def {
	return Def{File: f, Key: key, Value: value, Dir: b.dir, Env: b.lookup}
}

// isScalarBefore reports whether the previous definition of t was a scalar
// that a mapping now replaces. (A list before a mapping is either merged
// with it, as environment is, or an error.)
func isScalarBefore(t *treeNode) bool {
	if len(t.defs) < 2 {
		return false
	}
	prev := resolve(t.defs[len(t.defs)-2].Value)
	return prev != nil && prev.Kind == yaml.ScalarNode && prev.Tag != "!!null"
}

// shortFormKey names the key that a scalar at p abbreviates.
func shortFormKey(p Path) string {
	switch {
	case matches(p, "services.*.build"):
		return "context"
	case matches(p, "services.*.extends"):
		return "service"
	}
	return ""
}

func (b *builder) sequence(t *treeNode, p Path, f *source.File, seq *yaml.Node) {
	if b.depth++; b.depth > maxDepth {
		b.depth--
		return
	}
	defer func() { b.depth-- }()
	kind := seqKindOf(p)
	if kind == seqReplace {
		t.clear()
	}
	for i, item := range seq.Content {
		b.visits++
		if b.visits > maxVisits {
			return
		}
		it := resolve(item)
		if it == nil {
			continue
		}
		for _, seg := range identities(kind, b.itemValue(kind, it), i, b.dir) {
			c := t.child(seg)
			if kind != seqAppend && kind != seqReplace {
				// A later item with the same identity replaces the earlier
				// one whole, at the earlier one's place.
				c.defs = c.defs[:0:0]
				c.clear()
			}
			c.defs = append(c.defs, b.def(f, nil, item))
			if it.Kind == yaml.MappingNode {
				for _, kv := range b.pairs(it) {
					if kv.key.Kind == yaml.ScalarNode {
						b.set(c, p.Child(seg, kv.key.Value), f, kv.key, kv.value)
					}
				}
			} else if it.Kind == yaml.SequenceNode {
				b.sequence(c, p.Child(seg), f, it)
			}
		}
	}
}

// itemValue is value(it) for computing the identity of a sequence item,
// without the interpolations that cannot change it.
func (b *builder) itemValue(kind seqKind, it *yaml.Node) any {
	switch {
	case kind == seqReplace:
		return nil // named by position
	case kind == seqKeyValue && it.Kind == yaml.ScalarNode && it.Tag == "!!str":
		if k, _, ok := strings.Cut(it.Value, "="); ok && !strings.Contains(k, "$") {
			return k + "=" // only the key counts
		}
	}
	return b.value(it)
}

// value converts a node to the interpolated Go value Compose would see, for
// computing identities. Only the shallow parts identities need are converted.
func (b *builder) value(n *yaml.Node) any {
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		return b.scalar(n)
	case yaml.MappingNode:
		m := map[string]any{}
		for _, kv := range b.pairs(n) {
			if v := resolve(kv.value); v != nil && v.Kind == yaml.ScalarNode {
				m[kv.key.Value] = b.scalar(v)
			}
		}
		return m
	case yaml.SequenceNode:
		return []any{}
	}
	return nil
}

func (b *builder) scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!int":
		if i, err := strconv.Atoi(n.Value); err == nil {
			return i
		}
	case "!!null":
		return nil
	case "!!str":
		return Interpolate(n.Value, b.lookup)
	}
	return n.Value
}

// Interpolate substitutes ${VAR} as Compose does; on an error it returns s.
func Interpolate(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "$") {
		return s // most values, and template.Substitute is costly
	}
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	out, err := template.Substitute(s, template.Mapping(lookup))
	if err != nil {
		return s
	}
	return out
}

// extends indexes the service that services.NAME extends under that path,
// before the service's own keys (which then override it).
func (b *builder) extends(t *treeNode, p Path, f *source.File, svc *yaml.Node) {
	var ext *yaml.Node
	for _, kv := range b.pairs(svc) {
		if kv.key.Value == "extends" {
			ext = resolve(kv.value)
		}
	}
	if ext == nil {
		return
	}
	name, file := "", ""
	switch ext.Kind {
	case yaml.ScalarNode:
		name = Interpolate(ext.Value, b.lookup)
	case yaml.MappingNode:
		for _, kv := range b.pairs(ext) {
			if v := resolve(kv.value); v != nil && v.Kind == yaml.ScalarNode {
				switch kv.key.Value {
				case "service":
					name = Interpolate(v.Value, b.lookup)
				case "file":
					file = Interpolate(v.Value, b.lookup)
				}
			}
		}
	}
	if name == "" {
		return
	}
	src, dir := f, b.dir
	if file != "" {
		if b.opts.Open == nil {
			return
		}
		file = b.abs(f, file)
		if src = b.opts.Open(file); src == nil {
			return
		}
		// Paths in the extended file are relative to that file.
		dir = filepath.Dir(file)
	}
	guard := src.Path + "\x00" + name
	if b.extending[guard] {
		return
	}
	b.extending[guard] = true
	defer delete(b.extending, guard)
	base := findService(src, name)
	if base == nil {
		return
	}
	defer func(d string) { b.dir = d }(b.dir)
	b.dir = dir
	// The base's own extends come first.
	b.extends(t, p, src, base)
	for _, kv := range b.pairs(base) {
		if kv.key.Kind != yaml.ScalarNode || kv.key.Value == "extends" {
			continue
		}
		b.set(t, p.Child(kv.key.Value), src, kv.key, kv.value)
	}
}

// abs resolves a path named in file f (by include or extends.file) as
// Compose does: against the directory of the project being loaded, which is
// not that of f when f is an override in a subdirectory.
func (b *builder) abs(f *source.File, p string) string {
	if !filepath.IsAbs(p) {
		dir := b.dir
		if dir == "" {
			dir = filepath.Dir(f.Path)
		}
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

func findService(f *source.File, name string) *yaml.Node {
	for _, doc := range f.Docs {
		root := resolve(doc)
		if root == nil || root.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value != "services" {
				continue
			}
			svcs := resolve(root.Content[i+1])
			if svcs == nil || svcs.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(svcs.Content); j += 2 {
				if svcs.Content[j].Value == name {
					if s := resolve(svcs.Content[j+1]); s != nil && s.Kind == yaml.MappingNode {
						return s
					}
				}
			}
		}
	}
	return nil
}

// include indexes the files a top-level include names, before the file's own keys.
func (b *builder) include(f *source.File, v *yaml.Node) {
	v = resolve(v)
	if v == nil || v.Kind != yaml.SequenceNode || b.opts.Open == nil {
		return
	}
	for _, item := range v.Content {
		if item = resolve(item); item == nil {
			continue
		}
		var paths, envFiles []string
		projectDir := ""
		switch item.Kind {
		case yaml.ScalarNode:
			paths = append(paths, item.Value)
		case yaml.MappingNode:
			for _, kv := range b.pairs(item) {
				switch kv.key.Value {
				case "path":
					paths = append(paths, scalars(kv.value)...)
				case "env_file":
					envFiles = append(envFiles, scalars(kv.value)...)
				case "project_directory":
					if s := scalars(kv.value); len(s) == 1 {
						projectDir = s[0]
					}
				}
			}
		}
		if len(paths) == 0 {
			continue
		}
		for i := range paths {
			paths[i] = b.abs(f, Interpolate(paths[i], b.lookup))
		}
		// The included project has its own directory and may have its own .env.
		dir := filepath.Dir(paths[0])
		if projectDir != "" {
			dir = b.abs(f, Interpolate(projectDir, b.lookup))
		}
		if len(envFiles) == 0 {
			envFiles = []string{filepath.Join(dir, ".env")}
		} else {
			for i := range envFiles {
				envFiles[i] = b.abs(f, Interpolate(envFiles[i], b.lookup))
			}
		}
		saved, savedLookup := b.dir, b.lookup
		b.dir, b.lookup = dir, b.includeLookup(envFiles)
		for _, p := range paths {
			b.file(b.opts.Open(p))
		}
		b.dir, b.lookup = saved, savedLookup
	}
}

// includeLookup adds the variables of an included project's env files to
// the current ones, which win, as in Compose.
func (b *builder) includeLookup(envFiles []string) func(string) (string, bool) {
	parent := b.lookup
	if parent == nil {
		parent = func(string) (string, bool) { return "", false }
	}
	if b.opts.ReadFile == nil {
		return b.lookup
	}
	vars := map[string]string{}
	for _, path := range envFiles {
		content, err := b.opts.ReadFile(path)
		if err != nil {
			continue
		}
		m, err := dotenv.ParseWithLookup(bytes.NewReader(content), func(k string) (string, bool) {
			if v, ok := parent(k); ok {
				return v, true
			}
			v, ok := vars[k]
			return v, ok
		})
		if err != nil {
			continue
		}
		maps.Copy(vars, m)
	}
	if len(vars) == 0 {
		return b.lookup
	}
	return func(k string) (string, bool) {
		if v, ok := parent(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}
}

// scalars returns the values of a scalar or of a sequence of scalars.
func scalars(n *yaml.Node) []string {
	n = resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c = resolve(c); c != nil && c.Kind == yaml.ScalarNode {
				out = append(out, c.Value)
			}
		}
		return out
	}
	return nil
}
