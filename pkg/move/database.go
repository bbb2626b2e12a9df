package move

// The move of a database service out of what production loads, into the
// file only development loads, with everything that refers to it.

import (
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// role says which environments load a file.
type role int

const (
	shared   role = iota + 1 // development and production
	prodOnly                 // production only
	devOnly                  // development only
)

// lineRange is an inclusive range of lines of one file.
type lineRange struct{ first, last int }

// replacement replaces lines of a file with text.
type replacement struct {
	file  *source.File
	lines lineRange
	text  string
}

// movedText is an entry (mapping entry or sequence item) to write into the
// development file: its lines, with "\n" endings, and the indentation of its
// first key or dash in the file it comes from.
type movedText struct {
	text   string
	indent int
}

// edgeColl is a `depends_on` or `links` collection of a file that holds
// edges to the database.
type edgeColl struct {
	file    *source.File
	field   string     // depends_on or links
	owner   *yaml.Node // the mapping holding field (a service, or an anchored mapping merged into services)
	key     *yaml.Node // the field's key
	coll    *yaml.Node // its block mapping or block sequence
	entries []*yaml.Node
}

// reAdd is what development keeps of an edge the fix removes from a
// shared file: it is written again, for one service, in the development file.
type reAdd struct {
	edge    *edgeColl
	entries []*yaml.Node
}

// dbMove plans the move of one database service.
type dbMove struct {
	proj       *lint.Project
	used       UsedResources
	name       string
	prod, dev  *load.Result
	canon      *canon         // production's parses, onto which development's are mapped
	devFiles   []*source.File // development's files, in production's parses where it has them
	roles      map[string]role
	target     *source.File // the development file; nil: created at targetPath
	targetPath string
	eol        string // line ending of a created file

	dels    map[*source.File][]lineRange
	repls   []replacement   // lines replaced by other text
	edited  map[string]bool // paths of the files the plan edits
	affects []string

	svcFile    *source.File // the shared file that defines the service (nil: only production files do)
	svcKey     *yaml.Node
	svcValue   *yaml.Node
	svcLines   lineRange
	svcIndent  int
	blankAfter bool // a blank line followed the service where it was

	edges  map[*yaml.Node]*edgeColl      // by collection node
	reAdds map[string]map[string][]reAdd // service -> field -> what to write again

	// top-level volumes and networks to move, by section
	sections     map[string][]movedText
	sectionHeads map[string]string // comment lines above a section that leaves the shared file
	sectionOrder []string

	parents     map[*source.File]map[*yaml.Node]yamledit.Parent
	fileAliases map[*source.File][]*yaml.Node
}

// UsedResources returns the top-level volumes and networks that the
// services of a project use (by the keys they are declared under).
type UsedResources func(*types.Project) (volumes, networks map[string]bool)

// Database returns the unsafe fix that moves database service svc of the
// production environment prod to the file only development loads, or false
// when the move cannot be done safely. used says which volumes and networks
// the other production services still need.
func Database(proj *lint.Project, prod *load.Result, svc types.ServiceConfig, used UsedResources) (lint.Fix, bool) {
	m := &dbMove{proj: proj, used: used, name: svc.Name, prod: prod, roles: map[string]role{},
		dels: map[*source.File][]lineRange{}, edited: map[string]bool{},
		edges: map[*yaml.Node]*edgeColl{}, reAdds: map[string]map[string][]reAdd{},
		sections: map[string][]movedText{}, sectionHeads: map[string]string{},
		parents: map[*source.File]map[*yaml.Node]yamledit.Parent{}, fileAliases: map[*source.File][]*yaml.Node{}}
	if !m.environments() || !m.service(svc) || !m.references() || !m.resources(svc) || !m.otherEnvironments() {
		return lint.Fix{}, false
	}
	return m.build()
}

// environments finds development, tells the files apart, and chooses the
// development file: the first file only development loads, or the default
// override of the base file, created, when development loads the base file
// alone by discovery.
func (m *dbMove) environments() bool {
	if m.prod == nil || m.prod.Project == nil || m.prod.Index == nil {
		return false
	}
	m.dev = development(m.proj, m.prod)
	if m.dev == nil || m.dev.Project == nil || m.dev.Index == nil || len(m.dev.Files) == 0 {
		return false
	}
	m.canon = newCanon(m.prod)
	m.devFiles = m.canon.filesOf(m.dev)
	inProd := map[string]bool{}
	for _, f := range m.prod.Files {
		inProd[f.Path] = true
	}
	for _, f := range m.devFiles {
		if inProd[f.Path] {
			m.roles[f.Path] = shared
		} else {
			m.roles[f.Path] = devOnly
		}
	}
	for _, f := range m.prod.Files {
		if m.roles[f.Path] == 0 {
			m.roles[f.Path] = prodOnly
		}
	}
	for _, files := range [][]*source.File{m.prod.Files, m.devFiles} {
		for _, f := range files {
			root := yamledit.Root(f)
			if root == nil {
				if f.Err == nil && len(f.Docs) == 0 && !inProd[f.Path] {
					continue // an empty development file
				}
				return false
			}
			if k, _ := yamledit.Lookup(root, "include"); k != nil {
				return false // what an included project defines is not ours to move
			}
		}
	}
	// Development must load its own files after every shared one.
	sawDevOnly := false
	for _, f := range m.devFiles {
		switch m.roles[f.Path] {
		case devOnly:
			if !sawDevOnly {
				m.target, m.targetPath = f, f.Path
			}
			sawDevOnly = true
		case shared:
			if sawDevOnly {
				return false
			}
		}
	}
	base := m.devFiles[0]
	m.eol = source.LineEnding(base.Content)
	if m.target != nil {
		return true
	}
	// Only the base file: docker compose would load its override twin if it
	// existed, unless the environments are configured.
	if len(m.devFiles) != 1 || len(m.prod.Files) == 0 || m.prod.Files[0] != base {
		return false
	}
	path, ok := overrideTwin(m.proj, base.Path)
	m.targetPath = path
	return ok
}

// service plans the move of the service's own definitions: the one in a
// shared file moves to the development file, those in production-only
// files are deleted.
func (m *dbMove) service(svc types.ServiceConfig) bool {
	path := index.Path{"services", m.name}
	for _, d := range m.prod.Index.Defs(path) {
		if d.Key == nil {
			return false
		}
		svcs := yamledit.Services(d.File)
		if svcs == nil || !slices.Contains(svcs.Content, d.Key) {
			return false // not an entry of the file's own services
		}
		if ek, _ := yamledit.Lookup(d.Value, "extends"); ek != nil {
			return false
		}
		lines, ok := m.entryLines(d.File, d.Key, d.Value)
		if !ok {
			return false
		}
		switch m.roles[d.File.Path] {
		case shared:
			if m.svcFile != nil || !m.movable(d.File, lines) {
				return false
			}
			m.svcFile, m.svcKey, m.svcValue, m.svcLines, m.svcIndent = d.File, d.Key, d.Value, lines, d.Key.Column-1
			m.blankAfter = lines.last < d.File.Lines() && strings.TrimSpace(d.File.Line(lines.last+1)) == ""
		case prodOnly:
			if !m.deletable(d.File, lines) {
				return false
			}
		default:
			return false
		}
		if len(svcs.Content) > 2 {
			m.delete(d.File, lines)
			continue
		}
		// the file's only service: `services: {}` is left, so that the file
		// still loads
		secKey, _ := yamledit.Lookup(yamledit.Root(d.File), "services")
		line := d.File.Line(secKey.Line)
		code := strings.TrimRight(yamledit.StripComment(line), " \t")
		if code != "services:" || lines.first <= secKey.Line {
			return false
		}
		text := "services: {}"
		if c := yamledit.LineComment(line); c != "" {
			text += "  " + c
		}
		m.repls = append(m.repls, replacement{file: d.File, lines: lineRange{secKey.Line, lines.last}, text: text + "\n"})
		m.edited[d.File.Path] = true
	}
	// Development keeps what the moved definition gave it, in the same order
	// (an entry of the development file is merged with it, see targetEdits).
	for _, d := range m.canon.defs(m.dev, path) {
		if m.svcFile == nil {
			break // only production files change
		}
		if d.File == m.svcFile || d.File == m.target {
			continue
		}
		if !m.afterTarget(d.File) {
			return false
		}
	}
	m.affects = append(m.affects, "services."+m.name)
	return true
}

// afterTarget tells whether f is a development-only file that development
// loads after the development file (definitions there still come last).
func (m *dbMove) afterTarget(f *source.File) bool {
	if m.roles[f.Path] != devOnly || m.target == nil || f == m.target {
		return false
	}
	return slices.Index(m.devFiles, f) > slices.Index(m.devFiles, m.target)
}

// references plans the removal of the other production services' edges to
// the database (depends_on, links), and their re-addition in the
// development file for the development services that lose them.
func (m *dbMove) references() bool {
	names := make([]string, 0, len(m.prod.Project.Services))
	for n := range m.prod.Project.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	ref := types.ServicePrefix + m.name
	for _, n := range names {
		if n == m.name {
			continue
		}
		s := m.prod.Project.Services[n]
		for _, ns := range []string{s.NetworkMode, s.Ipc, s.Pid, s.Uts, s.Cgroup} {
			if ns == ref {
				return false
			}
		}
		for _, vf := range s.VolumesFrom {
			if strings.Split(vf, ":")[0] == m.name {
				return false
			}
		}
		if _, ok := s.DependsOn[m.name]; !ok {
			continue
		}
		found := false
		for _, d := range m.prod.Index.Defs(index.Path{"services", n, "depends_on", m.name}) {
			if !m.edge(d, "depends_on") {
				return false
			}
			found = true
		}
		for _, l := range s.Links {
			if strings.Split(l, ":")[0] != m.name {
				continue
			}
			for _, d := range m.prod.Index.Defs(index.Path{"services", n, "links", index.Item(l)}) {
				if !m.edge(d, "links") {
					return false
				}
				found = true
			}
		}
		if !found {
			return false // an edge we cannot see the source of
		}
		m.affects = append(m.affects, "services."+n+".depends_on")
		if slices.ContainsFunc(s.Links, func(l string) bool { return strings.Split(l, ":")[0] == m.name }) {
			m.affects = append(m.affects, "services."+n+".links")
		}
	}
	if m.extendedByOthers() {
		return false
	}
	return m.planEdges()
}

// edge records that definition d (an entry of a depends_on mapping or an
// item of a depends_on or links sequence) goes.
func (m *dbMove) edge(d index.Def, field string) bool {
	role := m.roles[d.File.Path]
	if role != shared && role != prodOnly {
		return false
	}
	entry := d.Value
	if d.Key != nil {
		entry = d.Key
	}
	parents := m.parentsOf(d.File)
	coll := parents[entry].Coll
	if coll == nil || coll.Style&yaml.FlowStyle != 0 || coll.Anchor != "" {
		return false
	}
	owner, key := parents[coll].Coll, parents[coll].Key
	if owner == nil || owner.Kind != yaml.MappingNode || owner.Style&yaml.FlowStyle != 0 {
		return false
	}
	if key == nil || key.Value != field {
		return false
	}
	e := m.edges[coll]
	if e == nil {
		e = &edgeColl{file: d.File, field: field, owner: owner, key: key, coll: coll}
		m.edges[coll] = e
	}
	if !slices.Contains(e.entries, entry) {
		e.entries = append(e.entries, entry)
	}
	return true
}

// extendedByOthers tells whether a service of either environment extends the database.
func (m *dbMove) extendedByOthers() bool {
	for path := range m.roles {
		f := m.proj.Files[path]
		svcs := yamledit.Services(f)
		if svcs == nil {
			continue
		}
		for i := 0; i+1 < len(svcs.Content); i += 2 {
			_, ext := yamledit.Lookup(yamledit.Deref(svcs.Content[i+1]), "extends")
			ext = yamledit.Deref(ext)
			if ext == nil {
				continue
			}
			if ext.Kind == yaml.ScalarNode && ext.Value == m.name {
				return true
			}
			if _, s := yamledit.Lookup(ext, "service"); s != nil && yamledit.Deref(s).Value == m.name {
				return true
			}
		}
	}
	return false
}

// planEdges deletes the recorded edges, and finds the development services
// that used them.
func (m *dbMove) planEdges() bool {
	colls := make([]*yaml.Node, 0, len(m.edges))
	for c := range m.edges {
		colls = append(colls, c)
	}
	sort.Slice(colls, func(i, j int) bool {
		a, b := m.edges[colls[i]], m.edges[colls[j]]
		if a.file.Path != b.file.Path {
			return a.file.Path < b.file.Path
		}
		return a.key.Line < b.key.Line
	})
	for _, c := range colls {
		e := m.edges[c]
		sort.Slice(e.entries, func(i, j int) bool { return e.entries[i].Line < e.entries[j].Line })
		total := len(c.Content)
		if c.Kind == yaml.MappingNode {
			total /= 2
		}
		if len(e.entries) == total {
			// the whole field goes; its owner must keep something
			if len(e.owner.Content) < 4 {
				return false
			}
			lines, ok := m.entryLines(e.file, e.key, c)
			if !ok || !m.deletable(e.file, lines) {
				return false
			}
			m.delete(e.file, lines)
		} else {
			for _, en := range e.entries {
				lines, ok := m.collEntryLines(e, en)
				if !ok || !m.deletable(e.file, lines) {
					return false
				}
				m.delete(e.file, lines)
			}
		}
		if m.roles[e.file.Path] == shared {
			if !m.devUsers(e) {
				return false
			}
		}
	}
	return true
}

// collEntryLines are the lines of one entry of an edge collection.
func (m *dbMove) collEntryLines(e *edgeColl, en *yaml.Node) (lineRange, bool) {
	if e.coll.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(e.coll.Content); i += 2 {
			if e.coll.Content[i] == en {
				return m.entryLines(e.file, en, e.coll.Content[i+1])
			}
		}
		return lineRange{}, false
	}
	return m.itemLines(e.file, en)
}

