package index

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// The self-check loads every project of testdata/corpus with compose-go and
// checks that every leaf of the merged model resolves, through the index, to
// the YAML node that wrote it.

const corpusRoot = "../../testdata/corpus"

func init() {
	// compose-go warns about obsolete `version` keys and the like.
	logrus.SetOutput(io.Discard)
}

type corpusProject struct {
	Workdir string   // relative to the corpus root
	Files   []string // relative to Workdir, in -f order
}

func (p corpusProject) String() string {
	return p.Workdir + ":" + strings.Join(p.Files, ",")
}

// readProjects reads a PROJECTS.tsv: workdir TAB file1 [TAB file2...], # comments.
func readProjects(t testing.TB, root string) []corpusProject {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "PROJECTS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusProject
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 {
			t.Fatalf("PROJECTS.tsv: bad line %q", line)
		}
		out = append(out, corpusProject{Workdir: fields[0], Files: fields[1:]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// project is a corpus project read, parsed and loaded.
type project struct {
	dir   string // absolute working directory
	env   map[string]string
	files []*source.File
	opts  Options
	model map[string]any
}

func (p *project) lookup(k string) (string, bool) {
	v, ok := p.env[k]
	return v, ok
}

// loadProject reads each file once: the bytes compose-go loads are those the
// index parses. Files reached through include or extends.file are read by
// compose-go itself and, for the index, by Open.
func loadProject(root string, cp corpusProject) (*project, error) {
	dir, err := filepath.Abs(filepath.Join(root, cp.Workdir))
	if err != nil {
		return nil, err
	}
	p := &project{dir: dir, env: map[string]string{}}
	if b, err := os.ReadFile(filepath.Join(dir, ".env")); err == nil {
		noEnv := func(string) (string, bool) { return "", false }
		if p.env, err = dotenv.ParseWithLookup(bytes.NewReader(b), noEnv); err != nil {
			return nil, fmt.Errorf(".env: %w", err)
		}
	}
	cache := map[string]*source.File{}
	open := func(path string) *source.File {
		if f, ok := cache[path]; ok {
			return f
		}
		b, err := os.ReadFile(path)
		if err != nil {
			cache[path] = nil
			return nil
		}
		f := source.ParseYAML(path, b)
		cache[path] = f
		return f
	}
	var configs []types.ConfigFile
	for _, name := range cp.Files {
		f := open(filepath.Join(dir, name))
		if f == nil {
			return nil, fmt.Errorf("cannot read %s", name)
		}
		if f.Err != nil {
			return nil, fmt.Errorf("%s: %v", name, f.Err)
		}
		p.files = append(p.files, f)
		configs = append(configs, types.ConfigFile{Filename: f.Path, Content: f.Content})
	}
	if p.model, err = p.load(configs); err != nil {
		return nil, err
	}
	p.opts = Options{WorkingDir: dir, Lookup: p.lookup, Open: open, ReadFile: os.ReadFile}
	return p, nil
}

// load runs compose-go on the given files, with the project's environment
// and no OS environment.
func (p *project) load(configs []types.ConfigFile) (map[string]any, error) {
	model, err := loader.LoadModelWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  p.dir,
		ConfigFiles: configs,
		Environment: p.env,
	}, func(o *loader.Options) {
		o.SetProjectName("test", true)
		o.SkipNormalization = true
		o.ResolvePaths = false
		o.SkipConsistencyCheck = true
		o.SkipResolveEnvironment = true
		o.SkipDefaultValues = true
		o.Profiles = []string{"*"}
	})
	if err != nil {
		return nil, fmt.Errorf("compose-go: %w", err)
	}
	return model, nil
}

func TestSelfCheck(t *testing.T) {
	projects := readProjects(t, corpusRoot)
	if len(projects) < 20 {
		t.Fatalf("PROJECTS.tsv lists %d projects, want at least 20", len(projects))
	}
	selfCheck(t, corpusRoot, projects)
}

func selfCheck(t *testing.T, root string, projects []corpusProject) {
	total := 0
	defer func() { t.Logf("%d leaves in %d projects", total, len(projects)) }()
	for _, cp := range projects {
		t.Run(cp.String(), func(t *testing.T) {
			p, err := loadProject(root, cp)
			if err != nil {
				t.Fatal(err)
			}
			ix := Build(p.files, p.opts)
			leaves := 0
			defer func() { total += leaves }()
			WalkModel(p.model, p.dir, func(path Path, leaf any) {
				leaves++
				if msg := p.check(ix, path, leaf); msg != "" {
					t.Errorf("%s: %s", path, msg)
				}
			})
			if leaves == 0 {
				t.Error("the model has no leaves")
			}
			// The other way round: what the index keeps is in the model.
			for _, path := range staleDefs(ix, p.model, p.dir) {
				d := ix.Get(path)
				t.Errorf("%s: the index keeps %s, which is not in the model", path, p.where(d))
			}
		})
	}
}

// check returns why ix does not account for leaf at path, or "".
func (p *project) check(ix *Index, path Path, leaf any) string {
	def, exact := ix.Lookup(path)
	if def == nil {
		return fmt.Sprintf("want %s, found no definition", show(leaf))
	}
	where := p.where(def)
	n := resolve(def.Value)
	if n == nil {
		return fmt.Sprintf("want %s, found a nil node at %s", show(leaf), where)
	}
	if exact {
		switch leaf.(type) {
		case map[string]any, []any: // an empty mapping or sequence
			if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode || n.Tag == "!!null" {
				return ""
			}
			return fmt.Sprintf("want %s, found %s at %s", show(leaf), n.Value, where)
		}
		if n.Kind != yaml.ScalarNode {
			if external(path, leaf, n, ix) {
				return ""
			}
			return fmt.Sprintf("want %s, found a %s at %s", show(leaf), kindName(n), where)
		}
		parent := path[:len(path)-1]
		if kind := seqKindOf(parent); def.Key == nil && kind.isMapLike() {
			// An item of a KEY=VALUE list, or a network name.
			k, v := keyValue(kind, def.Interpolate(n.Value))
			if e, ok := lookupIn(def, k); ok && v == nil && e == scalarString(leaf) {
				return "" // `- KEY` takes its value from the environment
			}
			if v == nil && leaf == nil || v != nil && sameValue(leaf, v.(string)) {
				return ""
			}
			return fmt.Sprintf("want %s, found %q at %s", show(leaf), n.Value, where)
		}
		if sameScalar(leaf, n, def) || p.resolvedPath(path, leaf, def.Interpolate(n.Value), def) {
			return ""
		}
		return fmt.Sprintf("want %s, found %q at %s", show(leaf), n.Value, where)
	}
	// Not written as such: a field of a short syntax that compose-go expanded.
	if p.allowedDefault(path, leaf, def) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		if external(path, leaf, n, ix) || fromEnvironment(path, leaf, ix) {
			return ""
		}
		return fmt.Sprintf("want %s, nearest definition is a %s at %s", show(leaf), kindName(n), where)
	}
	text := n.Value
	if n.Tag == "!!str" {
		text = def.Interpolate(text)
	}
	if s := scalarString(leaf); s != "" && strings.Contains(text, s) || inPortRange(text, leaf) ||
		p.resolvedPath(path, leaf, volumeSource(path, text), def) {
		return ""
	}
	return fmt.Sprintf("want %s, nearest definition %q at %s does not say it", show(leaf), n.Value, where)
}

