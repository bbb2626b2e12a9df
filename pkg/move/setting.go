package move

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

// A development-only setting that production runs (a source mount, a
// published port, DJANGO_ENV=development in `environment` or a build arg, a
// development-server `command`) leaves the file production loads and, when
// development ran it from there, goes into the development override, under
// the same service and key: development runs what it ran and production no
// longer does.

// Setting is what moves: the model path of the entry in the production
// model (services.NAME...), and the keys under the service of the
// collection that holds it (none for `command`, a key of the service
// itself).
type Setting struct {
	Path       index.Path
	Collection []string
	What       string // for the fix message: "the source mount at /code"
}

// Key identifies the entry a setting moves, for the service that holds it.
func (m Setting) Key() string {
	if len(m.Path) < 3 {
		return ""
	}
	return strings.Join(m.Path[1:], "\x00")
}

// user is a service whose model holds a node at a path: last says
// whether that node is what the model holds (it was not replaced later).
type user struct {
	svc  string
	last bool
}

// users returns the services of env whose model has, at rel under
// the service, a definition by the node of def (through an anchor, a `<<`
// merge or extends, several services share one node).
func users(c *canon, env *load.Result, rel index.Path, def *index.Def) []user {
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
	var out []user
	for _, n := range names {
		defs := c.defs(env, index.Path{"services", n}.Child(rel...))
		for i, d := range defs {
			if d.File == def.File && d.Value == def.Value && d.Key == def.Key {
				out = append(out, user{svc: n, last: i == len(defs)-1})
				break
			}
		}
	}
	return out
}

// SettingFix returns the unsafe fix that moves setting m out of the
// production environment prod (nil when none is safe). keep tells whether
// another service of production that shares the entry (through an anchor,
// a `<<` merge or extends) needs it: then the entry stays.
func SettingFix(proj *lint.Project, prod *load.Result, m Setting, keep func(svc string) bool) []lint.Fix {
	if len(m.Path) < 3 || prod.Index == nil || prod.Project == nil {
		return nil
	}
	def := prod.Index.Get(m.Path)
	if def == nil || def.Value == nil || def.Value.Kind == yaml.AliasNode {
		return nil
	}
	f := ProjectFile(proj, def.File.Path)
	if f == nil || f.Err != nil || f != def.File {
		return nil // a file reached through include or extends
	}
	dev := development(proj, prod)
	if dev == nil || dev.Project == nil || dev.Index == nil {
		return nil // no development environment to keep: nowhere to move to
	}
	over, created, ok := override(proj, prod, dev)
	if !ok || Loads(prod, over.Path) {
		return nil
	}
	// Other environments (staging…) would lose or gain the entry.
	for _, env := range proj.Environments {
		if env != prod && env != dev && (Loads(env, f.Path) || Loads(env, over.Path)) {
			return nil
		}
	}
	rel := m.Path[2:]
	c := newCanon(prod)
	prodUsers, devUsers := users(c, prod, rel, def), users(c, dev, rel, def)
	for _, u := range prodUsers {
		if !u.last {
			continue
		}
		if u.svc != m.Path[1] && keep(u.svc) {
			return nil // another service shares the entry, and there it belongs to production
		}
		if len(m.Collection) == 0 && !keepsCommand(prod, u.svc, rel, def) {
			// Without it, production would run the image's default command.
			return nil
		}
	}
	del, emptied, ok := deleteEntry(f, def, len(m.Collection) == 0)
	if !ok {
		return nil
	}
	edits := []lint.TextEdit{del}
	var into []string
	if slices.ContainsFunc(devUsers, func(u user) bool { return u.last }) {
		add, ok := m.addTo(over, created, f, def, emptied, devUsers)
		if !ok {
			return nil
		}
		edits = append(edits, add)
		for _, u := range devUsers {
			if u.last {
				into = append(into, u.svc)
			}
		}
	}
	var affected []string
	for _, u := range append(prodUsers, devUsers...) {
		if a := m.affects(u.svc, emptied); !slices.Contains(affected, a) {
			affected = append(affected, a)
		}
	}
	return []lint.Fix{{Message: m.message(proj, dev, f, over, prodUsers, into), Safety: lint.Unsafe, Edits: edits, Affects: affected}}
}