// devUsers finds the development services that get an edge of e, and plans
// to write it again for them in the development file.
func (m *dbMove) devUsers(e *edgeColl) bool {
	names := make([]string, 0, len(m.dev.Project.Services))
	for n := range m.dev.Project.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		s := m.dev.Project.Services[n]
		var paths []index.Path
		if e.field == "depends_on" {
			paths = append(paths, index.Path{"services", n, "depends_on", m.name})
		} else {
			for _, l := range s.Links {
				if strings.Split(l, ":")[0] == m.name {
					paths = append(paths, index.Path{"services", n, "links", index.Item(l)})
				}
			}
		}
		var used []*yaml.Node
		for _, path := range paths {
			defs := m.canon.defs(m.dev, path)
			var mine []*yaml.Node
			for _, d := range defs {
				entry := d.Value
				if d.Key != nil {
					entry = d.Key
				}
				if slices.Contains(e.entries, entry) {
					mine = append(mine, entry)
				}
			}
			if len(mine) == 0 {
				continue
			}
			if len(mine) > 1 {
				return false
			}
			// what else defines the edge must still come after it
			for _, d := range defs {
				entry := d.Value
				if d.Key != nil {
					entry = d.Key
				}
				if entry != mine[0] && !m.afterTarget(d.File) {
					return false
				}
			}
			used = append(used, mine[0])
		}
		if len(used) == 0 {
			continue
		}
		if e.field == "links" && !m.linksStayInOrder(s, used) {
			return false
		}
		if m.reAdds[n] == nil {
			m.reAdds[n] = map[string][]reAdd{}
		}
		for _, prev := range m.reAdds[n][e.field] {
			if prev.edge != e {
				return false // edges of one service from two places: keep it simple
			}
		}
		m.reAdds[n][e.field] = append(m.reAdds[n][e.field], reAdd{edge: e, entries: used})
	}
	return true
}

