package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/rules"
)

// TestCompletionScriptsParse: each script is valid in its shell (bash -n,
// zsh -n, fish -n; the shells that are not installed are not checked).
func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, stderr := runCLI(t, "completion", shell)
		if code != 0 || stderr != "" || !strings.Contains(out, "composelint") {
			t.Fatalf("completion %s: exit %d, stderr %q", shell, code, stderr)
		}
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("%s is not installed: its script is not parsed", shell)
			continue
		}
		path := filepath.Join(t.TempDir(), "script")
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(shell, "-n", path).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, b)
		}
	}
	if code, _, stderr := runCLI(t, "completion", "powershell"); code != 2 || !strings.Contains(stderr, "bash|zsh|fish") {
		t.Errorf("completion powershell: exit %d, %q", code, stderr)
	}
}

// TestBashCompletion runs the bash script's function as bash would on TAB.
func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, "completion", "bash")
	for line, want := range map[string]string{
		"composelint explain obsolete-v": "obsolete-version",
		"composelint --format sar":       "sarif",
		"composelint --fail-level e":     "error",
		"composelint --unsafe":           "--unsafe-fixes",
		"composelint compl":              "completion",
	} {
		words := strings.Fields(line)
		prog := script + "\nCOMP_WORDS=(" + strings.Join(words, " ") + ")\nCOMP_CWORD=" +
			itoa(len(words)-1) + "\n_composelint\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		out, err := exec.Command("bash", "-c", prog).CombinedOutput()
		if err != nil || !strings.Contains("\n"+string(out), "\n"+want+"\n") {
			t.Errorf("%q: got %q (%v), want %s", line, out, err, want)
		}
	}
}

func TestRulesJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "rules", "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, %q", code, stderr)
	}
	var doc struct {
		Version int
		Rules   []struct {
			ID, Severity, Summary, URL string
			Fixable                    bool
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	eng := &lint.Engine{Rules: rules.All()}
	if doc.Version != 1 || len(doc.Rules) != len(eng.Rules) {
		t.Fatalf("version %d, %d rules, want 1 and %d", doc.Version, len(doc.Rules), len(eng.Rules))
	}
	for i, r := range doc.Rules {
		want := eng.Rules[i]
		if r.ID != want.ID || r.Severity != want.Severity.String() || r.Fixable != want.Fixable || r.Summary != want.Summary ||
			r.URL != "https://github.com/composelint/composelint/blob/main/docs/rules.md#"+want.ID {
			t.Errorf("rule %d: %+v", i, r)
		}
	}
	if code, _, _ := runCLI(t, "rules", "--format", "sarif"); code != 2 {
		t.Errorf("rules --format sarif: exit %d, want 2", code)
	}
}
