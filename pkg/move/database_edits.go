package move

// Writing a planned database move as edits: deletions in the files
// production loads, insertions into (or the creation of) the development file.

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

// build turns the plan into edits: deletions in the files production loads,
// insertions in (or the creation of) the development file.
func (m *dbMove) build() (lint.Fix, bool) {
	var edits []lint.TextEdit
	files := make([]*source.File, 0, len(m.dels))
	for f := range m.dels {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	for _, f := range files {
		for _, l := range tidy(f, m.dels[f]) {
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
	rel := source.Rel(m.proj.Dir, m.targetPath)
	msg := fmt.Sprintf("move `%s` to %s (development only)", m.name, rel)
	if m.svcFile == nil && len(ins) == 0 {
		msg = fmt.Sprintf("remove `%s` from the files only production loads", m.name)
	} else if creating {
		msg = fmt.Sprintf("move `%s` to a new %s (development only)", m.name, rel)
	}
	return lint.Fix{Message: msg, Safety: lint.Unsafe, Edits: edits, Affects: m.affects}, true
}

// tidy merges line ranges, and takes a blank line that would be left
// doubled (or first in a mapping) with the range before it.
func tidy(f *source.File, ls []lineRange) []lineRange {
	blank := func(l int) bool { return l >= 1 && l <= f.Lines() && strings.TrimSpace(f.Line(l)) == "" }
	indent := func(l int) int { t := f.Line(l); return len(t) - len(strings.TrimLeft(t, " ")) }
	merge := func(in []lineRange) []lineRange {
		sort.Slice(in, func(i, j int) bool { return in[i].first < in[j].first })
		var out []lineRange
		for _, l := range in {
			if n := len(out); n > 0 && l.first <= out[n-1].last+1 {
				out[n-1].last = max(out[n-1].last, l.last)
				continue
			}
			out = append(out, l)
		}
		return out
	}
	out := merge(append([]lineRange(nil), ls...))
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

// insertion is text to insert at an offset of the development file.
type insertion struct {
	off    int
	text   string
	inline bool // within a line, not whole lines
}

// targetWriter collects what goes into the development file t (nil: the
// file is created).
type targetWriter struct {
	m          *dbMove
	t          *source.File
	root, svcs *yaml.Node // t's root mapping and its services, when it has them
	step       int        // indentation of services' entries, and of one level of nesting
	inserts    []insertion
}

// targetEdits writes the service, the edges and the resources into the
// development file.
func (m *dbMove) targetEdits() ([]lint.TextEdit, bool) {
	w := &targetWriter{m: m, t: m.target}
	if !w.open() {
		return nil, false
	}
	var svcText string
	if m.svcFile != nil {
		svcText = yamledit.Reindent(normalize(yamledit.Text(m.svcFile, m.svcLines.first, m.svcLines.last)), w.step-m.svcIndent)
	}
	newEntries, ok := w.reAdds()
	if !ok {
		return nil, false
	}
	// the service first, then the services that get edges
	var sections strings.Builder // new top-level sections, at the end of the file
	if w.svcs != nil {
		if !w.services(svcText, newEntries) {
			return nil, false
		}
	} else if svcText != "" || newEntries != "" {
		sections.WriteString("services:\n" + svcText)
		if svcText != "" && newEntries != "" && m.blankAfter {
			sections.WriteString("\n")
		}
		sections.WriteString(newEntries)
	}
	if !w.resources(&sections) {
		return nil, false
	}
	if w.t == nil {
		if sections.Len() == 0 {
			return nil, true
		}
		m.target = source.New(m.targetPath, nil)
		return []lint.TextEdit{{File: m.target, NewText: source.WithLineEnding(sections.String(), m.eol)}}, true
	}
	if sections.Len() > 0 {
		text := sections.String()
		if strings.TrimSpace(string(w.t.Content)) != "" {
			text = "\n" + text
		}
		w.inserts = append(w.inserts, insertion{off: len(w.t.Content), text: text})
	}
	edits := w.edits()
	if len(edits) > 0 {
		m.edited[w.t.Path] = true
	}
	return edits, true
}

// open reads the development file's layout and the indentation to write with.
func (w *targetWriter) open() bool {
	m, t := w.m, w.t
	if t != nil {
		if len(t.Docs) > 0 {
			if w.root = yamledit.Root(t); w.root == nil {
				return false
			}
		}
		if k, _ := yamledit.Lookup(w.root, "services"); k != nil {
			if w.svcs = yamledit.Services(t); w.svcs == nil || len(w.svcs.Content) == 0 {
				return false
			}
		}
	}
	w.step = 2
	if m.svcFile != nil {
		w.step = max(m.svcIndent, 1)
	} else if s := yamledit.Services(m.prod.Files[0]); s != nil && len(s.Content) > 0 {
		w.step = max(s.Content[0].Column-1, 1)
	}
	if w.svcs != nil {
		w.step = max(w.svcs.Content[0].Column-1, 1)
	}
	return true
}

// blockMapping tells whether n is a non-empty, unanchored block mapping
// (one that text can be added to by lines).
func blockMapping(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 && n.Anchor == ""
}

// reAdds writes the edges again, for services in the order of their
// names: into the development file's own entry of the service when it has
// one (inserts), else as new service entries (returned).
func (w *targetWriter) reAdds() (string, bool) {
	m := w.m
	users := make([]string, 0, len(m.reAdds))
	for n := range m.reAdds {
		users = append(users, n)
	}
	slices.Sort(users)
	var newEntries strings.Builder
	for _, n := range users {
		var tmap *yaml.Node
		if w.svcs != nil {
			if k, v := yamledit.Lookup(w.svcs, n); k != nil {
				if !blockMapping(v) || yamledit.MergeProvides(v, "") {
					return "", false
				}
				tmap = v
			}
		}
		ci := 2 * w.step
		if tmap != nil {
			ci = tmap.Content[0].Column - 1
		}
		var newKeys strings.Builder
		for _, field := range []string{"depends_on", "links"} {
			if ras := m.reAdds[n][field]; len(ras) > 0 && !w.reAddField(tmap, field, ras, ci, &newKeys) {
				return "", false
			}
		}
		if newKeys.Len() == 0 {
			continue
		}
		if tmap != nil {
			_, lastLine := yamledit.KeyLines(w.t, tmap.Content[len(tmap.Content)-2], false)
			w.inserts = append(w.inserts, insertion{off: afterLine(w.t, lastLine), text: newKeys.String()})
			continue
		}
		newEntries.WriteString(strings.Repeat(" ", w.step) + n + ":\n" + newKeys.String())
	}
	return newEntries.String(), true
}

// reAddField writes the edges ras of one field (depends_on, links) for the
// service whose mapping in the development file is tmap (nil: none): after
// the entries of its own field, or as a new key at column ci (newKeys).
func (w *targetWriter) reAddField(tmap *yaml.Node, field string, ras []reAdd, ci int, newKeys *strings.Builder) bool {
	entries, head, ok := w.m.reAddTexts(ras)
	if !ok {
		return false
	}
	kind := ras[0].edge.coll.Kind
	var existing *yaml.Node
	if tmap != nil {
		_, existing = yamledit.Lookup(tmap, field)
	}
	if existing == nil {
		newKeys.WriteString(yamledit.Reindent(head, ci))
		newKeys.WriteString(strings.Repeat(" ", ci) + field + ":\n")
		for _, en := range entries {
			newKeys.WriteString(yamledit.Reindent(en.text, ci+w.step-en.indent))
		}
		return true
	}
	if existing.Kind != kind || existing.Style&yaml.FlowStyle != 0 || len(existing.Content) == 0 || existing.Anchor != "" {
		return false
	}
	t := w.t
	var ei, lastLine int
	if kind == yaml.MappingNode {
		ei = existing.Content[0].Column - 1
		if k, _ := yamledit.Lookup(existing, w.m.name); k != nil {
			return false
		}
		_, lastLine = yamledit.KeyLines(t, existing.Content[len(existing.Content)-2], false)
	} else {
		ei = yamledit.DashColumn(t, existing.Content[0])
		_, lastLine = yamledit.ItemLines(t, existing.Content[len(existing.Content)-1], false)
	}
	var b strings.Builder
	for _, en := range entries {
		b.WriteString(yamledit.Reindent(en.text, ei-en.indent))
	}
	w.inserts = append(w.inserts, insertion{off: afterLine(t, lastLine), text: b.String()})
	return true
}

// reAddTexts are the texts of the entries of ras, and the comment lines
// above the field's key when the whole field left the shared file.
func (m *dbMove) reAddTexts(ras []reAdd) (entries []movedText, head string, ok bool) {
	for _, ra := range ras {
		e := ra.edge
		for _, en := range ra.entries {
			l, ok := m.collEntryLines(e, en)
			if !ok {
				return nil, "", false
			}
			ind := en.Column - 1
			if e.coll.Kind == yaml.SequenceNode {
				line := e.file.Line(en.Line)
				ind = len(line) - len(strings.TrimLeft(line, " "))
			}
			entries = append(entries, movedText{text: normalize(yamledit.Text(e.file, l.first, l.last)), indent: ind})
		}
		total := len(e.coll.Content)
		if e.coll.Kind == yaml.MappingNode {
			total /= 2
		}
		if len(e.entries) == total && head == "" {
			if kl, ok := m.entryLines(e.file, e.key, e.coll); ok && kl.first < e.key.Line {
				head = yamledit.Reindent(normalize(yamledit.Text(e.file, kl.first, e.key.Line-1)), -(e.key.Column - 1))
			}
		}
	}
	return entries, head, true
}

// services writes the moved service and the new service entries into the
// development file's services.
func (w *targetWriter) services(svcText, newEntries string) bool {
	m, t, svcs := w.m, w.t, w.svcs
	if svcText != "" {
		if k, v := yamledit.Lookup(svcs, m.name); k != nil {
			merged, ok := m.mergeInto(t, k, v)
			if !ok {
				return false
			}
			w.inserts = append(w.inserts, merged...)
		} else {
			first, _ := yamledit.KeyLines(t, svcs.Content[0], true)
			text := svcText
			if m.blankAfter {
				text += "\n"
			}
			start, _ := t.LineBounds(first)
			w.inserts = append(w.inserts, insertion{off: start, text: text})
		}
	}
	if newEntries != "" {
		_, lastLine := yamledit.KeyLines(t, svcs.Content[len(svcs.Content)-2], false)
		sep := ""
		if separated(t, svcs, m.blankAfter) {
			sep = "\n"
		}
		w.inserts = append(w.inserts, insertion{off: afterLine(t, lastLine), text: sep + newEntries})
	}
	return true
}

// resources writes the top-level volumes and networks: into the
// development file's own section, or as a new section (sections).
func (w *targetWriter) resources(sections *strings.Builder) bool {
	m := w.m
	for _, name := range m.sectionOrder {
		var sec *yaml.Node
		if k, v := yamledit.Lookup(w.root, name); k != nil {
			if !blockMapping(v) {
				return false
			}
			sec = v
		}
		if sec != nil {
			ei := sec.Content[0].Column - 1
			var b strings.Builder
			for _, en := range m.sections[name] {
				b.WriteString(yamledit.Reindent(en.text, ei-en.indent))
			}
			_, lastLine := yamledit.KeyLines(w.t, sec.Content[len(sec.Content)-2], false)
			w.inserts = append(w.inserts, insertion{off: afterLine(w.t, lastLine), text: b.String()})
			continue
		}
		if sections.Len() > 0 {
			sections.WriteString("\n")
		}
		sections.WriteString(m.sectionHeads[name])
		sections.WriteString(name + ":\n")
		for _, en := range m.sections[name] {
			sections.WriteString(yamledit.Reindent(en.text, w.step-en.indent))
		}
	}
	return true
}

// edits turns the insertions into edits: one per offset, in the order
// planned (inner before outer).
func (w *targetWriter) edits() []lint.TextEdit {
	t := w.t
	var edits []lint.TextEdit
	byOff := map[int]int{}
	for _, in := range w.inserts {
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
	return edits
}

// mergeInto writes the moved definition into the development file's own
// entry for the service (key k, value v): its settings go first in that
// mapping, the comment lines above it above k. Compose merges two
// definitions of a service key by key, so writing them as one mapping
// gives the same service only when no key is in both: otherwise no fix.
func (m *dbMove) mergeInto(t *source.File, k, v *yaml.Node) ([]insertion, bool) {
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
		if ek, _ := yamledit.Lookup(v, b.Content[i].Value); ek != nil {
			return nil, false
		}
	}
	if yamledit.MergeProvides(v, "") {
		return nil, false
	}
	if !yamledit.StartsLine(t, k.Line, k.Column) || !yamledit.StartsLine(m.svcFile, b.Content[0].Line, b.Content[0].Column) ||
		b.Content[0].Line <= m.svcKey.Line {
		return nil, false
	}
	f, key := m.svcFile, m.svcKey
	var ins []insertion
	// comments above the moved key, and the one on its line, go above k
	var head strings.Builder
	if m.svcLines.first < key.Line {
		head.WriteString(yamledit.Reindent(normalize(yamledit.Text(f, m.svcLines.first, key.Line-1)), k.Column-key.Column))
	}
	if c := yamledit.LineComment(f.Line(key.Line)); c != "" {
		if line := t.Line(k.Line); yamledit.LineComment(line) == "" {
			// onto k's line, which has none
			start, _ := t.LineBounds(k.Line)
			ins = append(ins, insertion{off: start + len(strings.TrimRight(line, " \t")), text: "  " + c, inline: true})
		} else {
			head.WriteString(strings.Repeat(" ", k.Column-1) + c + "\n")
		}
	}
	if head.Len() > 0 {
		start, _ := t.LineBounds(k.Line)
		ins = append(ins, insertion{off: start, text: head.String()})
	}
	body := normalize(yamledit.Text(f, key.Line+1, m.svcLines.last))
	first, _ := yamledit.KeyLines(t, v.Content[0], true)
	start, _ := t.LineBounds(first)
	ins = append(ins, insertion{off: start, text: yamledit.Reindent(body, v.Content[0].Column-b.Content[0].Column)})
	return ins, true
}

// afterLine is the offset just past line n (past its line ending).
func afterLine(f *source.File, n int) int {
	_, end := f.LineBounds(n)
	return end
}

// separated tells whether the entries of a mapping are separated by
// blank lines (when it has one entry: whether they were where the service came from).
func separated(f *source.File, m *yaml.Node, fallback bool) bool {
	if len(m.Content) < 4 {
		return fallback
	}
	first, _ := yamledit.KeyLines(f, m.Content[2], true)
	return first > 1 && strings.TrimSpace(f.Line(first-1)) == ""
}
