package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

var ProxyVolumeReadonly = &lint.Rule{
	ID:       "proxy-volume-readonly",
	Summary:  "a reverse proxy mounts a volume that the app writes without `:ro`",
	Severity: lint.Warning,
	Fixable:  true,
	Run:      proxyVolumeReadonly,
	Doc: lint.Doc{
		What: "Reports a reverse proxy (Caddy, nginx, Traefik, HAProxy, Apache httpd, Envoy) that mounts a named volume " +
			"writable while another service (the app) also mounts it writable: the app writes the files (static files, " +
			"uploaded media), the proxy only serves them. A service is a proxy by its image, by the FROM image of its " +
			"Dockerfile, or, when neither is known (a build whose Dockerfile is not in the project, an image name with " +
			"a template placeholder), by the proxy's name in the service name or the Dockerfile path (`caddy:` built from " +
			"./docker/caddy/Dockerfile). Volumes that the proxy itself writes are not reported: logs and caches " +
			"(/var/log, /var/cache, /var/lib/nginx, /tmp, /run), Caddy's /data and /config, and the certificates that Caddy or Traefik " +
			"obtain (paths naming acme, letsencrypt or certs). A volume the other service mounts read-only is written by " +
			"the proxy, and is not reported either.",
		Why: "The wemake-django-template production checklist mounts `django-static` and `django-media` into Caddy only " +
			"to serve them. A writable mount lets a compromised or misconfigured proxy change or delete the app's files " +
			"(the media users uploaded); read-only states the intent and costs nothing. The fix adds `:ro` (short syntax) " +
			"or `read_only: true` (long syntax).",
		Example: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n" +
			"  caddy:\n    image: caddy:2.8\n    volumes:\n      - django-static:/var/www/django/static\nvolumes:\n  django-static:\n",
		Instead: "services:\n  web:\n    image: myapp\n    volumes:\n      - django-static:/var/www/django/static\n" +
			"  caddy:\n    image: caddy:2.8\n    volumes:\n      - django-static:/var/www/django/static:ro\nvolumes:\n  django-static:\n",
	},
}

func proxyVolumeReadonly(p *lint.Pass) {
	svcs := services(p)
	kinds := map[string]string{}
	for _, s := range svcs {
		kinds[s.Name] = proxyKind(p, s)
	}
	for _, proxy := range svcs {
		kind := kinds[proxy.Name]
		if kind == "" {
			continue
		}
		for _, v := range proxy.Volumes {
			if v.Type != types.VolumeTypeVolume || v.Source == "" || v.ReadOnly || v.Target == "" {
				continue
			}
			if proxyWritesPath(kind, path.Clean(v.Target)) {
				continue
			}
			writer := ""
			for _, other := range svcs {
				if other.Name == proxy.Name || kinds[other.Name] != "" {
					continue
				}
				for _, ov := range other.Volumes {
					if ov.Type == types.VolumeTypeVolume && ov.Source == v.Source && !ov.ReadOnly {
						writer = other.Name
					}
				}
				if writer != "" {
					break
				}
			}
			if writer == "" {
				continue
			}
			ip := index.Path{"services", proxy.Name, "volumes", index.Item(v.Target)}
			msg := fmt.Sprintf("%s mounts %s writable, and %s writes to it; mount it read-only in the proxy "+
				"(`:ro`, or `read_only: true` in the long syntax): the proxy only serves what %s writes there", proxy.Name, v.Source, writer, writer)
			var fixes []lint.Fix
			if def, _ := p.Env.Index.Lookup(ip); def != nil && def.Value != nil && roFixOwnedBy(def, proxy.Name) {
				if edits := roFixEdits(def.File, def.Value); len(edits) > 0 {
					fixes = append(fixes, lint.Fix{
						Message: "mount " + v.Source + " read-only in " + proxy.Name, Safety: lint.Safe, Edits: edits,
						Affects: []string{"services." + proxy.Name + ".volumes"},
					})
				}
			}
			reportPath(p, ip, msg, fixes...)
		}
	}
}