// addTo is the edit that writes the entry of def (from f) into the override
// for every development service that uses it.
func (m Setting) addTo(over *source.File, created bool, f *source.File, def *index.Def, emptied bool, devUsers []user) (lint.TextEdit, bool) {
	entry, ok := entryText(f, def, emptied)
	if !ok {
		return lint.TextEdit{}, false
	}
	st := yamledit.StyleOf(over, f)
	cur := over
	for _, u := range devUsers {
		if !u.last {
			continue
		}
		e, err := yamledit.Add(cur, st, append([]string{"services", u.svc}, m.Collection...), entry)
		if err != nil {
			return lint.TextEdit{}, false
		}
		// Each addition sees the ones before it (a service created for
		// the first user is where the second one goes, too).
		next := string(cur.Content[:e.Start]) + e.NewText + string(cur.Content[e.End:])
		cur = source.ParseYAML(over.Path, []byte(next))
	}
	add := yamledit.DiffEdit(over, cur.Content)
	if created {
		add.NewText = "# Development only: docker compose loads this file after " + filepath.Base(f.Path) +
			"; production does not.\n" + add.NewText
		add.NewText = source.WithLineEnding(add.NewText, source.LineEnding(f.Content))
	}
	return add, true
}

// message says what the fix does, from f to the override over.
func (m Setting) message(proj *lint.Project, dev *load.Result, f, over *source.File, prodUsers []user, into []string) string {
	var names []string
	for _, u := range prodUsers {
		if u.last {
			names = append(names, u.svc)
		}
	}
	if len(into) == 0 {
		why := "development does not load it"
		if Loads(dev, f.Path) {
			why = "development sets its own in " + source.Rel(proj.Dir, over.Path)
		}
		return fmt.Sprintf("remove %s of %s from %s (%s)", m.What, quoteList(names), source.Rel(proj.Dir, f.Path), why)
	}
	msg := fmt.Sprintf("move %s of %s from %s to %s", m.What, quoteList(names), source.Rel(proj.Dir, f.Path), source.Rel(proj.Dir, over.Path))
	if !slices.Equal(into, names) {
		msg += " (for " + quoteList(into) + ")"
	}
	return msg
}

// affects is the model path a move changes for service svc: the
// list (volumes, ports: items shift), the variable or build arg (the
// whole mapping when it is emptied), the command.
func (m Setting) affects(svc string, emptied bool) string {
	c := m.Collection
	p := index.Path{"services", svc}.Child(c...)
	if len(c) == 0 || emptied || c[len(c)-1] == "volumes" || c[len(c)-1] == "ports" {
		if len(c) == 0 {
			p = p.Child(m.Path[2:]...)
		}
		return strings.Join(p, ".")
	}
	return strings.Join(p.Child(m.Path[len(m.Path)-1]), ".")
}

// keepsCommand tells whether production still runs a command of its
// own for svc once def is gone: an earlier definition (one that def
// overrides, through extends or a `<<` merge) is left.
func keepsCommand(env *load.Result, svc string, rel index.Path, def *index.Def) bool {
	for _, d := range env.Index.Defs(index.Path{"services", svc}.Child(rel...)) {
		if d.Value != def.Value || d.Key != def.Key {
			return true
		}
	}
	return false
}

// override returns the file development-only settings go in: the
// last file of development that production does not load, or, when there
// is none, the base file's override twin (docker-compose.override.yml next
// to docker-compose.yml), created — only where discovery will load it:
// environments not configured, COMPOSE_FILE not set.
func override(proj *lint.Project, prod, dev *load.Result) (f *source.File, created, ok bool) {
	for i := len(dev.Files) - 1; i >= 0; i-- {
		if !Loads(prod, dev.Files[i].Path) {
			o := dev.Files[i]
			return o, false, o.Err == nil && len(o.Docs) <= 1
		}
	}
	if len(dev.Files) != 1 || len(prod.Files) < 2 || dev.Files[0].Path != prod.Files[0].Path {
		return nil, false, false
	}
	base := dev.Files[0].Path
	if !slices.Contains([]string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}, filepath.Base(base)) {
		return nil, false, false
	}
	twin, ok := overrideTwin(proj, base)
	if !ok {
		return nil, false, false
	}
	return source.New(twin, nil), true, true
}

// overrideTwin is the path of the override docker compose loads after base
// when it exists (docker-compose.override.yml next to docker-compose.yml),
// or false when a created one would not be loaded (base not in the project
// directory, COMPOSE_FILE set, environments configured) or it exists.
func overrideTwin(proj *lint.Project, base string) (string, bool) {
	if filepath.Dir(base) != filepath.Clean(proj.Dir) || proj.Vars["COMPOSE_FILE"] != "" || configuresEnvironments(proj) {
		return "", false
	}
	ext := filepath.Ext(base)
	twin := strings.TrimSuffix(base, ext) + ".override" + ext
	if _, known := proj.Files[twin]; known {
		return "", false
	}
	if proj.ReadFile != nil {
		if _, err := proj.ReadFile(twin); err == nil {
			return "", false
		}
	}
	return twin, true
}