func (p *project) where(d *Def) string {
	name := d.File.Path
	if rel, err := filepath.Rel(p.dir, name); err == nil {
		name = rel
	}
	return fmt.Sprintf("%s:%d", name, d.Node().Line)
}

// defaults are the values compose-go's canonical form adds that no file
// wrote (SetDefaultValues is skipped, so only those of transform.Canonical
// and the merge remain).
var defaults = []struct {
	pattern string
	value   any
	why     string
}{
	{"services.*.volumes.*.type", "bind", "short syntax with a host path"},
	{"services.*.volumes.*.type", "volume", "short syntax with a volume name, or none"},
	{"services.*.volumes.*.read_only", true, "short syntax with :ro"},
	{"services.*.volumes.*.bind.create_host_path", true, "short syntax bind mount"},
	{"services.*.volumes.*.volume.nocopy", true, "short syntax with :nocopy"},
	{"services.*.volumes.*.volume", map[string]any{}, "short syntax with a volume name"},
	{"services.*.ports.*.protocol", "tcp", "short syntax without /udp"},
	{"services.*.ports.*.mode", "ingress", "short syntax"},
	{"services.*.devices.*.permissions", "rwm", "short syntax without permissions"},
	{"services.*.env_file.*.required", true, "env_file as a path"},
	{"services.*.depends_on.*.condition", "service_started", "depends_on as a list"},
	{"services.*.depends_on.*.required", true, "depends_on as a list, or without required"},
	{"services.*.gpus.*.count", "all", "gpus: all"},
	// Included projects are loaded with SetDefaultValues.
	{"services.*.build.context", ".", "build without a context, in an included file"},
	{"services.*.secrets.*.target", "/run/secrets/*", "secret without a target, in an included file"},
}

