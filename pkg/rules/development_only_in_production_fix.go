package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// The fix of development-only-in-production moves an entry that production
// runs (a source mount, a published port, DJANGO_ENV=development in
// `environment` or a build arg, a development-server `command`) out of the
// file production loads and, when development ran it from there, into the
// development override, under the same service and key, so that
// development runs what it ran and production no longer does.

// devonlyMove is what a finding would move: the model path of the entry in
// the production model, and the keys under the service of the collection
// that holds it (none for `command`, a key of the service itself).
type devonlyMove struct {
	svc  string
	path index.Path
	coll []string
	what string // for the fix message: "the source mount at /code"
}

// devonlyFinding is a finding waiting for its fix: fixes are computed once
// every finding of the pass is known (an entry that an anchor shares is
// moved for every service that uses it, and only if each of them is found).
type devonlyFinding struct {
	report func(fixes ...lint.Fix)
	move   devonlyMove
}

func (m devonlyMove) key() string {
	if len(m.path) < 2 {
		return ""
	}
	return m.svc + "\x00" + strings.Join(m.path[2:], "\x00")
}

// devonlyUser is a service whose model holds a node at a path: last says
// whether that node is what the model holds (it was not replaced later).
type devonlyUser struct {
	svc  string
	last bool
}

// devonlyUsers returns the services of env whose model has, at rel under
// the service, a definition by the node of def (through an anchor, a `<<`
// merge or extends, several services share one node).
func devonlyUsers(env *load.Result, rel index.Path, def *index.Def) []devonlyUser {
	if env.Project == nil || env.Index == nil {
		return nil
	}
	var names []string
	for n := range env.Project.Services {
		names = append(names, n)
	}
	for n := range env.Project.DisabledServices {
		names = append(names, n)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var out []devonlyUser
	for _, n := range names {
		defs := env.Index.Defs(index.Path{"services", n}.Child(rel...))
		for i, d := range defs {
			if d.File == def.File && d.Value == def.Value && d.Key == def.Key {
				out = append(out, devonlyUser{svc: n, last: i == len(defs)-1})
				break
			}
		}
	}
	return out
}

// devonlyFix builds the fix of one finding (nil when none is safe).
func devonlyFix(p *lint.Pass, m devonlyMove, flagged map[string]bool) []lint.Fix {
	if m.svc == "" || len(m.path) < 3 {
		return nil
	}
	prod := p.Env
	def := prod.Index.Get(m.path)
	if def == nil || def.Value == nil || def.Value.Kind == yaml.AliasNode {
		return nil
	}
	f := prodfixProjectFile(p, def.File.Path)
	if f == nil || f.Err != nil || f != def.File {
		return nil // a file reached through include or extends
	}
	var dev *load.Result
	for _, env := range p.Project.Environments {
		if env != prod && env.Name == "development" {
			dev = env
		}
	}
	if dev == nil || dev.Project == nil || dev.Index == nil {
		return nil // no development environment to keep: nowhere to move to
	}
	over, created, ok := devonlyOverride(p, prod, dev)
	if !ok || prodfixEnvLoads(prod, over.Path) {
		return nil
	}
	// Other environments (staging…) would lose or gain the entry.
	for _, env := range p.Project.Environments {
		if env != prod && env != dev && (prodfixEnvLoads(env, f.Path) || prodfixEnvLoads(env, over.Path)) {
			return nil
		}
	}
	rel := m.path[2:]
	prodUsers := devonlyUsers(prod, rel, def)
	devUsers := devonlyUsers(dev, rel, def)
	for _, u := range prodUsers {
		if !u.last {
			continue
		}
		svc, enabled := prod.Project.Services[u.svc]
		if enabled && dbenvStarts(p, svc) && !flagged[u.svc+"\x00"+strings.Join(rel, "\x00")] {
			return nil // another service shares the entry, and there it belongs to production
		}
		if len(m.coll) == 0 && !devonlyKeepsCommand(prod, u.svc, rel, def) {
			// Without it, production would run the image's default command.
			return nil
		}
	}
	del, emptied, ok := devonlyDelete(f, def, len(m.coll) == 0)
	if !ok {
		return nil
	}
	edits := []lint.TextEdit{del}
	var adds []lint.TextEdit
	var into []string
	if slices.ContainsFunc(devUsers, func(u devonlyUser) bool { return u.last }) {
		entry, ok := devonlyEntry(f, def, emptied)
		if !ok {
			return nil
		}
		st := prodfixStyleOf(over, f)
		cur := over
		for _, u := range devUsers {
			if !u.last {
				continue
			}
			e, err := prodfixAdd(cur, st, append([]string{"services", u.svc}, m.coll...), entry)
			if err != nil {
				return nil
			}
			// Each addition sees the ones before it (a service created for
			// the first user is where the second one goes, too).
			next := string(cur.Content[:e.Start]) + e.NewText + string(cur.Content[e.End:])
			cur = source.ParseYAML(over.Path, []byte(next))
			into = append(into, u.svc)
		}
		add := prodfixDiffEdit(over, cur.Content)
		if created {
			text := "# Development only: docker compose loads this file after " + filepath.Base(f.Path) +
				"; production does not.\n" + add.NewText
			if prodfixCRLF(f) {
				text = strings.ReplaceAll(text, "\n", "\r\n")
			}
			add.NewText = text
		}
		adds = append(adds, add)
		edits = append(edits, adds...)
	}
	var affects []string
	seen := map[string]bool{}
	for _, u := range append(prodUsers, devUsers...) {
		a := devonlyAffects(u.svc, m, emptied)
		if !seen[a] {
			seen[a] = true
			affects = append(affects, a)
		}
	}
	var users []string
	for _, u := range prodUsers {
		if u.last {
			users = append(users, u.svc)
		}
	}
	why := "development does not load it"
	if prodfixEnvLoads(dev, f.Path) {
		why = "development sets its own in " + prodfixRel(p, over.Path)
	}
	msg := fmt.Sprintf("remove %s of %s from %s (%s)", m.what, dbenvQuoteList(users), prodfixRel(p, f.Path), why)
	if len(into) > 0 {
		msg = fmt.Sprintf("move %s of %s from %s to %s", m.what, dbenvQuoteList(users), prodfixRel(p, f.Path), prodfixRel(p, over.Path))
		if !slices.Equal(into, users) {
			msg += " (for " + dbenvQuoteList(into) + ")"
		}
	}
	return []lint.Fix{{Message: msg, Safety: lint.Unsafe, Edits: edits, Affects: affects}}
}

// devonlyAffects is the model path a move changes for service svc: the
// list (volumes, ports: items shift), the variable or build arg (the
// whole mapping when it is emptied), the command.
func devonlyAffects(svc string, m devonlyMove, emptied bool) string {
	p := index.Path{"services", svc}.Child(m.coll...)
	if len(m.coll) == 0 || emptied || m.coll[len(m.coll)-1] == "volumes" || m.coll[len(m.coll)-1] == "ports" {
		if len(m.coll) == 0 {
			p = p.Child(m.path[2:]...)
		}
		return strings.Join(p, ".")
	}
	return strings.Join(p.Child(m.path[len(m.path)-1]), ".")
}

// devonlyKeepsCommand tells whether production still runs a command of its
// own for svc once def is gone: an earlier definition (one that def
// overrides, through extends or a `<<` merge) is left.
func devonlyKeepsCommand(env *load.Result, svc string, rel index.Path, def *index.Def) bool {
	for _, d := range env.Index.Defs(index.Path{"services", svc}.Child(rel...)) {
		if d.Value != def.Value || d.Key != def.Key {
			return true
		}
	}
	return false
}

// devonlyOverride returns the file development-only settings go in: the
// last file of development that production does not load, or, when there
// is none, the base file's override twin (docker-compose.override.yml next
// to docker-compose.yml), created — only where discovery will load it:
// environments not configured, COMPOSE_FILE not set.
func devonlyOverride(p *lint.Pass, prod, dev *load.Result) (f *source.File, created, ok bool) {
	for i := len(dev.Files) - 1; i >= 0; i-- {
		if !prodfixEnvLoads(prod, dev.Files[i].Path) {
			o := dev.Files[i]
			return o, false, o.Err == nil && len(o.Docs) <= 1
		}
	}
	if len(dev.Files) != 1 || len(prod.Files) < 2 || dev.Files[0].Path != prod.Files[0].Path {
		return nil, false, false
	}
	base := dev.Files[0].Path
	if filepath.Dir(base) != filepath.Clean(p.Project.Dir) || p.Project.Vars["COMPOSE_FILE"] != "" {
		return nil, false, false
	}
	if !slices.Contains([]string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}, filepath.Base(base)) {
		return nil, false, false
	}
	if p.Project.ReadFile != nil {
		if cfg, err := p.Project.ReadFile(filepath.Join(p.Project.Dir, ".composelint.yaml")); err == nil {
			var doc map[string]any
			if yaml.Unmarshal(cfg.Content, &doc) != nil || doc["environments"] != nil {
				return nil, false, false // configured environments: the new file would not be loaded
			}
		}
	}
	ext := filepath.Ext(base)
	twin := strings.TrimSuffix(base, ext) + ".override" + ext
	if p.Project.ReadFile != nil {
		if _, err := p.Project.ReadFile(twin); err == nil {
			return nil, false, false
		}
	}
	return source.New(twin, nil), true, true
}