// linksStayInOrder tells whether the links written again in the
// development file end up where they were: links are a list that an override
// appends to, so they must be the last ones of the service.
func (m *dbMove) linksStayInOrder(s types.ServiceConfig, used []*yaml.Node) bool {
	if len(used) > len(s.Links) {
		return false
	}
	tail := s.Links[len(s.Links)-len(used):]
	for i, n := range used {
		if n.Kind != yaml.ScalarNode || tail[i] != index.Interpolate(n.Value, m.lookup()) {
			return false
		}
	}
	return true
}

func (m *dbMove) lookup() func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m.proj.Vars[k]
		return v, ok
	}
}

// resources plans the move of the top-level volumes and networks that only
// the database uses in production. A volume or network that another
// production service still uses stays where it is: production needs it.
func (m *dbMove) resources(svc types.ServiceConfig) bool {
	rest := *m.prod.Project
	rest.Services = types.Services{}
	for n, s := range m.prod.Project.Services {
		if n != m.name {
			rest.Services[n] = s
		}
	}
	// volumes
	usedVolumes, usedNetworks := m.used(&rest)
	var goneVolumes []string
	for _, v := range svc.Volumes {
		if v.Type != types.VolumeTypeVolume || v.Source == "" || slices.Contains(goneVolumes, v.Source) {
			continue
		}
		if _, declared := m.prod.Project.Volumes[v.Source]; !declared || usedVolumes[v.Source] {
			continue
		}
		goneVolumes = append(goneVolumes, v.Source)
	}
	var goneNetworks []string
	for n := range svc.Networks {
		if _, declared := m.prod.Project.Networks[n]; declared && !usedNetworks[n] {
			goneNetworks = append(goneNetworks, n)
		}
	}
	slices.Sort(goneNetworks)
	for _, sec := range []struct {
		name     string
		gone     []string
		declared int
	}{{"volumes", goneVolumes, len(m.prod.Project.Volumes)}, {"networks", goneNetworks, len(m.prod.Project.Networks)}} {
		for _, n := range sec.gone {
			if !m.resource(sec.name, n, sec.gone) {
				return false
			}
			if len(sec.gone) < sec.declared {
				m.affects = append(m.affects, sec.name+"."+n)
			}
		}
		if len(sec.gone) > 0 && len(sec.gone) == sec.declared {
			m.affects = append(m.affects, sec.name) // the whole section leaves production
		}
	}
	return true
}

