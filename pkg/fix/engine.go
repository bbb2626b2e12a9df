package fix

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/lint"
)

// FixFailed is the rule that reports a fix the engine refused to apply.
const FixFailed = "fix-failed"

// Linter lints the project with overlay's contents in place of the files on
// disk (absolute path -> bytes; a path absent from disk is a new file).
type Linter func(overlay map[string][]byte) (*lint.Project, []lint.Diagnostic, error)

// Options choose which fixes apply.
type Options struct {
	// Unsafe also applies fixes that change what runs.
	Unsafe bool
	// MaxRounds bounds the fix-and-relint rounds (default 10).
	MaxRounds int
}

// Result is what fixing did. Nothing is written: see Write and Diff.
type Result struct {
	// Dir is the project directory: nothing outside it is written.
	Dir string
	// Original holds the bytes each changed file had (nil: it did not exist).
	Original map[string][]byte
	// Fixed holds the new bytes of each changed file.
	Fixed map[string][]byte
	// AppliedFindings are the findings whose fix was applied, each with
	// only that fix, positioned in the files as they were before it.
	AppliedFindings []lint.Diagnostic
	// Failed are fix-failed diagnostics, one per fix that was refused.
	Failed []lint.Diagnostic
	// Diagnostics are what remains after fixing, from the last lint.
	Diagnostics []lint.Diagnostic
}

// Run lints, applies the fixes that may apply, re-lints, verifies, and
// repeats until no fix is left or the rounds run out.
func Run(lintFn Linter, opts Options) (*Result, error) {
	if opts.MaxRounds <= 0 {
		opts.MaxRounds = 10
	}
	overlay := map[string][]byte{}
	res := &Result{Original: map[string][]byte{}, Fixed: map[string][]byte{}}
	proj, diags, err := lintFn(overlay)
	if err != nil {
		return nil, err
	}
	res.Dir = proj.Dir
	refused := map[string]bool{}
	outside := outsideOf(proj.Dir)
	isolate := false
	// Isolating a failing fix costs rounds of its own; bound the total work.
	for rounds, attempts := 0, 0; rounds < opts.MaxRounds && attempts < 4*opts.MaxRounds; attempts++ {
		cands := candidates(diags, opts.Unsafe, refused, outside)
		if len(cands) == 0 {
			break
		}
		picked, _ := selectFixes(fixesOf(cands))
		if isolate && len(picked) > 1 {
			picked = picked[:1]
		}
		current := map[string][]byte{}
		for _, f := range picked {
			for _, e := range f.Edits {
				current[e.File.Path] = e.File.Content
			}
		}
		changed, err := apply(current, picked)
		var next map[string][]byte
		var p2 *lint.Project
		var d2 []lint.Diagnostic
		if err == nil {
			next = make(map[string][]byte, len(overlay)+len(changed))
			for k, v := range overlay {
				next[k] = v
			}
			for k, v := range changed {
				next[k] = v
			}
			p2, d2, err = lintFn(next)
		}
		if err == nil {
			err = verify(proj, p2, picked, changed)
		}
		if err == nil {
			for path := range changed {
				if _, seen := res.Original[path]; !seen {
					res.Original[path] = original(proj, path, current[path])
				}
			}
			res.AppliedFindings = append(res.AppliedFindings, appliedFindings(cands, picked)...)
			overlay, proj, diags = next, p2, d2
			isolate = false
			rounds++
			continue
		}
		if len(picked) > 1 {
			isolate = true // find the culprit: one fix at a time
			continue
		}
		refused[fixKey(picked[0])] = true
		for _, c := range cands {
			if fixKey(c.fix) == fixKey(picked[0]) {
				res.Failed = append(res.Failed, failed(proj, c.diag, c.fix, err))
				break
			}
		}
	}
	for path := range res.Original {
		res.Fixed[path] = overlay[path]
	}
	res.Diagnostics = suggestionsOnly(diags, outside)
	return res, nil
}