// devonlyParent is where a node sits in its document: the collection that
// holds it and, for a mapping entry, its key.
type devonlyParent struct {
	coll, key *yaml.Node
}

// devonlyParents maps every node of f (aliases not followed) to its parent.
func devonlyParents(f *source.File) map[*yaml.Node]devonlyParent {
	out := map[*yaml.Node]devonlyParent{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 64 || n.Kind == yaml.AliasNode {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				out[n.Content[i]] = devonlyParent{coll: n, key: n.Content[i]}
				out[n.Content[i+1]] = devonlyParent{coll: n, key: n.Content[i]}
				walk(n.Content[i+1], depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				out[c] = devonlyParent{coll: n}
				walk(c, depth+1)
			}
		}
	}
	for _, doc := range f.Docs {
		walk(doc, 0)
	}
	return out
}

// devonlyHasAnchors tells whether a subtree defines an anchor or uses an
// alias: deleting or copying it would break or change other nodes.
func devonlyHasAnchors(n *yaml.Node, depth int) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode || depth > 64 {
		return true
	}
	for _, c := range n.Content {
		if devonlyHasAnchors(c, depth+1) {
			return true
		}
	}
	return false
}

// devonlyDelete deletes the entry of def from f: the item (with the
// comment lines above it), or the mapping entry; the collection's key too
// when the entry was its last one (emptied). It refuses to empty the
// mapping that holds the collection (a service, a `build`), flow style
// (unless the whole key goes), and anchors or aliases in what it deletes.
func devonlyDelete(f *source.File, def *index.Def, serviceKey bool) (edit lint.TextEdit, emptied, ok bool) {
	parents := devonlyParents(f)
	node := def.Value
	if def.Key != nil {
		node = def.Key
	}
	par, found := parents[node]
	if !found {
		return lint.TextEdit{}, false, false
	}
	coll := par.coll
	size := len(coll.Content)
	if coll.Kind == yaml.MappingNode {
		size /= 2
	}
	if coll.Style&yaml.FlowStyle != 0 {
		return lint.TextEdit{}, false, false // the entry's text is not its lines
	}
	// A command is a key of the service mapping itself: never its last one.
	if size > 1 || serviceKey {
		if size <= 1 || devonlyHasAnchors(def.Value, 0) || def.Key != nil && def.Key.Anchor != "" {
			return lint.TextEdit{}, false, false
		}
		if def.Key != nil {
			return yamledit.DeleteKey(f, def.Key, true), false, true
		}
		return yamledit.DeleteItem(f, def.Value, true), false, true
	}
	// The last entry: the collection's key goes with it.
	up, found := parents[coll]
	if !found || up.key == nil || up.coll.Kind != yaml.MappingNode || up.coll.Style&yaml.FlowStyle != 0 || len(up.coll.Content) <= 2 {
		return lint.TextEdit{}, false, false
	}
	if devonlyHasAnchors(coll, 0) || up.key.Anchor != "" || prodfixIsMergeKey(up.key) {
		return lint.TextEdit{}, false, false
	}
	return yamledit.DeleteKey(f, up.key, true), true, true
}