// resource plans the move of the top-level declaration section.name; gone
// are all the names of the section that leave production.
func (m *dbMove) resource(section, name string, gone []string) bool {
	path := index.Path{section, name}
	var moved *source.File
	for _, d := range m.prod.Index.Defs(path) {
		if d.Key == nil {
			return false
		}
		root := yamledit.Root(d.File)
		secKey, sec := yamledit.Lookup(root, section)
		if sec == nil || sec.Kind != yaml.MappingNode || sec.Style&yaml.FlowStyle != 0 || sec.Anchor != "" ||
			!slices.Contains(sec.Content, d.Key) {
			return false
		}
		lines, ok := m.entryLines(d.File, d.Key, d.Value)
		if !ok {
			return false
		}
		del := lines
		head := ""
		all := true
		for i := 0; i+1 < len(sec.Content); i += 2 {
			all = all && slices.Contains(gone, sec.Content[i].Value)
		}
		if all {
			// the section's last entry: the section goes
			if len(root.Content) < 4 {
				return false
			}
			if del, ok = m.entryLines(d.File, secKey, sec); !ok {
				return false
			}
			if del.first < secKey.Line {
				head = normalize(yamledit.Text(d.File, del.first, secKey.Line-1))
				head = yamledit.Reindent(head, -(secKey.Column - 1))
			}
		}
		switch m.roles[d.File.Path] {
		case shared:
			if moved != nil || !m.movable(d.File, lines) || !m.deletable(d.File, del) {
				return false
			}
			moved = d.File
			m.sections[section] = append(m.sections[section], movedText{
				text: normalize(yamledit.Text(d.File, lines.first, lines.last)), indent: d.Key.Column - 1})
			if head != "" {
				m.sectionHeads[section] = head
			}
			if !slices.Contains(m.sectionOrder, section) {
				m.sectionOrder = append(m.sectionOrder, section)
			}
		case prodOnly:
			if !m.deletable(d.File, del) {
				return false
			}
		default:
			return false
		}
		m.delete(d.File, del)
	}
	if moved == nil {
		return true // only production files change
	}
	for _, d := range m.canon.defs(m.dev, path) {
		if d.File != moved && !m.afterTarget(d.File) {
			return false
		}
	}
	return true
}

