package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/project"
	"github.com/composelint/composelint/pkg/rules"
)

// Every directory under testdata/rules/<rule-id>/ is a small project. Its
// files carry the expected findings as `# want "rule-id"` comments on the
// offending line (several: `# want "a" "b"`; a message check: `# want "a: regexp"`).
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
				for _, w := range wants {
					covered[w.rule] = true
				}
			})
		}
	}
	for _, r := range eng.Rules {
		if r.Run != nil && !covered[r.ID] && r.ID != "compose-warning" {
			t.Errorf("rule %s has no fixture that fires (testdata/rules/%s/)", r.ID, r.ID)
		}
	}
}

// lintDir lints the project in dir as the command line would.
func lintDir(t *testing.T, eng *lint.Engine, dir string) []lint.Diagnostic {
	t.Helper()
	opts := project.Options{Rule: eng.Rule}
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
		t.Fatalf("resolve: %v", err)
	}
	var out []lint.Diagnostic
	for _, tg := range targets {
		p, err := tg.Load()
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		e := *eng
		if tg.Config != nil {
			e.Config = tg.Config.Rules
		}
		out = append(out, e.Run(p)...)
	}
	return out
}

type want struct {
	file string // relative to the case directory
	line int
	rule string
	msg  *regexp.Regexp
	hit  bool
}

var wantRE = regexp.MustCompile(`#\s*want((?:\s+"[^"]*")+)`)
var quotedRE = regexp.MustCompile(`"([^"]*)"`)

func readWants(t *testing.T, dir string) []*want {
	var out []*want
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
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
					w.rule = strings.TrimSpace(rule)
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
			if !w.hit && w.file == rel && w.line == d.Range.Start.Line && w.rule == d.Rule && (w.msg == nil || w.msg.MatchString(d.Message)) {
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