func (p *project) allowedDefault(path Path, leaf any, def *Def) bool {
	for _, d := range defaults {
		if !matches(path, d.pattern) {
			continue
		}
		// Compare as text: the model has types.OptOut for create_host_path.
		want, got := fmt.Sprint(d.value), fmt.Sprint(leaf)
		if want == got || p.resolvedPath(path, leaf, want, def) {
			return true
		}
		if prefix, ok := strings.CutSuffix(want, "*"); ok && strings.HasPrefix(got, prefix) {
			return true
		}
	}
	return false
}

// external accepts `external: true` and the name compose-go adopts from the
// deprecated `external: {name: x}`.
func external(path Path, leaf any, n *yaml.Node, ix *Index) bool {
	if len(path) != 3 || n.Kind != yaml.MappingNode {
		return false
	}
	switch path[2] {
	case "external":
		return leaf == true
	case "name":
		d := ix.Get(path[:2].Child("external", "name"))
		return d != nil && d.Interpolate(resolve(d.Value).Value) == leaf
	}
	return false
}

// fromEnvironment accepts the value compose-go gives a secret or config
// declared with `environment: VAR`.
func fromEnvironment(path Path, leaf any, ix *Index) bool {
	if len(path) != 3 || (path[0] != "secrets" || path[2] != types.SecretConfigXValue) && (path[0] != "configs" || path[2] != "content") {
		return false
	}
	d := ix.Get(path[:2].Child("environment"))
	if d == nil || resolve(d.Value).Kind != yaml.ScalarNode || d.Env == nil {
		return false
	}
	v, ok := d.Env(d.Interpolate(resolve(d.Value).Value))
	return ok && v == leaf
}

// resolvedPath accepts a path compose-go resolved against the directory of
// an included project or extended file: text joined to that directory,
// absolute or relative to the project.
func (p *project) resolvedPath(path Path, leaf any, text string, d *Def) bool {
	s, ok := leaf.(string)
	if !ok {
		return false
	}
	resolved := false
	for _, pattern := range []string{
		"services.*.build.context", "services.*.build.additional_contexts.*",
		"services.*.env_file.*.path", "services.*.label_file.*",
		"services.*.volumes.*.source", "services.*.develop.watch.*.path",
		"configs.*.file", "secrets.*.file",
	} {
		resolved = resolved || matches(path, pattern)
	}
	if !resolved {
		return false
	}
	rel, _ := filepath.Rel(p.dir, d.Dir)
	for _, base := range []string{d.Dir, rel} {
		if filepath.Join(base, text) == s {
			return true
		}
	}
	return false
}

// volumeSource is the source of a short-syntax volume, else text.
func volumeSource(path Path, text string) string {
	if matches(path, "services.*.volumes.*.source") {
		if v, err := format.ParseVolume(text); err == nil {
			return v.Source
		}
	}
	return text
}

