package source

import (
	"fmt"
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
