package rules

// The unsafe fix of database-in-production: move the database service out of
// what production loads, into the file only development loads.

import (
	"fmt"
	"path/filepath"
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

// dbfixRole says which environments load a file.
type dbfixRole int

const (
	dbfixShared   dbfixRole = iota + 1 // development and production
	dbfixProdOnly                      // production only
	dbfixDevOnly                       // development only
)

// dbfixLines is an inclusive range of lines of one file.
type dbfixLines struct{ first, last int }

// dbfixRepl replaces lines of a file with text.
type dbfixRepl struct {
	file  *source.File
	lines dbfixLines
	text  string
}

// dbfixText is an entry (mapping entry or sequence item) to write into the
// development file: its lines, with "\n" endings, and the indentation of its
// first key or dash in the file it comes from.
type dbfixText struct {
	text   string
	indent int
}

// dbfixEdge is a `depends_on` or `links` collection of a file that holds
// edges to the database.
type dbfixEdge struct {
	file    *source.File
	field   string     // depends_on or links
	owner   *yaml.Node // the mapping holding field (a service, or an anchored mapping merged into services)
	key     *yaml.Node // the field's key
	coll    *yaml.Node // its block mapping or block sequence
	entries []*yaml.Node
}

// dbfixReAdd is what development keeps of an edge the fix removes from a
// shared file: it is written again, for one service, in the development file.
type dbfixReAdd struct {
	edge    *dbfixEdge
	entries []*yaml.Node
}

// dbfixMove plans the move of one database service.
type dbfixMove struct {
	p          *lint.Pass
	name       string
	prod, dev  *load.Result
	roles      map[string]dbfixRole
	target     *source.File // the development file; nil: created at targetPath
	targetPath string
	eol        string // line ending of a created file

	dels    map[*source.File][]dbfixLines
	repls   []dbfixRepl // lines replaced by other text
	edited  map[*source.File]bool
	affects []string

	svcFile    *source.File // the shared file that defines the service (nil: only production files do)
	svcKey     *yaml.Node
	svcValue   *yaml.Node
	svcLines   dbfixLines
	svcIndent  int
	blankAfter bool // a blank line followed the service where it was

	edges  map[*yaml.Node]*dbfixEdge          // by collection node
	reAdds map[string]map[string][]dbfixReAdd // service -> field -> what to write again

	// top-level volumes and networks to move, by section
	sections     map[string][]dbfixText
	sectionHeads map[string]string // comment lines above a section that leaves the shared file
	sectionOrder []string

	parents     map[*source.File]map[*yaml.Node]*yaml.Node
	fileAliases map[*source.File][]*yaml.Node
}

// databaseMoveFix returns the unsafe fix of database-in-production for
// service name of the production environment, or false when the move cannot
// be done safely.
func databaseMoveFix(p *lint.Pass, svc types.ServiceConfig) (lint.Fix, bool) {
	m := &dbfixMove{p: p, name: svc.Name, prod: p.Env, roles: map[string]dbfixRole{},
		dels: map[*source.File][]dbfixLines{}, edited: map[*source.File]bool{},
		edges: map[*yaml.Node]*dbfixEdge{}, reAdds: map[string]map[string][]dbfixReAdd{},
		sections: map[string][]dbfixText{}, sectionHeads: map[string]string{},
		parents: map[*source.File]map[*yaml.Node]*yaml.Node{}, fileAliases: map[*source.File][]*yaml.Node{}}
	if !m.environments() || !m.service(svc) || !m.references() || !m.resources(svc) || !m.otherEnvironments() {
		return lint.Fix{}, false
	}
	return m.build()
}

// environments finds development, tells the files apart, and chooses the
// development file: the first file only development loads, or the default
// override of the base file, created, when development loads the base file
// alone by discovery.
func (m *dbfixMove) environments() bool {
	if m.prod == nil || m.prod.Project == nil || m.prod.Index == nil {
		return false
	}
	for _, env := range m.p.Project.Environments {
		if env != m.prod && env.Name == "development" {
			m.dev = env
		}
	}
	if m.dev == nil || m.dev.Project == nil || m.dev.Index == nil || len(m.dev.Files) == 0 {
		return false
	}
	inProd := map[string]bool{}
	for _, f := range m.prod.Files {
		inProd[f.Path] = true
	}
	for _, f := range m.dev.Files {
		if inProd[f.Path] {
			m.roles[f.Path] = dbfixShared
		} else {
			m.roles[f.Path] = dbfixDevOnly
		}
	}
	for _, f := range m.prod.Files {
		if m.roles[f.Path] == 0 {
			m.roles[f.Path] = dbfixProdOnly
		}
	}
	for _, files := range [][]*source.File{m.prod.Files, m.dev.Files} {
		for _, f := range files {
			root := dbfixRoot(f)
			if root == nil {
				if f.Err == nil && len(f.Docs) == 0 && !inProd[f.Path] {
					continue // an empty development file
				}
				return false
			}
			if k, _ := dbfixEntry(root, "include"); k != nil {
				return false // what an included project defines is not ours to move
			}
		}
	}
	// Development must load its own files after every shared one.
	sawDevOnly := false
	for _, f := range m.dev.Files {
		switch m.roles[f.Path] {
		case dbfixDevOnly:
			if !sawDevOnly {
				m.target, m.targetPath = f, f.Path
			}
			sawDevOnly = true
		case dbfixShared:
			if sawDevOnly {
				return false
			}
		}
	}
	base := m.dev.Files[0]
	m.eol = "\n"
	if i := strings.IndexByte(string(base.Content), '\n'); i > 0 && base.Content[i-1] == '\r' {
		m.eol = "\r\n"
	}
	if m.target != nil {
		return true
	}
	// Only the base file: docker compose would load its override twin if it
	// existed, unless the environments are configured.
	if len(m.dev.Files) != 1 || len(m.prod.Files) == 0 || m.prod.Files[0] != base ||
		filepath.Dir(base.Path) != filepath.Clean(m.p.Project.Dir) || m.p.Project.Vars["COMPOSE_FILE"] != "" ||
		dbfixConfiguresEnvironments(m.p) {
		return false
	}
	ext := filepath.Ext(base.Path)
	m.targetPath = strings.TrimSuffix(base.Path, ext) + ".override" + ext
	if _, known := m.p.Project.Files[m.targetPath]; known {
		return false
	}
	if m.p.Project.ReadFile != nil {
		if _, err := m.p.Project.ReadFile(m.targetPath); err == nil {
			return false
		}
	}
	return true
}

// dbfixConfiguresEnvironments tells whether .composelint.yaml lists the
// environments (then a created override would not be loaded).
func dbfixConfiguresEnvironments(p *lint.Pass) bool {
	if p.Project.ReadFile == nil {
		return false
	}
	f, err := p.Project.ReadFile(filepath.Join(p.Project.Dir, ".composelint.yaml"))
	if err != nil {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(f.Content, &doc) != nil {
		return true
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	k, _ := dbfixEntry(doc.Content[0], "environments")
	return k != nil
}

// service plans the move of the service's own definitions: the one in a
// shared file moves to the development file, those in production-only
// files are deleted.
func (m *dbfixMove) service(svc types.ServiceConfig) bool {
	path := index.Path{"services", m.name}
	for _, d := range m.prod.Index.Defs(path) {
		if d.Key == nil {
			return false
		}
		svcs := dbfixServices(d.File)
		if svcs == nil || !slices.Contains(svcs.Content, d.Key) {
			return false // not an entry of the file's own services
		}
		if ek, _ := dbfixEntry(d.Value, "extends"); ek != nil {
			return false
		}
		lines, ok := m.entryLines(d.File, d.Key, d.Value)
		if !ok {
			return false
		}
		switch m.roles[d.File.Path] {
		case dbfixShared:
			if m.svcFile != nil || !m.movable(d.File, lines) {
				return false
			}
			m.svcFile, m.svcKey, m.svcValue, m.svcLines, m.svcIndent = d.File, d.Key, d.Value, lines, d.Key.Column-1
			m.blankAfter = lines.last < d.File.Lines() && strings.TrimSpace(d.File.Line(lines.last+1)) == ""
		case dbfixProdOnly:
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
		secKey, _ := dbfixEntry(dbfixRoot(d.File), "services")
		line := d.File.Line(secKey.Line)
		code := strings.TrimRight(yamledit.StripComment(line), " \t")
		if code != "services:" || lines.first <= secKey.Line {
			return false
		}
		text := "services: {}"
		if c := dbfixLineComment(line); c != "" {
			text += "  " + c
		}
		m.repls = append(m.repls, dbfixRepl{file: d.File, lines: dbfixLines{secKey.Line, lines.last}, text: text + "\n"})
		m.edited[d.File] = true
	}
	// Development keeps what the moved definition gave it, in the same order
	// (an entry of the development file is merged with it, see targetEdits).
	for _, d := range m.dev.Index.Defs(path) {
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
func (m *dbfixMove) afterTarget(f *source.File) bool {
	if m.roles[f.Path] != dbfixDevOnly || m.target == nil || f == m.target {
		return false
	}
	return slices.Index(m.dev.Files, f) > slices.Index(m.dev.Files, m.target)
}

// references plans the removal of the other production services' edges to
// the database (depends_on, links), and their re-addition in the
// development file for the development services that lose them.
func (m *dbfixMove) references() bool {
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
func (m *dbfixMove) edge(d index.Def, field string) bool {
	role := m.roles[d.File.Path]
	if role != dbfixShared && role != dbfixProdOnly {
		return false
	}
	entry := d.Value
	if d.Key != nil {
		entry = d.Key
	}
	parents := m.parentsOf(d.File)
	coll := parents[entry]
	if coll == nil || coll.Style&yaml.FlowStyle != 0 || coll.Anchor != "" {
		return false
	}
	owner := parents[coll]
	if owner == nil || owner.Kind != yaml.MappingNode || owner.Style&yaml.FlowStyle != 0 {
		return false
	}
	var key *yaml.Node
	for i := 0; i+1 < len(owner.Content); i += 2 {
		if owner.Content[i+1] == coll {
			key = owner.Content[i]
		}
	}
	if key == nil || key.Value != field {
		return false
	}
	e := m.edges[coll]
	if e == nil {
		e = &dbfixEdge{file: d.File, field: field, owner: owner, key: key, coll: coll}
		m.edges[coll] = e
	}
	if !slices.Contains(e.entries, entry) {
		e.entries = append(e.entries, entry)
	}
	return true
}

// extendedByOthers tells whether a service of either environment extends the database.
func (m *dbfixMove) extendedByOthers() bool {
	for path := range m.roles {
		f := m.p.Project.Files[path]
		svcs := dbfixServices(f)
		if svcs == nil {
			continue
		}
		for i := 0; i+1 < len(svcs.Content); i += 2 {
			_, ext := dbfixEntry(resDerefAlias(svcs.Content[i+1]), "extends")
			ext = resDerefAlias(ext)
			if ext == nil {
				continue
			}
			if ext.Kind == yaml.ScalarNode && ext.Value == m.name {
				return true
			}
			if _, s := dbfixEntry(ext, "service"); s != nil && resDerefAlias(s).Value == m.name {
				return true
			}
		}
	}
	return false
}

// planEdges deletes the recorded edges, and finds the development services
// that used them.
func (m *dbfixMove) planEdges() bool {
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
		if m.roles[e.file.Path] == dbfixShared {
			if !m.devUsers(e) {
				return false
			}
		}
	}
	return true
}

// collEntryLines are the lines of one entry of an edge collection.
func (m *dbfixMove) collEntryLines(e *dbfixEdge, en *yaml.Node) (dbfixLines, bool) {
	if e.coll.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(e.coll.Content); i += 2 {
			if e.coll.Content[i] == en {
				return m.entryLines(e.file, en, e.coll.Content[i+1])
			}
		}
		return dbfixLines{}, false
	}
	return m.itemLines(e.file, en)
}

// devUsers finds the development services that get an edge of e, and plans
// to write it again for them in the development file.
func (m *dbfixMove) devUsers(e *dbfixEdge) bool {
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
			defs := m.dev.Index.Defs(path)
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
			m.reAdds[n] = map[string][]dbfixReAdd{}
		}
		for _, prev := range m.reAdds[n][e.field] {
			if prev.edge != e {
				return false // edges of one service from two places: keep it simple
			}
		}
		m.reAdds[n][e.field] = append(m.reAdds[n][e.field], dbfixReAdd{edge: e, entries: used})
	}
	return true
}

// linksStayInOrder tells whether the links written again in the
// development file end up where they were: links are a list that an override
// appends to, so they must be the last ones of the service.
func (m *dbfixMove) linksStayInOrder(s types.ServiceConfig, used []*yaml.Node) bool {
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

func (m *dbfixMove) lookup() func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m.p.Project.Vars[k]
		return v, ok
	}
}

// resources plans the move of the top-level volumes and networks that only
// the database uses in production. A volume or network that another
// production service still uses stays where it is: production needs it.
func (m *dbfixMove) resources(svc types.ServiceConfig) bool {
	rest := *m.prod.Project
	rest.Services = types.Services{}
	for n, s := range m.prod.Project.Services {
		if n != m.name {
			rest.Services[n] = s
		}
	}
	// volumes
	usedVolumes := volumesUsed(&rest)
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
	usedNetworks := networksUsed(&rest)
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
func (m *dbfixMove) resource(section, name string, gone []string) bool {
	path := index.Path{section, name}
	var moved *source.File
	for _, d := range m.prod.Index.Defs(path) {
		if d.Key == nil {
			return false
		}
		root := dbfixRoot(d.File)
		secKey, sec := dbfixEntry(root, section)
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
				head = dbfixNormalize(yamledit.Text(d.File, del.first, secKey.Line-1))
				head = yamledit.Reindent(head, -(secKey.Column - 1))
			}
		}
		switch m.roles[d.File.Path] {
		case dbfixShared:
			if moved != nil || !m.movable(d.File, lines) || !m.deletable(d.File, del) {
				return false
			}
			moved = d.File
			m.sections[section] = append(m.sections[section], dbfixText{
				text: dbfixNormalize(yamledit.Text(d.File, lines.first, lines.last)), indent: d.Key.Column - 1})
			if head != "" {
				m.sectionHeads[section] = head
			}
			if !slices.Contains(m.sectionOrder, section) {
				m.sectionOrder = append(m.sectionOrder, section)
			}
		case dbfixProdOnly:
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
	for _, d := range m.dev.Index.Defs(path) {
		if d.File != moved && !m.afterTarget(d.File) {
			return false
		}
	}
	return true
}

// otherEnvironments refuses when an environment other than development and
// production loads a file the fix edits: it would change too.
func (m *dbfixMove) otherEnvironments() bool {
	for _, env := range m.p.Project.Environments {
		if env == m.prod || env == m.dev {
			continue
		}
		for _, f := range env.Files {
			if m.edited[f] || f == m.target {
				return false
			}
		}
	}
	return true
}

// entryLines returns the lines of a block mapping entry with the comment
// lines right above it and the comment lines indented under it that follow.
func (m *dbfixMove) entryLines(f *source.File, key, value *yaml.Node) (dbfixLines, bool) {
	if !dbfixStartsLine(f, key.Line, key.Column) {
		return dbfixLines{}, false
	}
	first, last := yamledit.KeyLines(f, key, true)
	if value != nil && dbfixMaxLine(value) > last {
		return dbfixLines{}, false
	}
	last = dbfixTrailingComments(f, last, key.Column-1)
	return dbfixLines{first, last}, true
}

// itemLines is entryLines for an item of a block sequence.
func (m *dbfixMove) itemLines(f *source.File, item *yaml.Node) (dbfixLines, bool) {
	line := f.Line(item.Line)
	dash := len(line) - len(strings.TrimLeft(line, " "))
	if !strings.HasPrefix(line[dash:], "- ") && strings.TrimSpace(line[dash:]) != "-" {
		return dbfixLines{}, false
	}
	first, last := yamledit.ItemLines(f, item, true)
	if dbfixMaxLine(item) > last {
		return dbfixLines{}, false
	}
	last = dbfixTrailingComments(f, last, dash)
	return dbfixLines{first, last}, true
}

// dbfixTrailingComments extends an entry over the comment lines that follow
// it indented deeper than its key (commented-out settings of the entry).
func dbfixTrailingComments(f *source.File, last, indent int) int {
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

// dbfixStartsLine tells whether the node at (line, col) is the first thing on its line.
func dbfixStartsLine(f *source.File, line, col int) bool {
	text := f.Line(line)
	n := 0
	for i := range text {
		if n == col-1 {
			return strings.TrimSpace(text[:i]) == ""
		}
		n++
	}
	return false
}

// dbfixMaxLine is the last line a node's subtree starts a node on.
func dbfixMaxLine(n *yaml.Node) int {
	max := n.Line
	for _, c := range n.Content {
		if l := dbfixMaxLine(c); l > max {
			max = l
		}
	}
	return max
}

// movable tells whether lines of f can go to another file: no alias in them
// refers to an anchor outside them, and no alias outside them to an anchor
// inside.
func (m *dbfixMove) movable(f *source.File, l dbfixLines) bool {
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
func (m *dbfixMove) deletable(f *source.File, l dbfixLines) bool {
	for _, a := range m.aliasesOf(f) {
		in := a.Line >= l.first && a.Line <= l.last
		if !in && a.Alias != nil && a.Alias.Line >= l.first && a.Alias.Line <= l.last {
			return false
		}
	}
	return true
}

func (m *dbfixMove) delete(f *source.File, l dbfixLines) {
	m.dels[f] = append(m.dels[f], l)
	m.edited[f] = true
}

func (m *dbfixMove) aliasesOf(f *source.File) []*yaml.Node {
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

func (m *dbfixMove) parentsOf(f *source.File) map[*yaml.Node]*yaml.Node {
	if p, ok := m.parents[f]; ok {
		return p
	}
	out := map[*yaml.Node]*yaml.Node{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range n.Content {
			out[c] = n
			walk(c)
		}
	}
	for _, d := range f.Docs {
		walk(d)
	}
	m.parents[f] = out
	return out
}

// dbfixRoot is the root mapping of a compose file of one document, or nil.
func dbfixRoot(f *source.File) *yaml.Node {
	if f == nil || f.Err != nil || len(f.Docs) != 1 || f.Docs[0].Kind != yaml.MappingNode || f.Docs[0].Style&yaml.FlowStyle != 0 {
		return nil
	}
	return f.Docs[0]
}

// dbfixEntry returns the key and value of an entry of mapping m (no alias followed).
func dbfixEntry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// dbfixServices is the block mapping of a file's services, or nil.
func dbfixServices(f *source.File) *yaml.Node {
	_, svcs := dbfixEntry(dbfixRoot(f), "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode || svcs.Style&yaml.FlowStyle != 0 || svcs.Anchor != "" {
		return nil
	}
	return svcs
}

// dbfixNormalize gives text "\n" line endings.
func dbfixNormalize(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// build turns the plan into edits: deletions in the files production loads,
// insertions in (or the creation of) the development file.
func (m *dbfixMove) build() (lint.Fix, bool) {
	var edits []lint.TextEdit
	files := make([]*source.File, 0, len(m.dels))
	for f := range m.dels {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		for _, l := range dbfixTidy(f, m.dels[f]) {
			start, end := yamledit.Range(f, l.first, l.last)
			edits = append(edits, lint.TextEdit{File: f, Start: start, End: end})
		}
	}
	for _, r := range m.repls {
		start, end := yamledit.Range(r.file, r.lines.first, r.lines.last)
		text := r.text
		if end == len(r.file.Content) && (end == 0 || r.file.Content[end-1] != '\n') {
			text = strings.TrimSuffix(text, "\n") // the file had no final line ending
		}
		edits = append(edits, lint.TextEdit{File: r.file, Start: start, End: end, NewText: text})
	}
	creating := m.target == nil
	ins, ok := m.targetEdits()
	if !ok {
		return lint.Fix{}, false
	}
	edits = append(edits, ins...)
	slices.Sort(m.affects)
	m.affects = slices.Compact(m.affects)
	// Only production may change: the engine checks that development stays
	// exactly as it was.
	for i, a := range m.affects {
		m.affects[i] = lint.InEnvironment(m.prod.Name, a)
	}
	rel := dbenvRel(m.p, m.targetPath)
	msg := fmt.Sprintf("move `%s` to %s (development only)", m.name, rel)
	if m.svcFile == nil && len(ins) == 0 {
		msg = fmt.Sprintf("remove `%s` from the files only production loads", m.name)
	} else if creating {
		msg = fmt.Sprintf("move `%s` to a new %s (development only)", m.name, rel)
	}
	return lint.Fix{Message: msg, Safety: lint.Unsafe, Edits: edits, Affects: m.affects}, true
}

// dbfixTidy merges line ranges, and takes a blank line that would be left
// doubled (or first in a mapping) with the range before it.
func dbfixTidy(f *source.File, ls []dbfixLines) []dbfixLines {
	blank := func(l int) bool { return l >= 1 && l <= f.Lines() && strings.TrimSpace(f.Line(l)) == "" }
	indent := func(l int) int { t := f.Line(l); return len(t) - len(strings.TrimLeft(t, " ")) }
	merge := func(in []dbfixLines) []dbfixLines {
		sort.Slice(in, func(i, j int) bool { return in[i].first < in[j].first })
		var out []dbfixLines
		for _, l := range in {
			if n := len(out); n > 0 && l.first <= out[n-1].last+1 {
				out[n-1].last = max(out[n-1].last, l.last)
				continue
			}
			out = append(out, l)
		}
		return out
	}
	out := merge(append([]dbfixLines(nil), ls...))
	for i, l := range out {
		prev := l.first - 1
		opens := prev >= 1 && !blank(prev) && !strings.HasPrefix(strings.TrimSpace(f.Line(prev)), "#") && indent(prev) < indent(l.first)
		if (prev < 1 || blank(prev) || opens) && blank(l.last+1) {
			out[i].last++
		}
		if out[i].last >= f.Lines() && blank(prev) {
			out[i].first-- // no blank line left at the end of the file
		}
	}
	return merge(out)
}

// dbfixInsert is text to insert at an offset of the development file.
type dbfixInsert struct {
	off    int
	text   string
	inline bool // within a line, not whole lines
}

// targetEdits writes the service, the edges and the resources into the
// development file.
func (m *dbfixMove) targetEdits() ([]lint.TextEdit, bool) {
	t := m.target
	var root, svcs *yaml.Node
	if t != nil {
		if len(t.Docs) > 0 {
			if root = dbfixRoot(t); root == nil {
				return nil, false
			}
		}
		if k, _ := dbfixEntry(root, "services"); k != nil {
			if svcs = dbfixServices(t); svcs == nil || len(svcs.Content) == 0 {
				return nil, false
			}
		}
	}
	// indentation of services' entries, and one level of nesting
	step := 2
	if m.svcFile != nil {
		step = max(m.svcIndent, 1)
	} else if s := dbfixServices(m.prod.Files[0]); s != nil && len(s.Content) > 0 {
		step = max(s.Content[0].Column-1, 1)
	}
	if svcs != nil {
		step = max(svcs.Content[0].Column-1, 1)
	}
	si := step

	var inserts []dbfixInsert
	var newServices strings.Builder // entries for a services section that does not exist yet
	var svcText string
	if m.svcFile != nil {
		svcText = yamledit.Reindent(dbfixNormalize(yamledit.Text(m.svcFile, m.svcLines.first, m.svcLines.last)), si-m.svcIndent)
	}

	// Edges written again, for services in the order of their names.
	users := make([]string, 0, len(m.reAdds))
	for n := range m.reAdds {
		users = append(users, n)
	}
	slices.Sort(users)
	var newEntries strings.Builder
	for _, n := range users {
		var tmap *yaml.Node
		if svcs != nil {
			if k, v := dbfixEntry(svcs, n); k != nil {
				if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 || v.Anchor != "" {
					return nil, false
				}
				if mk, _ := dbfixEntry(v, "<<"); mk != nil {
					return nil, false
				}
				tmap = v
			}
		}
		ci := si + step
		if tmap != nil {
			ci = tmap.Content[0].Column - 1
		}
		var newKeys strings.Builder
		for _, field := range []string{"depends_on", "links"} {
			ras := m.reAdds[n][field]
			if len(ras) == 0 {
				continue
			}
			var entries []dbfixText
			var head string
			kind := ras[0].edge.coll.Kind
			for _, ra := range ras {
				e := ra.edge
				for _, en := range ra.entries {
					l, ok := m.collEntryLines(e, en)
					if !ok {
						return nil, false
					}
					ind := en.Column - 1
					if e.coll.Kind == yaml.SequenceNode {
						line := e.file.Line(en.Line)
						ind = len(line) - len(strings.TrimLeft(line, " "))
					}
					entries = append(entries, dbfixText{text: dbfixNormalize(yamledit.Text(e.file, l.first, l.last)), indent: ind})
				}
				total := len(e.coll.Content)
				if e.coll.Kind == yaml.MappingNode {
					total /= 2
				}
				if len(e.entries) == total && head == "" {
					if kl, ok := m.entryLines(e.file, e.key, e.coll); ok && kl.first < e.key.Line {
						head = yamledit.Reindent(dbfixNormalize(yamledit.Text(e.file, kl.first, e.key.Line-1)), -(e.key.Column - 1))
					}
				}
			}
			var existing *yaml.Node
			if tmap != nil {
				_, existing = dbfixEntry(tmap, field)
			}
			if existing != nil {
				if existing.Kind != kind || existing.Style&yaml.FlowStyle != 0 || len(existing.Content) == 0 || existing.Anchor != "" {
					return nil, false
				}
				var ei, lastLine int
				if kind == yaml.MappingNode {
					ei = existing.Content[0].Column - 1
					if k, _ := dbfixEntry(existing, m.name); k != nil {
						return nil, false
					}
					_, lastLine = yamledit.KeyLines(t, existing.Content[len(existing.Content)-2], false)
				} else {
					line := t.Line(existing.Content[0].Line)
					ei = len(line) - len(strings.TrimLeft(line, " "))
					_, lastLine = yamledit.ItemLines(t, existing.Content[len(existing.Content)-1], false)
				}
				var b strings.Builder
				for _, en := range entries {
					b.WriteString(yamledit.Reindent(en.text, ei-en.indent))
				}
				inserts = append(inserts, dbfixInsert{off: dbfixAfterLine(t, lastLine), text: b.String()})
				continue
			}
			newKeys.WriteString(yamledit.Reindent(head, ci))
			newKeys.WriteString(strings.Repeat(" ", ci) + field + ":\n")
			for _, en := range entries {
				newKeys.WriteString(yamledit.Reindent(en.text, ci+step-en.indent))
			}
		}
		if newKeys.Len() == 0 {
			continue
		}
		if tmap != nil {
			_, lastLine := yamledit.KeyLines(t, tmap.Content[len(tmap.Content)-2], false)
			inserts = append(inserts, dbfixInsert{off: dbfixAfterLine(t, lastLine), text: newKeys.String()})
			continue
		}
		newEntries.WriteString(strings.Repeat(" ", si) + n + ":\n" + newKeys.String())
	}

	// the service first, then the services that get edges
	if svcs != nil {
		if svcText != "" {
			if k, v := dbfixEntry(svcs, m.name); k != nil {
				merged, ok := m.mergeInto(t, k, v)
				if !ok {
					return nil, false
				}
				inserts = append(inserts, merged...)
			} else {
				first, _ := yamledit.KeyLines(t, svcs.Content[0], true)
				text := svcText
				if m.blankAfter {
					text += "\n"
				}
				start, _ := t.LineBounds(first)
				inserts = append(inserts, dbfixInsert{off: start, text: text})
			}
		}
		if newEntries.Len() > 0 {
			_, lastLine := yamledit.KeyLines(t, svcs.Content[len(svcs.Content)-2], false)
			sep := ""
			if dbfixSeparated(t, svcs, m.blankAfter) {
				sep = "\n"
			}
			inserts = append(inserts, dbfixInsert{off: dbfixAfterLine(t, lastLine), text: sep + newEntries.String()})
		}
	} else if svcText != "" || newEntries.Len() > 0 {
		newServices.WriteString("services:\n")
		newServices.WriteString(svcText)
		if svcText != "" && newEntries.Len() > 0 && m.blankAfter {
			newServices.WriteString("\n")
		}
		newServices.WriteString(newEntries.String())
	}

	// top-level volumes and networks
	var sections strings.Builder
	if newServices.Len() > 0 {
		sections.WriteString(newServices.String())
	}
	for _, name := range m.sectionOrder {
		var sec *yaml.Node
		if root != nil {
			if k, v := dbfixEntry(root, name); k != nil {
				if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 || v.Anchor != "" {
					return nil, false
				}
				sec = v
			}
		}
		if sec != nil {
			ei := sec.Content[0].Column - 1
			var b strings.Builder
			for _, en := range m.sections[name] {
				b.WriteString(yamledit.Reindent(en.text, ei-en.indent))
			}
			_, lastLine := yamledit.KeyLines(t, sec.Content[len(sec.Content)-2], false)
			inserts = append(inserts, dbfixInsert{off: dbfixAfterLine(t, lastLine), text: b.String()})
			continue
		}
		if sections.Len() > 0 {
			sections.WriteString("\n")
		}
		sections.WriteString(m.sectionHeads[name])
		sections.WriteString(name + ":\n")
		for _, en := range m.sections[name] {
			sections.WriteString(yamledit.Reindent(en.text, step-en.indent))
		}
	}

	if t == nil {
		if sections.Len() == 0 {
			return nil, true
		}
		text := sections.String()
		if m.eol != "\n" {
			text = strings.ReplaceAll(text, "\n", m.eol)
		}
		m.target = source.New(m.targetPath, nil)
		return []lint.TextEdit{{File: m.target, Start: 0, End: 0, NewText: text}}, true
	}
	if sections.Len() > 0 {
		text := sections.String()
		if strings.TrimSpace(string(t.Content)) != "" {
			text = "\n" + text
		}
		inserts = append(inserts, dbfixInsert{off: len(t.Content), text: text})
	}
	// one edit per offset, in the order planned (inner before outer)
	var edits []lint.TextEdit
	byOff := map[int]int{}
	for _, in := range inserts {
		if in.text == "" {
			continue
		}
		if in.inline {
			edits = append(edits, lint.TextEdit{File: t, Start: in.off, End: in.off, NewText: in.text})
			continue
		}
		if i, ok := byOff[in.off]; ok {
			edits[i].NewText += in.text
			continue
		}
		if in.off > 0 && t.Content[in.off-1] != '\n' {
			// text after a last line without a line ending starts a line of its own
			in.text = "\n" + in.text
		}
		byOff[in.off] = len(edits)
		edits = append(edits, lint.TextEdit{File: t, Start: in.off, End: in.off, NewText: in.text})
	}
	if len(edits) > 0 {
		m.edited[t] = true
	}
	return edits, true
}

// mergeInto writes the moved definition into the development file's own
// entry for the service (key k, value v): its settings go first in that
// mapping, the comment lines above it above k. Compose merges two
// definitions of a service key by key, so writing them as one mapping
// gives the same service only when no key is in both: otherwise no fix.
func (m *dbfixMove) mergeInto(t *source.File, k, v *yaml.Node) ([]dbfixInsert, bool) {
	b := m.svcValue
	for _, n := range []*yaml.Node{b, v} {
		if n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle != 0 || len(n.Content) == 0 || n.Anchor != "" {
			return nil, false
		}
	}
	for i := 0; i+1 < len(b.Content); i += 2 {
		if b.Content[i].Value == "<<" {
			return nil, false
		}
		if ek, _ := dbfixEntry(v, b.Content[i].Value); ek != nil {
			return nil, false
		}
	}
	if ek, _ := dbfixEntry(v, "<<"); ek != nil {
		return nil, false
	}
	if !dbfixStartsLine(t, k.Line, k.Column) || !dbfixStartsLine(m.svcFile, b.Content[0].Line, b.Content[0].Column) ||
		b.Content[0].Line <= m.svcKey.Line {
		return nil, false
	}
	f, key := m.svcFile, m.svcKey
	var ins []dbfixInsert
	// comments above the moved key, and the one on its line, go above k
	var head strings.Builder
	if m.svcLines.first < key.Line {
		head.WriteString(yamledit.Reindent(dbfixNormalize(yamledit.Text(f, m.svcLines.first, key.Line-1)), k.Column-key.Column))
	}
	if c := dbfixLineComment(f.Line(key.Line)); c != "" {
		if line := t.Line(k.Line); dbfixLineComment(line) == "" {
			// onto k's line, which has none
			start, _ := t.LineBounds(k.Line)
			ins = append(ins, dbfixInsert{off: start + len(strings.TrimRight(line, " \t")), text: "  " + c, inline: true})
		} else {
			head.WriteString(strings.Repeat(" ", k.Column-1) + c + "\n")
		}
	}
	if head.Len() > 0 {
		start, _ := t.LineBounds(k.Line)
		ins = append(ins, dbfixInsert{off: start, text: head.String()})
	}
	body := dbfixNormalize(yamledit.Text(f, key.Line+1, m.svcLines.last))
	first, _ := yamledit.KeyLines(t, v.Content[0], true)
	start, _ := t.LineBounds(first)
	ins = append(ins, dbfixInsert{off: start, text: yamledit.Reindent(body, v.Content[0].Column-b.Content[0].Column)})
	return ins, true
}

// dbfixLineComment returns the comment that ends a line ("" when none).
func dbfixLineComment(line string) string {
	code := yamledit.StripComment(line)
	if len(code) == len(line) {
		return ""
	}
	return strings.TrimSpace(line[len(code):])
}

// dbfixAfterLine is the offset just past line n (past its line ending).
func dbfixAfterLine(f *source.File, n int) int {
	_, end := f.LineBounds(n)
	return end
}

// dbfixSeparated tells whether the entries of a mapping are separated by
// blank lines (when it has one entry: whether they were where the service came from).
func dbfixSeparated(f *source.File, m *yaml.Node, fallback bool) bool {
	if len(m.Content) < 4 {
		return fallback
	}
	first, _ := yamledit.KeyLines(f, m.Content[2], true)
	return first > 1 && strings.TrimSpace(f.Line(first-1)) == ""
}