// appliedFindings returns, for each picked fix, the finding it came from
// with only that fix.
func appliedFindings(cands []candidate, picked []lint.Fix) []lint.Diagnostic {
	var out []lint.Diagnostic
	for _, f := range picked {
		for _, c := range cands {
			if fixKey(c.fix) == fixKey(f) {
				d := c.diag
				d.Fixes = []lint.Fix{c.fix}
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// outsideOf returns a function that names the first file a fix edits
// outside dir (through symlinks), or "": such a fix is never applied.
func outsideOf(dir string) func(lint.Fix) string {
	w := writer{root: dir}
	memo := map[string]bool{}
	return func(f lint.Fix) string {
		for _, e := range f.Edits {
			p := e.File.Path
			out, ok := memo[p]
			if !ok {
				target, err := resolve(p)
				out = err != nil || w.inside(target) != nil
				memo[p] = out
			}
			if out {
				return p
			}
		}
		return ""
	}
}

// suggestionsOnly says so in the fixes that edit a file outside the project.
func suggestionsOnly(diags []lint.Diagnostic, outside func(lint.Fix) string) []lint.Diagnostic {
	for i, d := range diags {
		for j, f := range d.Fixes {
			if p := outside(f); p != "" {
				fixes := slices.Clone(d.Fixes)
				fixes[j].Message = fmt.Sprintf("%s (a suggestion only: %s is outside the project directory, which --fix never writes)", f.Message, p)
				diags[i].Fixes = fixes
				d.Fixes = fixes
			}
		}
	}
	return diags
}

// Verify checks one fix as a round of Run would, without writing anything:
// applied to what lintFn sees, the files it edits still parse, every
// environment still loads, and the models change only where it declares.
// Editors call it before they offer a fix they will apply themselves.
func Verify(lintFn Linter, f lint.Fix) error {
	if editsUnparsed(f) {
		return fmt.Errorf("it edits a file that does not parse")
	}
	before, _, err := lintFn(nil)
	if err != nil {
		return err
	}
	current := map[string][]byte{}
	for _, e := range f.Edits {
		current[e.File.Path] = e.File.Content
	}
	changed, err := apply(current, []lint.Fix{f})
	if err != nil {
		return err
	}
	after, _, err := lintFn(changed)
	if err != nil {
		return err
	}
	return verify(before, after, []lint.Fix{f}, changed)
}

// original is what a file held before the first fix touched it.
func original(p *lint.Project, path string, current []byte) []byte {
	if f, ok := p.Files[path]; ok && len(f.Content) == 0 && len(current) == 0 {
		return nil
	}
	if current == nil {
		return nil
	}
	return append([]byte(nil), current...)
}

type candidate struct {
	diag lint.Diagnostic
	fix  lint.Fix
}

// candidates are the fixes that may apply: safe ones (and unsafe ones when
// asked), not refused before, none editing a file that does not parse or
// lies outside the project directory.
func candidates(diags []lint.Diagnostic, unsafe bool, refused map[string]bool, outside func(lint.Fix) string) []candidate {
	var out []candidate
	seen := map[string]bool{}
	for _, d := range diags {
		for _, f := range d.Fixes {
			if f.Safety == lint.Unsafe && !unsafe {
				continue
			}
			key := fixKey(f)
			if refused[key] || seen[key] || len(f.Edits) == 0 || editsUnparsed(f) || outside(f) != "" {
				continue
			}
			seen[key] = true
			out = append(out, candidate{diag: d, fix: f})
			break // one fix per diagnostic per round
		}
	}
	return out
}

func fixesOf(cs []candidate) []lint.Fix {
	out := make([]lint.Fix, len(cs))
	for i, c := range cs {
		out[i] = c.fix
	}
	return out
}

// editsUnparsed reports whether a fix edits a YAML file that did not parse:
// such a file is never written.
func editsUnparsed(f lint.Fix) bool {
	for _, e := range f.Edits {
		if e.File.Err != nil {
			return true
		}
	}
	return false
}

func fixKey(f lint.Fix) string {
	var b strings.Builder
	b.WriteString(f.Message)
	for _, e := range f.Edits {
		fmt.Fprintf(&b, "\x00%s:%d:%d:%s", e.File.Path, e.Start, e.End, e.NewText)
	}
	return b.String()
}

func failed(p *lint.Project, d lint.Diagnostic, f lint.Fix, err error) lint.Diagnostic {
	msg := fmt.Sprintf("the fix %q for %s was not applied: %v; nothing was written for it", f.Message, d.Rule, err)
	return lint.Diagnostic{
		Rule: FixFailed, Severity: lint.Warning, File: d.File, Range: d.Range, Environments: d.Environments,
		Message: p.Redactor().String(msg),
	}
}

// verify checks a round: every edited compose file still parses and has no
// key the round left with nothing under it, every environment that loaded
// still loads and refers to nothing it does not define that it did not refer
// to before, and each environment's model changed only under the paths the
// applied fixes declared.
func verify(before, after *lint.Project, fixes []lint.Fix, changed map[string][]byte) error {
	for path := range changed {
		f, ok := after.Files[path]
		if ok && f.Err != nil {
			return fmt.Errorf("%s would no longer parse (%s)", path, f.Err.Msg)
		}
		if keys := emptied(before.Files[path], f); ok && len(keys) > 0 {
			return fmt.Errorf("it would leave %s of %s with nothing under it", strings.Join(keys, ", "), path)
		}
	}
	for _, eb := range before.Environments {
		if eb.Project == nil {
			continue
		}
		var allowed []string
		for _, f := range fixes {
			allowed = append(allowed, f.AffectsIn(eb.Name)...)
		}
		found := false
		for _, env := range after.Environments {
			if env.Name != eb.Name {
				continue
			}
			found = true
			if env.Project == nil {
				return fmt.Errorf("the %s environment would no longer load", eb.Name)
			}
			if refs := newlyDangling(eb.Project, env.Project); len(refs) > 0 {
				return fmt.Errorf("the %s environment would refer to what it no longer defines: %s", eb.Name, strings.Join(refs, ", "))
			}
			diffs, err := modelDiff(eb.Project, env.Project)
			if err != nil {
				return err
			}
			for _, d := range diffs {
				if !under(d, allowed) {
					return fmt.Errorf("it would change %s in the %s environment, which it does not declare", d, eb.Name)
				}
			}
		}
		if !found {
			return fmt.Errorf("the %s environment would disappear", eb.Name)
		}
	}
	return nil
}

func under(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}

// modelDiff returns the dotted paths at which two models differ, comparing
// their JSON forms (what compose would run) with go-cmp.
func modelDiff(a, b any) ([]string, error) {
	ma, err := generic(a)
	if err != nil {
		return nil, err
	}
	mb, err := generic(b)
	if err != nil {
		return nil, err
	}
	var r pathReporter
	cmp.Equal(ma, mb, cmp.Reporter(&r))
	sort.Strings(r.diffs)
	return r.diffs, nil
}

func generic(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("cannot compare models: %w", err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("cannot compare models: %w", err)
	}
	return out, nil
}

// pathReporter collects the paths of unequal leaves as "a.b.0.c".
type pathReporter struct {
	path  cmp.Path
	diffs []string
}

func (r *pathReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *pathReporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }
func (r *pathReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	var segs []string
	for _, step := range r.path {
		switch s := step.(type) {
		case cmp.MapIndex:
			segs = append(segs, fmt.Sprint(s.Key().Interface()))
		case cmp.SliceIndex:
			// An item only one side has is at -1 on the other.
			ix, iy := s.SplitKeys()
			if ix < 0 {
				ix = iy
			}
			segs = append(segs, strconv.Itoa(ix))
		}
	}
	r.diffs = append(r.diffs, strings.Join(segs, "."))
}
