package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composelint/composelint/pkg/fix"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// Every directory under testdata/rules/<rule-id>/ is a small project. Its
// files carry the expected findings as `# want "rule-id"` comments on the
// offending line (several: `# want "a" "b"`; a message check: `# want "a: regexp"`;
// a severity check: `# want "a@info"`).
// The harness lints each project with every rule and requires that every
// finding is wanted and every want is found.
func TestRules(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "rules")
	ruleDirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	eng := &lint.Engine{Rules: rules.All()}
	covered := map[string]bool{}
	fixed := map[string]bool{}  // rules with a case that has golden files
	silent := map[string]bool{} // rules with a case of their own where they stay silent
	for _, rd := range ruleDirs {
		if !rd.IsDir() {
			continue
		}
		if eng.Rule(rd.Name()) == nil {
			t.Errorf("testdata/rules/%s: no rule has that ID", rd.Name())
			continue
		}
		cases, _ := os.ReadDir(filepath.Join(root, rd.Name()))
		for _, c := range cases {
			if !c.IsDir() {
				continue
			}
			dir := filepath.Join(root, rd.Name(), c.Name())
			t.Run(rd.Name()+"/"+c.Name(), func(t *testing.T) {
				got := lintDir(t, eng, dir)
				wants := readWants(t, dir)
				checkWants(t, dir, got, wants)
				fires := false
				for _, w := range wants {
					covered[w.rule] = true
					fires = fires || w.rule == rd.Name()
				}
				if !fires {
					silent[rd.Name()] = true
				}
				for _, unsafe := range []bool{false, true} {
					if checkFixes(t, eng, dir, unsafe) {
						for _, w := range wants {
							fixed[w.rule] = true
						}
					}
				}
			})
		}
	}
	for _, r := range eng.Rules {
		if r.Run != nil && !covered[r.ID] {
			t.Errorf("rule %s has no fixture that fires (testdata/rules/%s/)", r.ID, r.ID)
		}
		if r.Run != nil && !silent[r.ID] {
			t.Errorf("rule %s has no case in testdata/rules/%s/ where it stays silent", r.ID, r.ID)
		}
		if r.Fixable && !fixed[r.ID] {
			t.Errorf("rule %s suggests fixes but no case of testdata/rules/%s/ has a .golden file", r.ID, r.ID)
		}
	}
}

// lintDir lints the project in dir as the command line would.
func lintDir(t *testing.T, eng *lint.Engine, dir string) []lint.Diagnostic {
	t.Helper()
	_, ds, err := linter(eng, dir)(nil)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// linter lints the project in dir, with an overlay, as the command line does.
func linter(eng *lint.Engine, dir string) fix.Linter {
	return func(overlay map[string][]byte) (*lint.Project, []lint.Diagnostic, error) {
		opts := project.Options{Rule: eng.Rule, Overlay: overlay}
		var paths []string
		if b, err := os.ReadFile(filepath.Join(dir, "ARGS")); err == nil {
			// ARGS: -f files (one per line) for projects that need them.
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				opts.Files = append(opts.Files, filepath.Join(dir, strings.TrimSpace(line)))
			}
		} else {
			paths = []string{dir}
		}
		targets, err := project.Resolve(paths, opts)
		if err != nil {
			return nil, nil, err
		}
		tg := targets[0]
		p, err := tg.Load()
		if err != nil {
			return nil, nil, err
		}
		return p, tg.Run(eng, p), nil
	}
}