// sameScalar compares a leaf with the value of a scalar node: interpolated
// when the node is a string, else as YAML decodes it.
func sameScalar(leaf any, n *yaml.Node, d *Def) bool {
	if n.Tag == "!!str" {
		return sameValue(leaf, d.Interpolate(n.Value))
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return false
	}
	if v == nil {
		return leaf == nil || leaf == ""
	}
	return sameValue(leaf, scalarString(v)) || sameValue(v, scalarString(leaf))
}

// sameValue compares a model value with text, as compose-go's interpolation
// casts text to booleans and numbers.
func sameValue(leaf any, text string) bool {
	switch v := leaf.(type) {
	case nil:
		return text == "" || text == "null" || text == "~"
	case string:
		return v == text
	case bool:
		switch strings.ToLower(text) {
		case "true", "yes", "y", "on":
			return v
		case "false", "no", "n", "off":
			return !v
		}
		return false
	case float32:
		f, err := strconv.ParseFloat(text, 32)
		return err == nil && float32(f) == v
	case float64:
		f, err := strconv.ParseFloat(text, 64)
		return err == nil && f == v
	case int, int64, uint32, uint64:
		if scalarString(v) == text {
			return true
		}
		if i, err := strconv.ParseInt(text, 0, 64); err == nil {
			return scalarString(i) == scalarString(v)
		}
		f, err := strconv.ParseFloat(text, 64)
		return err == nil && strconv.FormatFloat(f, 'f', -1, 64) == scalarString(v)
	}
	return scalarString(leaf) == text
}

// inPortRange accepts a port of a range ("8000-8002:80-82") written in text.
func inPortRange(text string, leaf any) bool {
	n, err := strconv.Atoi(scalarString(leaf))
	if err != nil {
		return false
	}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ':' || r == '/' }) {
		lo, hi, ok := strings.Cut(f, "-")
		if !ok {
			continue
		}
		l, err1 := strconv.Atoi(lo)
		h, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && l <= n && n <= h {
			return true
		}
	}
	return false
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%v (%T)", v, v)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	}
	return "scalar"
}

func lookupIn(d *Def, k string) (string, bool) {
	if d.Env == nil {
		return "", false
	}
	return d.Env(k)
}

// staleDefs returns the paths the index defines that the model lacks, but
// for the keys compose-go consumes while loading.
func staleDefs(ix *Index, model map[string]any, dir string) []Path {
	inModel := map[string]bool{}
	WalkModel(model, dir, func(p Path, _ any) {
		for i := range p {
			inModel[p[:i+1].String()] = true
		}
	})
	var out []Path
	var walk func(t *treeNode, p Path)
	walk = func(t *treeNode, p Path) {
		if len(p) > 0 && consumed(p) {
			return
		}
		if len(t.defs) > 0 && !inModel[p.String()] {
			out = append(out, p)
			return
		}
		for _, seg := range t.order {
			walk(t.children[seg], p.Child(seg))
		}
	}
	walk(&ix.root, Path{})
	return out
}

// consumed reports whether compose-go drops p from the model it returns.
func consumed(p Path) bool {
	for _, pattern := range []string{
		"version", "include",
		"services.*.extends",
		"*.*.external.name", // becomes name
	} {
		if matches(p, pattern) {
			return true
		}
	}
	return false
}

// maxMutations bounds the compose-go loads TestSelfCheckMutations makes per project.
const maxMutations = 24

// TestSelfCheckMutations checks that the definition Lookup finds is the one
// that decides the model: rewriting its text in its file must change the
// leaf compose-go loads. Only string leaves defined in the -f files are
// rewritten (the files compose-go reads from memory). A rewrite that changes
// the leaf's own identity, or that compose-go rejects, proves nothing and is
// counted apart.
func TestSelfCheckMutations(t *testing.T) {
	mutationCheck(t, corpusRoot, readProjects(t, corpusRoot))
}