// otherEnvironments refuses when an environment other than development and
// production loads a file the fix edits: it would change too.
func (m *dbMove) otherEnvironments() bool {
	for _, env := range m.proj.Environments {
		if env == m.prod || env == m.dev {
			continue
		}
		for _, f := range env.Files {
			if m.edited[f.Path] || f.Path == m.targetPath {
				return false
			}
		}
	}
	return true
}

// entryLines returns the lines of a block mapping entry with the comment
// lines right above it and the comment lines indented under it that follow.
func (m *dbMove) entryLines(f *source.File, key, value *yaml.Node) (lineRange, bool) {
	if !yamledit.StartsLine(f, key.Line, key.Column) {
		return lineRange{}, false
	}
	first, last := yamledit.KeyLines(f, key, true)
	if value != nil && maxLine(value) > last {
		return lineRange{}, false
	}
	last = trailingComments(f, last, key.Column-1)
	return lineRange{first, last}, true
}

// itemLines is entryLines for an item of a block sequence.
func (m *dbMove) itemLines(f *source.File, item *yaml.Node) (lineRange, bool) {
	line := f.Line(item.Line)
	dash := len(line) - len(strings.TrimLeft(line, " "))
	if !strings.HasPrefix(line[dash:], "- ") && strings.TrimSpace(line[dash:]) != "-" {
		return lineRange{}, false
	}
	first, last := yamledit.ItemLines(f, item, true)
	if maxLine(item) > last {
		return lineRange{}, false
	}
	last = trailingComments(f, last, dash)
	return lineRange{first, last}, true
}

