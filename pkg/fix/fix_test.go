package fix

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
	"github.com/composelint/composelint/pkg/source"
)

// fakeLinter lints one compose file at path: it loads it as the only
// environment and reports one diagnostic per fix that makeFixes suggests.
func fakeLinter(path string, makeFixes func(f *source.File) []lint.Fix) Linter {
	return func(overlay map[string][]byte) (*lint.Project, []lint.Diagnostic, error) {
		data, ok := overlay[path]
		if !ok {
			var err error
			if data, err = os.ReadFile(path); err != nil {
				return nil, nil, err
			}
		}
		f := source.ParseYAML(path, data)
		env := load.Load(load.Input{Name: "development", WorkingDir: filepath.Dir(path), Files: []*source.File{f}})
		p := &lint.Project{Dir: filepath.Dir(path), Environments: []*load.Result{env}, Files: map[string]*source.File{path: f}}
		var ds []lint.Diagnostic
		if f.Err == nil {
			for _, fx := range makeFixes(f) {
				ds = append(ds, lint.Diagnostic{Rule: "test", Severity: lint.Warning, File: f, Message: fx.Message, Fixes: []lint.Fix{fx}})
			}
		}
		return p, ds, nil
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
	return path
}

// replaceOnce suggests replacing the first occurrence of old by new, once.
func replaceOnce(old, new string, affects ...string) func(*source.File) []lint.Fix {
	return func(f *source.File) []lint.Fix {
		i := bytes.Index(f.Content, []byte(old))
		if i < 0 {
			return nil
		}
		return []lint.Fix{{Message: "replace " + old, Safety: lint.Safe, Affects: affects,
			Edits: []lint.TextEdit{{File: f, Start: i, End: i + len(old), NewText: new}}}}
	}
}

const compose = "# keep me\nservices:\n  web:\n    image: nginx:1.26   # pinned\n    volumes:\n      - data:/data\nvolumes:\n  data:\n"

func TestDeclaredChangeIsAppliedAndWritten(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	res, err := Run(fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27", "services.web.image")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 1 || len(res.Failed) != 0 {
		t.Fatalf("applied %d, failed %v", len(res.AppliedFindings), res.Failed)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := strings.Replace(compose, "nginx:1.26", "nginx:1.27", 1); string(got) != want {
		t.Errorf("written:\n%s\nwant:\n%s", got, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestUndeclaredModelChangeIsRefused(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	// Declares the volumes, but changes the image.
	res, err := Run(fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27", "volumes")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 || len(res.Fixed) != 0 {
		t.Fatalf("applied %d, failed %d, fixed %d; want the fix refused", len(res.AppliedFindings), len(res.Failed), len(res.Fixed))
	}
	if !strings.Contains(res.Failed[0].Message, "services.web.image") || res.Failed[0].Rule != FixFailed {
		t.Errorf("fix-failed message %q should name the undeclared change", res.Failed[0].Message)
	}
}

func TestFixThatBreaksYAMLIsRefused(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	res, err := Run(fakeLinter(path, replaceOnce("image: nginx:1.26", "image: [nginx", "services")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 {
		t.Fatalf("applied %d, failed %d; want the fix refused", len(res.AppliedFindings), len(res.Failed))
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != compose {
		t.Errorf("file changed although the fix was refused:\n%s", got)
	}
}

func TestUnsafeFixesNeedTheFlag(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	unsafe := func(f *source.File) []lint.Fix {
		fx := replaceOnce("nginx:1.26", "nginx:1.27", "services.web.image")(f)
		for i := range fx {
			fx[i].Safety = lint.Unsafe
		}
		return fx
	}
	res, _ := Run(fakeLinter(path, unsafe), Options{})
	if len(res.AppliedFindings) != 0 {
		t.Errorf("an unsafe fix was applied without Unsafe")
	}
	res, _ = Run(fakeLinter(path, unsafe), Options{Unsafe: true})
	if len(res.AppliedFindings) != 1 {
		t.Errorf("the unsafe fix was not applied with Unsafe")
	}
}

func TestCRLFIsKept(t *testing.T) {
	crlf := strings.ReplaceAll(compose, "\n", "\r\n")
	path := writeTemp(t, "compose.yaml", crlf)
	res, _ := Run(fakeLinter(path, replaceOnce("# keep me", "# kept\n# and more")), Options{})
	got := string(res.Fixed[path])
	if want := strings.Replace(crlf, "# keep me", "# kept\r\n# and more", 1); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOverlappingEditsWaitForTheNextRound(t *testing.T) {
	f := source.New("/x", []byte("abcdef"))
	fx := func(s, e int, text string) lint.Fix {
		return lint.Fix{Message: text, Edits: []lint.TextEdit{{File: f, Start: s, End: e, NewText: text}}}
	}
	picked, deferred := selectFixes([]lint.Fix{fx(0, 2, "X"), fx(1, 3, "Y"), fx(2, 2, "Z"), fx(2, 2, "W"), fx(4, 6, "V")})
	if len(picked) != 3 || len(deferred) != 2 {
		t.Fatalf("picked %d, deferred %d", len(picked), len(deferred))
	}
	out, err := apply(map[string][]byte{"/x": f.Content}, picked)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out["/x"]); got != "XZcdV" {
		t.Errorf("applied: %q", got)
	}
}

func TestNewFileIsCreated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "new.yml")
	res := &Result{Dir: dir, Original: map[string][]byte{path: nil}, Fixed: map[string][]byte{path: []byte("a: 1\n")}}
	diff, _ := res.Diff(func(p string) string { return "sub/new.yml" })
	if !strings.Contains(diff, "--- /dev/null") || !strings.Contains(diff, "+a: 1") {
		t.Errorf("diff of a new file:\n%s", diff)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a: 1\n" {
		t.Errorf("new file: %q", got)
	}
}

// FuzzApply applies edits at arbitrary places of YAML that parses, and
// checks the engine's guarantees: bytes outside the edits are untouched, and
// a file that parsed is never handed back unparseable by a verified round.
func FuzzApply(f *testing.F) {
	f.Add([]byte(compose), 10, 4, "x")
	f.Add([]byte("a: &x [1, 2]\nb: *x\n"), 3, 2, "&y")
	f.Add([]byte("services:\r\n  web:\r\n    image: a\r\n"), 0, 0, "# c\n")
	f.Fuzz(func(t *testing.T, content []byte, start, length int, text string) {
		if len(content) > 4096 || start < 0 || length < 0 || start > len(content) || start+length > len(content) {
			return
		}
		src := source.ParseYAML("/f.yml", content)
		if src.Err != nil {
			return
		}
		edit := lint.Fix{Message: "edit", Safety: lint.Safe, Affects: []string{"services", "volumes", "networks"},
			Edits: []lint.TextEdit{{File: src, Start: start, End: start + length, NewText: text}}}
		out, err := apply(map[string][]byte{"/f.yml": content}, []lint.Fix{edit})
		if err != nil {
			t.Fatal(err)
		}
		got := out["/f.yml"]
		eol := source.LineEnding(content)
		newText := source.WithLineEnding(text, eol)
		if !bytes.Equal(got[:start], content[:start]) || !bytes.Equal(got[start+len(newText):], content[start+length:]) {
			t.Fatalf("bytes outside the edit changed")
		}
		// Through the engine: whatever it returns must parse.
		dir := t.TempDir()
		path := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Run(fakeLinter(path, func(f *source.File) []lint.Fix {
			if !bytes.Equal(f.Content, content) {
				return nil // applied already
			}
			return []lint.Fix{{Message: "edit", Safety: lint.Safe, Affects: edit.Affects,
				Edits: []lint.TextEdit{{File: f, Start: start, End: start + length, NewText: text}}}}
		}), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if fixed, ok := res.Fixed[path]; ok {
			if g := source.ParseYAML(path, fixed); g.Err != nil {
				t.Fatalf("engine returned a file that does not parse: %v", g.Err)
			}
		}
	})
}

func TestAffectsCanBeLimitedToAnEnvironment(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	// The fake linter's only environment is development.
	res, _ := Run(fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27", lint.InEnvironment("production", "services.web.image"))), Options{})
	if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 {
		t.Errorf("a change declared for production only was allowed in development (applied %d)", len(res.AppliedFindings))
	}
	res, _ = Run(fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27", lint.InEnvironment("development", "services.web.image"))), Options{})
	if len(res.AppliedFindings) != 1 {
		t.Errorf("a change declared for development was refused: %v", res.Failed)
	}
}

func TestVerifyOneFix(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	good := fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27", "services.web.image"))
	_, ds, _ := good(nil)
	if err := Verify(good, ds[0].Fixes[0]); err != nil {
		t.Errorf("a declared change was refused: %v", err)
	}
	bad := fakeLinter(path, replaceOnce("nginx:1.26", "nginx:1.27"))
	_, ds, _ = bad(nil)
	if err := Verify(bad, ds[0].Fixes[0]); err == nil || !strings.Contains(err.Error(), "services.web.image") {
		t.Errorf("an undeclared change was not refused: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != compose {
		t.Error("Verify wrote the file")
	}
}

const withDB = "services:\n  db:\n    image: postgres:17\n  web:\n    image: nginx:1.27\n    depends_on:\n      - db\n    volumes:\n      - data:/data\nvolumes:\n  data:\n"

// A planner that forgets a reference must not get its fix written, even
// when it declares every path it changes: after a round no environment
// may name a service, volume or network it no longer defines.
func TestDanglingReferenceIsRefused(t *testing.T) {
	cases := []struct {
		name, old, new string
		affects        []string
		want           string // in the fix-failed message
	}{
		{"depends_on left behind", "  db:\n    image: postgres:17\n", "", []string{"services"}, "services.web.depends_on.db"},
		{"volume declaration removed", "volumes:\n  data:\n", "", []string{"volumes", "services"}, "services.web.volumes.data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "compose.yaml", withDB)
			res, err := Run(fakeLinter(path, replaceOnce(tc.old, tc.new, tc.affects...)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 || len(res.Fixed) != 0 {
				t.Fatalf("applied %d, failed %d, fixed %d; want the fix refused", len(res.AppliedFindings), len(res.Failed), len(res.Fixed))
			}
			if !strings.Contains(res.Failed[0].Message, tc.want) {
				t.Errorf("fix-failed message %q should name %s", res.Failed[0].Message, tc.want)
			}
		})
	}
}

// A declared path covers what lies below it, not its siblings that share
// a prefix: declaring services.db does not allow changing services.db2.
func TestDeclaredPathIsNoPrefixOfASibling(t *testing.T) {
	two := "services:\n  db:\n    image: postgres:17\n  db2:\n    image: postgres:16\n"
	path := writeTemp(t, "compose.yaml", two)
	res, err := Run(fakeLinter(path, replaceOnce("postgres:16", "postgres:17", "services.db")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Message, "services.db2.image") {
		t.Fatalf("applied %d, failed %v; want the fix refused for changing services.db2.image", len(res.AppliedFindings), res.Failed)
	}
}

// A fix that deletes the last entry of a mapping and leaves its key behind
// (`volumes:` with nothing under it) is refused: the planner must remove
// the key with it.
func TestEmptiedKeyIsRefused(t *testing.T) {
	path := writeTemp(t, "compose.yaml", compose)
	res, err := Run(fakeLinter(path, replaceOnce("    volumes:\n      - data:/data\n", "    volumes:\n", "services.web.volumes")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 0 || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Message, "services.web.volumes (line 5)") {
		t.Fatalf("applied %d, failed %v; want the fix refused for emptying services.web.volumes", len(res.AppliedFindings), res.Failed)
	}
	// Removing the key with its last entry is fine.
	path = writeTemp(t, "compose.yaml", compose)
	res, err = Run(fakeLinter(path, replaceOnce("    volumes:\n      - data:/data\n", "", "services.web.volumes")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AppliedFindings) != 1 || len(res.Failed) != 0 {
		t.Fatalf("applied %d, failed %v; want the key and its entry removed", len(res.AppliedFindings), res.Failed)
	}
}