func mutationCheck(t *testing.T, root string, projects []corpusProject) {
	var changed, inconclusive atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d rewrites changed the leaf, %d proved nothing", changed.Load(), inconclusive.Load())
		if changed.Load() == 0 {
			t.Error("no rewrite changed the model")
		}
	})
	for _, cp := range projects {
		t.Run(cp.String(), func(t *testing.T) {
			t.Parallel() // each rewrite is a compose-go load
			p, err := loadProject(root, cp)
			if err != nil {
				t.Fatal(err)
			}
			ix := Build(p.files, p.opts)
			for i, m := range p.mutations(ix) {
				marker := fmt.Sprintf("mutated%d", i)
				configs := make([]types.ConfigFile, len(p.files))
				for j, f := range p.files {
					configs[j] = types.ConfigFile{Filename: f.Path, Content: f.Content}
					if f == m.def.File {
						r := f.Span(m.node)
						start, end := f.Offset(r.Start), f.Offset(r.End)
						configs[j].Content = slices.Concat(f.Content[:start], []byte(strconv.Quote(marker)), f.Content[end:])
					}
				}
				model, err := p.load(configs)
				if err != nil {
					inconclusive.Add(1)
					continue
				}
				got, ok := leafAt(model, p.dir, m.path)
				switch {
				case !ok:
					inconclusive.Add(1)
				case !strings.Contains(scalarString(got), marker):
					t.Errorf("%s: rewriting %s left the model at %s", m.path, p.where(m.def), show(got))
				default:
					changed.Add(1)
				}
			}
		})
	}
}

type mutation struct {
	path Path
	def  *Def
	node *yaml.Node
}

// mutations picks leaves to rewrite: all those defined after the first file
// (overrides are where a wrong file would show), then others evenly spread.
func (p *project) mutations(ix *Index) []mutation {
	var late, early []mutation
	WalkModel(p.model, p.dir, func(path Path, leaf any) {
		if _, ok := leaf.(string); !ok {
			return
		}
		def, exact := ix.Lookup(path)
		if !exact || def.Key == nil || !slices.Contains(p.files, def.File) || identityField(path) {
			return
		}
		n := resolve(def.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return
		}
		m := mutation{path: path, def: def, node: n}
		if def.File != p.files[0] {
			late = append(late, m)
		} else {
			early = append(early, m)
		}
	})
	if len(late) > maxMutations/2 {
		late = late[:maxMutations/2]
	}
	step := max(1, len(early)/(maxMutations-len(late)))
	for i := 0; i < len(early) && len(late) < maxMutations; i += step {
		late = append(late, early[i])
	}
	return late
}

// identityField reports whether the last segment of path is a field the
// identity of its sequence item is made of: rewriting it moves the item.
func identityField(path Path) bool {
	if len(path) < 3 {
		return false
	}
	var fields []string
	switch seqKindOf(path[:len(path)-2]) {
	case seqVolume, seqDevice:
		fields = []string{"target"}
	case seqSecret, seqConfig:
		fields = []string{"source", "target"}
	case seqPorts:
		fields = []string{"host_ip", "published", "target", "protocol"}
	case seqEnvFile:
		fields = []string{"path"}
	}
	return slices.Contains(fields, path[len(path)-1])
}

// leafAt returns the leaf of model at path.
func leafAt(model map[string]any, dir string, path Path) (any, bool) {
	want := path.String()
	var got any
	found := false
	WalkModel(model, dir, func(p Path, leaf any) {
		if !found && p.String() == want {
			got, found = leaf, true
		}
	})
	return got, found
}

// fileOf returns the base name of the file that last defined path, and
// whether it is exactly path that it defined.
func fileOf(ix *Index, path Path) (string, bool) {
	d, exact := ix.Lookup(path)
	if d == nil {
		return "", false
	}
	return filepath.Base(d.File.Path), exact
}