// checkFixes runs the fix engine on a copy of the case when it has golden
// files: FILE.golden is FILE after --fix, FILE.unsafe.golden after --fix
// --unsafe-fixes (falling back to FILE.golden). Files without a golden file
// must stay byte for byte as they were, and a second run must change nothing.
// It reports whether the case has golden files for this mode.
func checkFixes(t *testing.T, eng *lint.Engine, dir string, unsafe bool) bool {
	t.Helper()
	goldens := map[string]string{} // relative file -> golden path
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if unsafe && strings.HasSuffix(rel, ".unsafe.golden") {
			goldens[strings.TrimSuffix(rel, ".unsafe.golden")] = path
		} else if !strings.HasSuffix(rel, ".unsafe.golden") {
			if _, ok := goldens[strings.TrimSuffix(rel, ".golden")]; !ok {
				goldens[strings.TrimSuffix(rel, ".golden")] = path
			}
		}
		return nil
	})
	if len(goldens) == 0 || (unsafe && !hasSuffixFile(dir, ".unsafe.golden")) {
		return false
	}
	tmp := t.TempDir()
	copyTree(t, dir, tmp)
	res, err := fix.Run(linter(eng, tmp), fix.Options{Unsafe: unsafe})
	if err != nil {
		t.Fatalf("fix: %v", err)
	}
	if err := res.Write(); err != nil {
		t.Fatalf("write: %v", err)
	}
	for _, f := range res.Failed {
		t.Errorf("fix-failed: %s", f.Message)
	}
	mode := "--fix"
	if unsafe {
		mode = "--fix --unsafe-fixes"
	}
	filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(tmp, path)
		got, _ := os.ReadFile(path)
		want, err := os.ReadFile(filepath.Join(dir, rel))
		if g, ok := goldens[rel]; ok {
			want, err = os.ReadFile(g)
		}
		if err != nil {
			t.Errorf("%s: %s created %s, which has no golden file", dir, mode, rel)
			return nil
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s after %s (-want +got):\n%s", rel, mode, diff)
		}
		return nil
	})
	again, err := fix.Run(linter(eng, tmp), fix.Options{Unsafe: unsafe})
	if err != nil {
		t.Fatalf("second fix: %v", err)
	}
	for path := range again.Fixed {
		t.Errorf("%s is not idempotent: a second run changes %s", mode, path)
	}
	return true
}

func hasSuffixFile(dir, suffix string) bool {
	found := false
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, suffix) {
			found = true
		}
		return nil
	})
	return found
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(path, ".golden") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type want struct {
	file string // relative to the case directory
	line int
	rule string
	sev  string // "" when the want does not check it
	msg  *regexp.Regexp
	hit  bool
}

var wantRE = regexp.MustCompile(`#\s*want((?:\s+"[^"]*")+)`)
var quotedRE = regexp.MustCompile(`"([^"]*)"`)

func readWants(t *testing.T, dir string) []*want {
	var out []*want
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		// Golden files repeat the wants of lines a fix keeps.
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".golden") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range wantRE.FindAllStringSubmatch(line, -1) {
				for _, q := range quotedRE.FindAllStringSubmatch(m[1], -1) {
					w := &want{file: rel, line: i + 1}
					rule, msg, hasMsg := strings.Cut(q[1], ":")
					w.rule, w.sev, _ = strings.Cut(strings.TrimSpace(rule), "@")
					if hasMsg {
						w.msg = regexp.MustCompile(strings.TrimSpace(msg))
					}
					out = append(out, w)
				}
			}
		}
		return nil
	})
	return out
}

func checkWants(t *testing.T, dir string, got []lint.Diagnostic, wants []*want) {
	t.Helper()
	abs, _ := filepath.Abs(dir)
	var unexpected []string
	for _, d := range got {
		rel, _ := filepath.Rel(abs, d.File.Path)
		matched := false
		for _, w := range wants {
			if !w.hit && w.file == rel && w.line == d.Range.Start.Line && w.rule == d.Rule && (w.msg == nil || w.msg.MatchString(d.Message)) &&
				(w.sev == "" || w.sev == d.Severity.String()) {
				w.hit, matched = true, true
				break
			}
		}
		if !matched {
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected %s: %s", rel, d.Range.Start.Line, d.Range.Start.Col, d.Rule, d.Message))
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for _, w := range wants {
		if !w.hit {
			t.Errorf("%s:%d: wanted %s, not reported", w.file, w.line, w.rule)
		}
	}
}