// deleteEntry deletes the entry of def from f: the item (with the
// comment lines above it), or the mapping entry; the collection's key too
// when the entry was its last one (emptied). It refuses to empty the
// mapping that holds the collection (a service, a `build`), flow style
// (unless the whole key goes), and anchors or aliases in what it deletes.
func deleteEntry(f *source.File, def *index.Def, serviceKey bool) (edit lint.TextEdit, emptied, ok bool) {
	parents := yamledit.Parents(f)
	node := def.Value
	if def.Key != nil {
		node = def.Key
	}
	par, found := parents[node]
	if !found {
		return lint.TextEdit{}, false, false
	}
	coll := par.Coll
	size := len(coll.Content)
	if coll.Kind == yaml.MappingNode {
		size /= 2
	}
	if coll.Style&yaml.FlowStyle != 0 {
		return lint.TextEdit{}, false, false // the entry's text is not its lines
	}
	// A command is a key of the service mapping itself: never its last one.
	if size > 1 || serviceKey {
		if size <= 1 || yamledit.HasAnchors(def.Value) || def.Key != nil && def.Key.Anchor != "" {
			return lint.TextEdit{}, false, false
		}
		if def.Key != nil {
			return yamledit.DeleteKey(f, def.Key, true), false, true
		}
		return yamledit.DeleteItem(f, def.Value, true), false, true
	}
	// The last entry: the collection's key goes with it.
	up, found := parents[coll]
	if !found || up.Key == nil || up.Coll.Kind != yaml.MappingNode || up.Coll.Style&yaml.FlowStyle != 0 || len(up.Coll.Content) <= 2 {
		return lint.TextEdit{}, false, false
	}
	if yamledit.HasAnchors(coll) || up.Key.Anchor != "" || yamledit.IsMergeKey(up.Key) {
		return lint.TextEdit{}, false, false
	}
	return yamledit.DeleteKey(f, up.Key, true), true, true
}

// entryText is the text of def's entry as it goes into the override:
// its lines with the comments above them, at column 0, in its own form and,
// for a single-line KEY=VALUE, in the other (a list item "- K=V" and a
// mapping entry "K: V"), for an override that writes the collection the
// other way. When the collection's key is deleted too, the comments above
// that key come along (Above).
func entryText(f *source.File, def *index.Def, emptied bool) (yamledit.Entry, bool) {
	var e yamledit.Entry
	if emptied {
		parents := yamledit.Parents(f)
		node := def.Value
		if def.Key != nil {
			node = def.Key
		}
		if up, ok := parents[parents[node].Coll]; ok && up.Key != nil {
			first, _ := yamledit.KeyLines(f, up.Key, true)
			if first < up.Key.Line {
				e.Above = yamledit.Reindent(normalize(yamledit.Text(f, first, up.Key.Line-1)), -(up.Key.Column - 1))
			}
		}
	}
	v := def.Value
	single := v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && f.Span(v).End.Line == v.Line
	if def.Key != nil {
		first, last := yamledit.KeyLines(f, def.Key, true)
		e.Key = yamledit.Reindent(normalize(yamledit.Text(f, first, last)), -(def.Key.Column - 1))
		e.PreferKey = true
		if single && def.Key.Line == v.Line && first == def.Key.Line && v.Tag != "!!null" {
			e.Item = "- " + yamledit.Scalar(def.Key.Value+"="+v.Value) + trailingComment(f, v) + "\n"
		}
		return e, true
	}
	first, last := yamledit.ItemLines(f, v, true)
	dash := yamledit.DashColumn(f, v)
	e.Item = yamledit.Reindent(normalize(yamledit.Text(f, first, last)), -dash)
	if single && first == v.Line {
		if k, val, ok := strings.Cut(v.Value, "="); ok {
			e.Key = yamledit.KeyText(k) + ": " + yamledit.Scalar(val) + trailingComment(f, v) + "\n"
		}
	}
	return e, true
}

// trailingComment returns the comment after a scalar on its line
// ("  # …"), or "".
func trailingComment(f *source.File, v *yaml.Node) string {
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