func TestLastDefinitionWins(t *testing.T) {
	p, err := loadProject(corpusRoot, corpusProject{Workdir: "synthetic-three-files",
		Files: []string{"compose.yaml", "override.yaml", "last.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	ix := Build(p.files, p.opts)
	web := Path{"services", "web"}
	html := web.Child("volumes", Item("/usr/share/nginx/html"))
	port := web.Child("ports", Item(PortIdentity("", "8080", 80, "tcp")))
	webEnv := web.Child("env_file", Item(filepath.Join(p.dir, "web.env")))
	for _, tc := range []struct {
		path Path
		file string
	}{
		{web.Child("image"), "override.yaml"},
		{web.Child("environment", "MODE"), "compose.yaml"},
		{web.Child("environment", "DEBUG"), "override.yaml"},
		{html, "last.yaml"},
		{html.Child("source"), "last.yaml"},
		{web.Child("volumes", Item("/var/cache/nginx")), "last.yaml"},
		{port, "last.yaml"},
		{port.Child("app_protocol"), "last.yaml"},
		{web.Child("ports", Item(PortIdentity("127.0.0.1", "8443", 443, ""))), "compose.yaml"},
		{web.Child("dns", Item("8.8.8.8")), "compose.yaml"},
		{web.Child("dns", Item("1.1.1.1")), "override.yaml"},
		{webEnv.Child("required"), "last.yaml"},
	} {
		if got, exact := fileOf(ix, tc.path); got != tc.file || !exact {
			t.Errorf("%s: defined in %s (exact %v), want %s", tc.path, got, exact, tc.file)
		}
	}
	// The long syntax replaced the short one whole: its :ro is gone.
	if d := ix.Get(html.Child("read_only")); d != nil {
		t.Errorf("%s: still defined at %s", html.Child("read_only"), p.where(d))
	}
	if _, ok := leafAt(p.model, p.dir, html.Child("read_only")); ok {
		t.Errorf("compose-go kept %s", html.Child("read_only"))
	}
	var files []string
	for _, d := range ix.Defs(web.Child("image")) {
		files = append(files, filepath.Base(d.File.Path))
	}
	if got := strings.Join(files, ","); got != "compose.yaml,override.yaml" {
		t.Errorf("Defs(image) in %s", got)
	}
}

func TestResetRemoves(t *testing.T) {
	p, err := loadProject(corpusRoot, corpusProject{Workdir: "synthetic-reset-override",
		Files: []string{"compose.yaml", "override.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	ix := Build(p.files, p.opts)
	app := Path{"services", "app"}
	// !reset removes the key: Lookup falls back to the service, not exact.
	for _, path := range []Path{
		app.Child("ports"),
		app.Child("ports", Item(PortIdentity("", "3000", 3000, ""))),
		app.Child("labels", "team"),
		app.Child("depends_on", "db"),
		{"volumes", "scratch"},
	} {
		if d := ix.Get(path); d != nil {
			t.Errorf("%s: defined at %s after !reset", path, p.where(d))
		}
		if d, exact := ix.Lookup(path); exact {
			t.Errorf("%s: Lookup found it at %s after !reset", path, p.where(d))
		}
		if _, ok := leafAt(p.model, p.dir, path); ok {
			t.Errorf("compose-go kept %s", path)
		}
	}
	if keys := strings.Join(ix.Keys(app), ","); keys != "image,environment" {
		t.Errorf("Keys(%s) = %s", app, keys)
	}
	// !override replaces the whole mapping or list.
	if d := ix.Get(app.Child("environment", "DB_HOST")); d != nil {
		t.Errorf("DB_HOST: defined at %s after !override", p.where(d))
	}
	if got, _ := fileOf(ix, app.Child("environment", "LOG_LEVEL")); got != "override.yaml" {
		t.Errorf("LOG_LEVEL defined in %s", got)
	}
	vol := Path{"services", "db", "volumes", Item("/var/lib/postgresql/data")}
	if got, exact := fileOf(ix, vol.Child("type")); got != "override.yaml" || !exact {
		t.Errorf("%s: defined in %s", vol.Child("type"), got)
	}
	if d := ix.Get(vol.Child("source")); d != nil {
		t.Errorf("%s: defined at %s after !override", vol.Child("source"), p.where(d))
	}
}

// BenchmarkBuild indexes every project of the corpus, files already parsed.
func BenchmarkBuild(b *testing.B) {
	var projects []*project
	for _, cp := range readProjects(b, corpusRoot) {
		p, err := loadProject(corpusRoot, cp)
		if err != nil {
			b.Fatal(err)
		}
		projects = append(projects, p)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range projects {
			Build(p.files, p.opts)
		}
	}
}
