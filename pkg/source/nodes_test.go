package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// services is a compose file of n services of four values each.
func services(n int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  svc%d:\n    image: nginx:1.25\n    restart: unless-stopped\n    environment:\n      ID: \"%d\"\n", i, i)
	}
	return b.String()
}

// TestNodeLimitIsComposes: a document docker compose reads (5,000
// services, ~470 KB) parses; one past compose-go's limit is refused at the
// node that passes it, saying the limit.
func TestNodeLimitIsComposes(t *testing.T) {
	if f := ParseYAML("/p/compose.yaml", []byte(services(5000))); f.Err != nil {
		t.Fatalf("5,000 services: %v", f.Err)
	}
	// Each service is 5 visits (its mapping, image, restart, environment,
	// ID), the document 2 (root, services): the limit passes in service
	// 19,999, at its ID (line 5 of its five).
	f := ParseYAML("/p/compose.yaml", []byte(services(20_001)))
	if f.Err == nil {
		t.Fatal("20,001 services (100,007 nodes) parsed")
	}
	want := fmt.Sprintf("more than %d YAML nodes", MaxNodes)
	if !strings.Contains(f.Err.Msg, want) || f.Err.Pos.Line != 1+5*19_999+5 || f.Docs != nil {
		t.Errorf("got %v; want %q at line %d, and no documents kept", f.Err, want, 1+5*19_999+5)
	}
}

// TestAliasInsideItsAnchor: an alias in the collection it refers to is an
// infinite document, refused at once where compose-go walked to its limit.
func TestAliasInsideItsAnchor(t *testing.T) {
	for _, content := range []string{
		"x: &a\n  <<: *a\n  s: [o]\nservices:\n  web:\n    <<: *a\n    image: x\n",
		"x: &a [1, *a]\n",
	} {
		f := ParseYAML("/p/compose.yaml", []byte(content))
		if f.Err == nil || !strings.Contains(f.Err.Msg, "inside the anchor &a") || f.Err.Pos.Line != strings.Count(content[:strings.Index(content, "*a")], "\n")+1 {
			t.Errorf("%q: %v", content, f.Err)
		}
	}
	// An alias to a finished anchor is fine, and counted once.
	if f := ParseYAML("/p/compose.yaml", []byte("x: &a {image: x}\nservices:\n  web: *a\n  api: *a\n")); f.Err != nil {
		t.Errorf("aliases: %v", f.Err)
	}
}

// TestLineScanNeverRefusesWhatParses: the scan that refuses a file before
// parsing it counts nothing inside block scalars, multi-line strings and
// flow collections, however many `key: value` lines they hold.
func TestLineScanNeverRefusesWhatParses(t *testing.T) {
	lines := strings.Repeat("      key: value - item\n", MaxNodes+10)
	quoted := strings.Repeat("      key: value\n", MaxNodes+10)
	for name, content := range map[string]string{
		"block scalar":     "services:\n  web:\n    image: x\n    command: |\n" + lines + "  api:\n    image: y\n",
		"folded, item":     "x:\n  - >-\n" + lines + "services:\n  web:\n    image: x\n",
		"quoted":           "services:\n  web:\n    image: x\n    command: \"first\n" + quoted + "      last\"\n",
		"flow":             "services:\n  web:\n    image: x\n    command: [a,\n" + strings.Repeat("      b: c,\n", MaxNodes+10) + "      d]\n",
		"plain, two lines": "services:\n  web:\n    image: x\n    command: first\n" + strings.Repeat("      - more\n", MaxNodes+10),
	} {
		if line := pastNodeLimit([]byte(content)); line != 0 {
			t.Errorf("%s: refused at line %d", name, line)
		}
	}
	files, _ := filepath.Glob("../../testdata/rules/*/*/*.y*ml")
	if len(files) < 50 {
		t.Fatalf("%d fixture files", len(files))
	}
	for _, p := range files {
		data, _ := os.ReadFile(p)
		if line := pastNodeLimit(data); line != 0 {
			t.Errorf("%s: refused at line %d", p, line)
		}
	}
}

// TestLineScanRefusesBeforeParsing: a file far past the limit is refused
// by the scan, and located where the parse would have: the node limit of
// a document of 80,000 services is at the same place as for 20,001.
func TestLineScanRefusesBeforeParsing(t *testing.T) {
	content := []byte(services(80_000))
	if line := pastNodeLimit(content); line != 1+5*19_999+5 {
		t.Errorf("scan: line %d, want %d", line, 1+5*19_999+5)
	}
	f := ParseYAML("/p/compose.yaml", content)
	if f.Err == nil || f.Err.Pos != (Pos{1 + 5*19_999 + 5, 7}) {
		t.Errorf("got %v, want the limit at %d:7", f.Err, 1+5*19_999+5)
	}
}