// trailingComments extends an entry over the comment lines that follow
// it indented deeper than its key (commented-out settings of the entry).
func trailingComments(f *source.File, last, indent int) int {
	for l := last + 1; l <= f.Lines(); l++ {
		text := f.Line(l)
		trimmed := strings.TrimLeft(text, " ")
		if !strings.HasPrefix(trimmed, "#") || len(text)-len(trimmed) <= indent {
			break
		}
		last = l
	}
	return last
}

// maxLine is the last line a node's subtree starts a node on.
func maxLine(n *yaml.Node) int {
	max := n.Line
	for _, c := range n.Content {
		if l := maxLine(c); l > max {
			max = l
		}
	}
	return max
}

// movable tells whether lines of f can go to another file: no alias in them
// refers to an anchor outside them, and no alias outside them to an anchor
// inside.
func (m *dbMove) movable(f *source.File, l lineRange) bool {
	for _, a := range m.aliasesOf(f) {
		in := a.Line >= l.first && a.Line <= l.last
		target := a.Alias != nil && a.Alias.Line >= l.first && a.Alias.Line <= l.last
		if in != target {
			return false
		}
	}
	return true
}

// deletable tells whether lines of f can be deleted: no alias outside them
// refers to an anchor inside.
func (m *dbMove) deletable(f *source.File, l lineRange) bool {
	for _, a := range m.aliasesOf(f) {
		in := a.Line >= l.first && a.Line <= l.last
		if !in && a.Alias != nil && a.Alias.Line >= l.first && a.Alias.Line <= l.last {
			return false
		}
	}
	return true
}

func (m *dbMove) delete(f *source.File, l lineRange) {
	m.dels[f] = append(m.dels[f], l)
	m.edited[f.Path] = true
}

func (m *dbMove) aliasesOf(f *source.File) []*yaml.Node {
	if a, ok := m.fileAliases[f]; ok {
		return a
	}
	var out []*yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode {
			out = append(out, n)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, d := range f.Docs {
		walk(d)
	}
	m.fileAliases[f] = out
	return out
}

func (m *dbMove) parentsOf(f *source.File) map[*yaml.Node]yamledit.Parent {
	if p, ok := m.parents[f]; ok {
		return p
	}
	m.parents[f] = yamledit.Parents(f)
	return m.parents[f]
}
