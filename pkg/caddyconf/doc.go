// Package caddyconf is the rules' side of Caddy: which Caddy a compose
// service runs (Major), how it starts (StartOf), which of the project's
// Caddyfiles it is given (FileOf, ConfigOf), and what that Caddyfile says
// (Doc: sites, `root` directives, certificates, storage), with positions.
// The Caddyfile itself is read by pkg/caddyfile.
package caddyconf

import (
	"bytes"
	"path"
	"strings"

	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/source"
)

// Doc is a project's Caddyfile read as written (pkg/caddyfile), with
// the questions the Caddy rules ask of it.
type Doc struct {
	*caddyfile.Document
	File *source.File
}

// Read reads f without expanding {$VAR} or imports.
func Read(f *source.File) *Doc {
	return &Doc{Document: caddyfile.Read(f.Content), File: f}
}

// Root is a `root` directive (or subdirective) and the path it sets.
type Root struct {
	Path  string
	Token caddyfile.Token // the path token
}

// routingBlocks are the directives whose blocks hold more directives that
// serve from the proxy's own file system; `root` inside any other block
// (php_fastcgi, reverse_proxy's transport) names a path of another
// container.
var routingBlocks = map[string]bool{
	"handle": true, "handle_path": true, "route": true, "handle_errors": true,
	"file_server": true,
}

// Roots returns the `root` directives of every site (v2 `root [<matcher>]
// <path>`, `file_server { root <path> }`, and Caddy 1's `root <path>`),
// following imports of snippets. Paths with placeholders are left out.
func (d *Doc) Roots() []Root {
	snippets := d.Snippets()
	var out []Root
	var walk func(nodes []*caddyfile.Node, depth int)
	walk = func(nodes []*caddyfile.Node, depth int) {
		if depth > 16 {
			return
		}
		for _, n := range nodes {
			switch name := n.Name(); {
			case name == "root":
				args := n.Args()
				var p caddyfile.Token
				switch {
				case len(args) == 1:
					p = args[0]
				case len(args) == 2 && (args[0].Text == "*" || strings.HasPrefix(args[0].Text, "/") || strings.HasPrefix(args[0].Text, "@")):
					p = args[1]
				default:
					continue
				}
				if strings.Contains(p.Text, "{") || !strings.HasPrefix(p.Text, "/") {
					continue
				}
				out = append(out, Root{Path: path.Clean(p.Text), Token: p})
			case name == "import":
				if args := n.Args(); len(args) > 0 {
					if body, ok := snippets[args[0].Text]; ok {
						walk(body, depth+1)
					}
				}
			case routingBlocks[name] && n.HasBlock:
				walk(n.Block, depth+1)
			}
		}
	}
	for _, s := range d.Sites() {
		walk(s.Body, 0)
	}
	return out
}

// TokenRange locates a token in the file, as written (quotes
// included).
func TokenRange(f *source.File, t caddyfile.Token) source.Range {
	return source.Range{Start: f.PosOf(t.Offset), End: f.PosOf(t.End)}
}

// ParseError parses f as Caddy would. {$VAR} placeholders are
// replaced by their default or their name first, so that the result does
// not depend on composelint's own environment, and imports of files are
// left out (they may well exist only in the container). It returns the
// error's line in f (0 when unknown) and Caddy's message; ok is false when
// the file parses, or when the error is about an import (not this file's
// syntax).
func ParseError(f *source.File) (line int, msg string, ok bool) {
	input := caddyfile.ExpandEnv(f.Content, func(p caddyfile.Placeholder) string {
		if p.Default != "" {
			return p.Default
		}
		return p.Name
	})
	if len(bytes.TrimSpace(input)) == 0 {
		return 0, "", false // an empty Caddyfile: an empty config
	}
	_, err := caddyfile.Parse(f.Path, caddyfile.BlankFileImports(input))
	perr, isErr := err.(*caddyfile.Error)
	if !isErr || perr.Import != "" || strings.Contains(strings.ToLower(perr.Msg), "import") {
		return 0, "", false
	}
	return min(perr.Line, f.Lines()), perr.Msg, true
}

// WantsPublicCerts reports whether the Caddyfile makes Caddy obtain
// certificates from a public ACME CA: automatic HTTPS is on, and some site
// has a public domain name and neither `tls internal` nor its own
// certificate files.
func (d *Doc) WantsPublicCerts() bool {
	for _, g := range d.Global() {
		switch g.Name() {
		case "auto_https":
			if args := g.Args(); len(args) > 0 && (args[0].Text == "off" || args[0].Text == "disable_certs") {
				return false
			}
		case "local_certs":
			return false
		}
	}
	for _, s := range d.Sites() {
		public := false
		for _, n := range s.Body {
			for _, sub := range n.Block {
				if n.Name() == "tls" && sub.Name() == "on_demand" {
					public = true // certificates for whatever name clients ask for
				}
			}
		}
		for _, a := range s.Addresses {
			if AddressWantsCert(strings.TrimSuffix(a.Text, ",")) {
				public = true
			}
		}
		if !public {
			continue
		}
		own := false
		for _, n := range s.Body {
			if n.Name() != "tls" {
				continue
			}
			args := n.Args()
			if len(args) == 1 && args[0].Text == "internal" || len(args) == 2 {
				own = true
			}
			for _, sub := range n.Block {
				if sub.Name() == "issuer" {
					if a := sub.Args(); len(a) > 0 && a[0].Text == "internal" {
						own = true
					}
				}
			}
		}
		if !own {
			return true
		}
	}
	return false
}

// Storage returns where the Caddyfile's global `storage` option keeps
// certificates: ("", true) when it sets none, (dir, true) for
// `storage file_system <dir>`, ("", false) for any other storage (redis,
// consul, s3…) or a directory that cannot be read.
func (d *Doc) Storage() (dir string, ok bool) {
	for _, g := range d.Global() {
		if g.Name() != "storage" {
			continue
		}
		args := g.Args()
		if len(args) == 0 || args[0].Text != "file_system" {
			return "", false
		}
		if len(args) >= 2 {
			dir = args[1].Text
		}
		for _, sub := range g.Block {
			if sub.Name() == "root" && len(sub.Args()) == 1 {
				dir = sub.Args()[0].Text
			}
		}
		if !strings.HasPrefix(dir, "/") || strings.Contains(dir, "{") {
			return "", false
		}
		return path.Clean(dir), true
	}
	return "", true
}