// proxyWritesPath reports whether a proxy of this kind writes to a
// container path itself (logs, caches, its certificates and state).
func proxyWritesPath(kind, target string) bool {
	for _, dir := range []string{"/var/log", "/var/cache", "/tmp", "/run", "/var/run", "/var/lib/nginx"} {
		if proxyPathCovers(dir, target) {
			return true
		}
	}
	if kind == "caddy" && (proxyPathCovers("/data", target) || proxyPathCovers("/config", target) || strings.HasPrefix(target, "/root/.caddy") || strings.HasPrefix(target, "/root/.local/share/caddy")) {
		return true
	}
	if kind == "caddy" || kind == "traefik" {
		t := strings.ToLower(target)
		for _, w := range []string{"acme", "letsencrypt", "cert"} {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

// roFixOwnedBy reports whether a definition's node lies inside the service's own
// mapping in its file (and not in an anchor another service shares, where an
// edit would change that service too).
func roFixOwnedBy(def *index.Def, service string) bool {
	for _, doc := range def.File.Docs {
		svcs := roFixMapValue(doc, "services")
		if svcs == nil {
			continue
		}
		if s := roFixMapValue(svcs, service); s != nil && roFixContains(s, def.Value, 0) {
			return true
		}
	}
	return false
}

func roFixMapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// roFixContains walks n (without following aliases) looking for target.
func roFixContains(n, target *yaml.Node, depth int) bool {
	if n == target {
		return true
	}
	if n == nil || depth > 32 || n.Kind == yaml.AliasNode {
		return false
	}
	for _, c := range n.Content {
		if roFixContains(c, target, depth+1) {
			return true
		}
	}
	return false
}

// roFixEdits returns the edits that make a volume entry read-only:
// `:ro` (or rw -> ro) in the short syntax, `read_only: true` in the long
// one. nil when the entry's text cannot be edited safely.
func roFixEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	switch n.Kind {
	case yaml.ScalarNode:
		return roFixShortEdits(f, n)
	case yaml.MappingNode:
		return roFixLongEdits(f, n)
	}
	return nil
}

func roFixShortEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.ShortTag() != "!!str" {
		return nil
	}
	r := f.Span(n)
	start, end := f.Offset(r.Start), f.Offset(r.End)
	if start >= end || end > len(f.Content) {
		return nil
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		start, end = start+1, end-1
	}
	if start > end || string(f.Content[start:end]) != n.Value {
		return nil // escapes or folding: the text is not the value as written
	}
	raw := n.Value
	parts := strings.Split(raw, ":")
	vol, err := format.ParseVolume(raw)
	if err != nil || len(parts) < 2 {
		return nil
	}
	// With a mode field, the last colon-separated part holds the options.
	last := parts[len(parts)-1]
	hasMode := false
	for _, o := range strings.Split(last, ",") {
		switch o {
		case "rw", "ro", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate", "delegated", "cached", "consistent":
			hasMode = true
		}
	}
	if !hasMode || path.Clean(last) == path.Clean(vol.Target) {
		return []lint.TextEdit{{File: f, Start: end, End: end, NewText: ":ro"}}
	}
	lastStart := end - len(last)
	opts := strings.Split(last, ",")
	for i, o := range opts {
		if o == "rw" {
			opts[i] = "ro"
			return []lint.TextEdit{{File: f, Start: lastStart, End: end, NewText: strings.Join(opts, ",")}}
		}
	}
	return []lint.TextEdit{{File: f, Start: lastStart, End: lastStart, NewText: "ro,"}}
}

func roFixLongEdits(f *source.File, n *yaml.Node) []lint.TextEdit {
	if len(n.Content) < 2 {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "read_only" {
			v := n.Content[i+1]
			r := f.Span(v)
			return []lint.TextEdit{{File: f, Start: f.Offset(r.Start), End: f.Offset(r.End), NewText: "true"}}
		}
	}
	if n.Style&yaml.FlowStyle != 0 {
		r := f.Span(n)
		end := f.Offset(r.End)
		if end == 0 || end > len(f.Content) || f.Content[end-1] != '}' || r.Start.Line != r.End.Line {
			return nil
		}
		return []lint.TextEdit{{File: f, Start: end - 1, End: end - 1, NewText: ", read_only: true"}}
	}
	// Block mapping: a new line after the entry's last line, indented as its first key.
	firstKey := n.Content[0]
	lastLine := 0
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		if x.Line > lastLine {
			lastLine = x.Line
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(n)
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode && c.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return nil // a block scalar's last line is not its node's line
		}
	}
	indent := strings.Repeat(" ", firstKey.Column-1)
	if strings.ContainsRune(f.Line(firstKey.Line)[:min(len(f.Line(firstKey.Line)), firstKey.Column-1)], '\t') {
		return nil
	}
	nl := "\n" // the fix engine writes the file's own line endings
	next := f.Offset(source.Pos{Line: lastLine + 1, Col: 1})
	if next >= len(f.Content) && (len(f.Content) == 0 || f.Content[len(f.Content)-1] != '\n') {
		return []lint.TextEdit{{File: f, Start: len(f.Content), End: len(f.Content), NewText: nl + indent + "read_only: true"}}
	}
	return []lint.TextEdit{{File: f, Start: next, End: next, NewText: indent + "read_only: true" + nl}}
}