// devonlyEntry is the text of def's entry as it goes into the override:
// its lines with the comments above them, at column 0, in its own form and,
// for a single-line KEY=VALUE, in the other (a list item "- K=V" and a
// mapping entry "K: V"), for an override that writes the collection the
// other way. When the collection's key is deleted too, the comments above
// that key come along (Above).
func devonlyEntry(f *source.File, def *index.Def, emptied bool) (prodfixEntry, bool) {
	var e prodfixEntry
	norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	if emptied {
		parents := devonlyParents(f)
		node := def.Value
		if def.Key != nil {
			node = def.Key
		}
		if up, ok := parents[parents[node].coll]; ok && up.key != nil {
			first, _ := yamledit.KeyLines(f, up.key, true)
			if first < up.key.Line {
				e.Above = yamledit.Reindent(norm(yamledit.Text(f, first, up.key.Line-1)), -(up.key.Column - 1))
			}
		}
	}
	v := def.Value
	single := v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && f.Span(v).End.Line == v.Line
	if def.Key != nil {
		first, last := yamledit.KeyLines(f, def.Key, true)
		e.Key = yamledit.Reindent(norm(yamledit.Text(f, first, last)), -(def.Key.Column - 1))
		e.PreferKey = true
		if single && def.Key.Line == v.Line && first == def.Key.Line && v.Tag != "!!null" {
			e.Item = "- " + prodfixScalar(def.Key.Value+"="+v.Value) + devonlyTrailingComment(f, v) + "\n"
		}
		return e, true
	}
	first, last := yamledit.ItemLines(f, v, true)
	dash := yamledit.DashColumn(f, v)
	e.Item = yamledit.Reindent(norm(yamledit.Text(f, first, last)), -dash)
	if single && first == v.Line {
		if k, val, ok := strings.Cut(v.Value, "="); ok {
			e.Key = prodfixKeyText(k) + ": " + prodfixScalar(val) + devonlyTrailingComment(f, v) + "\n"
		}
	}
	return e, true
}

// devonlyTrailingComment returns the comment after a scalar on its line
// ("  # …"), or "".
func devonlyTrailingComment(f *source.File, v *yaml.Node) string {
	r := f.Span(v)
	line := f.Line(r.End.Line)
	off := f.Offset(r.End) - f.Offset(source.Pos{Line: r.End.Line, Col: 1})
	if off < 0 || off > len(line) {
		return ""
	}
	rest := line[off:]
	if t := strings.TrimLeft(rest, " \t"); strings.HasPrefix(t, "#") && t != rest {
		return "  " + t
	}
	return ""
}
