package rules

// Shared code of the Caddy rules (proxy-serves-unmounted, caddyfile-not-loaded,
// www-on-third-level-domain, caddy-data-not-persisted): which Caddy a service
// runs, what it mounts, which Caddyfile it loads, and that Caddyfile's
// structure (site addresses, `root` directives, global options) with positions.

import (
	"bytes"
	"net"
	"path"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"golang.org/x/net/publicsuffix"

	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

// ---------------------------------------------------------------------------
// Caddyfile structure

// caddyDoc is a project's Caddyfile read as written (pkg/caddyfile), with
// the questions the Caddy rules ask of it.
type caddyDoc struct {
	*caddyfile.Document
	File *source.File
}

// parseCaddyDoc reads f without expanding {$VAR} or imports.
func parseCaddyDoc(f *source.File) *caddyDoc {
	return &caddyDoc{Document: caddyfile.Read(f.Content), File: f}
}

// caddyRoot is a `root` directive (or subdirective) and the path it sets.
type caddyRoot struct {
	Path  string
	Token caddyfile.Token // the path token
}

// caddyRoutingBlocks are the directives whose blocks hold more directives that
// serve from the proxy's own file system; `root` inside any other block
// (php_fastcgi, reverse_proxy's transport) names a path of another
// container.
var caddyRoutingBlocks = map[string]bool{
	"handle": true, "handle_path": true, "route": true, "handle_errors": true,
	"file_server": true,
}

// Roots returns the `root` directives of every site (v2 `root [<matcher>]
// <path>`, `file_server { root <path> }`, and Caddy 1's `root <path>`),
// following imports of snippets. Paths with placeholders are left out.
func (d *caddyDoc) Roots() []caddyRoot {
	snippets := d.Snippets()
	var out []caddyRoot
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
				out = append(out, caddyRoot{Path: path.Clean(p.Text), Token: p})
			case name == "import":
				if args := n.Args(); len(args) > 0 {
					if body, ok := snippets[args[0].Text]; ok {
						walk(body, depth+1)
					}
				}
			case caddyRoutingBlocks[name] && n.HasBlock:
				walk(n.Block, depth+1)
			}
		}
	}
	for _, s := range d.Sites() {
		walk(s.Body, 0)
	}
	return out
}

// caddyTokenRange locates a token in the file, as written (quotes
// included).
func caddyTokenRange(f *source.File, t caddyfile.Token) source.Range {
	return source.Range{Start: f.PosOf(t.Offset), End: f.PosOf(t.End)}
}

// caddyParseError parses f as Caddy would. {$VAR} placeholders are
// replaced by their default or their name first, so that the result does
// not depend on composelint's own environment, and imports of files are
// left out (they may well exist only in the container). It returns the
// error's line in f (0 when unknown) and Caddy's message; ok is false when
// the file parses, or when the error is about an import (not this file's
// syntax).
func caddyParseError(f *source.File) (line int, msg string, ok bool) {
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

// ---------------------------------------------------------------------------
// Addresses

// caddyAddress splits a site address into scheme, host and port, as Caddy
// reads it ("https://www.example.com:8443/path" -> "https", "www.example.com", "8443").
func caddyAddress(addr string) (scheme, host, port string) {
	if i := strings.Index(addr, "://"); i >= 0 {
		scheme, addr = strings.ToLower(addr[:i]), addr[i+3:]
	}
	if i := strings.Index(addr, "/"); i >= 0 {
		addr = addr[:i]
	}
	host = addr
	if strings.HasPrefix(addr, "[") { // IPv6
		if i := strings.Index(addr, "]"); i >= 0 {
			host, addr = addr[1:i], addr[i+1:]
			port = strings.TrimPrefix(addr, ":")
			return scheme, host, port
		}
	}
	// A port is what follows the last colon outside placeholders.
	depth := 0
	for i := len(addr) - 1; i >= 0; i-- {
		switch addr[i] {
		case '}':
			depth++
		case '{':
			depth--
		case ':':
			if depth == 0 {
				return scheme, addr[:i], addr[i+1:]
			}
		}
	}
	return scheme, host, port
}

// caddyAddressWantsCert reports whether Caddy obtains a publicly trusted
// certificate (ACME) for a site address: an https site whose host is a
// domain name (or an environment placeholder that holds one), not
// localhost, an IP address or an internal name.
func caddyAddressWantsCert(addr string) bool {
	scheme, host, port := caddyAddress(addr)
	if scheme == "http" || port == "80" || host == "" {
		return false
	}
	if strings.Contains(host, "{$") {
		return true // a domain from the environment
	}
	if strings.Contains(host, "{") {
		return false // runtime placeholders: no certificate at startup
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(h) != nil || h == "localhost" || !strings.Contains(h, ".") || strings.HasSuffix(h, ".home.arpa") {
		return false
	}
	// A public CA certifies names under a public top-level domain only
	// (not .local, .internal, .localhost, .test, .lan…).
	tld := h[strings.LastIndex(h, ".")+1:]
	_, icann := publicsuffix.PublicSuffix(tld)
	return icann
}

// WantsPublicCerts reports whether the Caddyfile makes Caddy obtain
// certificates from a public ACME CA: automatic HTTPS is on, and some site
// has a public domain name and neither `tls internal` nor its own
// certificate files.
func (d *caddyDoc) WantsPublicCerts() bool {
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
			if caddyAddressWantsCert(strings.TrimSuffix(a.Text, ",")) {
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
func (d *caddyDoc) Storage() (dir string, ok bool) {
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

// ---------------------------------------------------------------------------
// Which Caddy a service runs

// caddyMajor returns the major version of the Caddy a service runs: 2 for
// Caddy v2 (the official image `caddy` with a 2.x, latest, alpine or
// builder tag or none; another registry's `…/caddy:2…`; a Dockerfile FROM
// one of those), 1 for Caddy 0.x/1.x images (abiosoft/caddy,
// wemakeservices/caddy-docker, any caddy image tagged 0.x or 1.x), 0 when
// the service does not run Caddy or the version is unknown.
func caddyMajor(p *lint.Pass, svc types.ServiceConfig) int {
	for _, img := range services.BaseImages(p.Project, svc) {
		if v := caddyImageMajor(img); v != 0 {
			return v
		}
	}
	return 0
}

func caddyImageMajor(img string) int {
	repo := imageref.Repo(img)
	if repo != "caddy" && !strings.HasPrefix(repo, "caddy-") {
		return 0
	}
	tag := strings.ToLower(strings.TrimPrefix(strings.ToLower(imageref.Tag(img)), "v"))
	if strings.HasPrefix(tag, "0.") || strings.HasPrefix(tag, "1.") || tag == "0" || tag == "1" {
		return 1
	}
	ns := imageref.Namespace(img)
	if strings.Contains(ns, "abiosoft") || repo == "caddy-docker" {
		return 1
	}
	if repo != "caddy" {
		return 0 // caddy-gen, caddy-docker-proxy…: configured another way
	}
	if tag == "2" || strings.HasPrefix(tag, "2.") || strings.HasPrefix(tag, "2-") {
		return 2
	}
	if ns == "" || ns == "library" || ns == "docker.io/library" || ns == "index.docker.io/library" {
		switch {
		case tag == "", tag == "latest", tag == "alpine", strings.HasPrefix(tag, "builder"),
			strings.HasPrefix(tag, "windowsservercore"), strings.HasPrefix(tag, "nanoserver"):
			return 2
		}
	}
	return 0
}

// ---------------------------------------------------------------------------
// Mounts

// caddyfileName reports whether a file name is that of a Caddyfile:
// Caddyfile, Caddyfile.<anything>, <anything>.caddyfile (any case).
func caddyfileName(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	return n == "caddyfile" || strings.HasPrefix(n, "caddyfile.") || strings.HasSuffix(n, ".caddyfile")
}

// caddyfileMountsOf returns the bind mounts and configs that give the service
// a file named like a Caddyfile.
func caddyfileMountsOf(ms []mounts.Mount) []mounts.Mount {
	var out []mounts.Mount
	for _, m := range ms {
		if (m.Kind == "bind" || m.Kind == "config") && m.Source != "" && caddyfileName(m.Source) {
			out = append(out, m)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// How Caddy is started

// caddyStart is what a Caddy v2 container runs, read from its command.
type caddyStart struct {
	// Known is false when the command is not understood (a script, an
	// entrypoint of its own, a subcommand of a plugin).
	Known bool
	// Sub is the caddy subcommand: run, start, reverse-proxy, file-server…
	Sub string
	// Config is the container path of the config file Caddy loads ("" when
	// the subcommand loads none).
	Config string
	// Flags are the subcommand's flags (--from, --domain…), by name without dashes.
	Flags map[string]string
	// Default is true when the image's own command runs (CMD of the caddy image).
	Default bool
}

const caddyDefaultConfig = "/etc/caddy/Caddyfile"

var caddyShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true}

// caddyServerSubs are the caddy subcommands that run a server.
var caddyServerSubs = map[string]bool{"run": true, "start": true, "reverse-proxy": true, "file-server": true, "respond": true}

// caddyWrappers are commands that run the command after them.
var caddyWrappers = map[string]bool{"exec": true, "tini": true, "dumb-init": true, "--": true, "env": true}

// caddyStartOf reads how a Caddy v2 service starts: its entrypoint and
// command, else the CMD/ENTRYPOINT of its Dockerfile when readable, else the
// official image's `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`.
func caddyStartOf(p *lint.Pass, svc types.ServiceConfig) caddyStart {
	ep, cmd := []string(svc.Entrypoint), []string(svc.Command)
	if len(ep) == 0 && svc.Build != nil {
		// The image's ENTRYPOINT applies unless the service sets one; its
		// CMD unless the service sets a command.
		df, ok := services.Dockerfile(p.Project, svc)
		if !ok && len(cmd) == 0 {
			return caddyStart{}
		}
		if ok {
			dfEp, dfCmd := dockerfile.TargetCommand(df, svc.Build.Target)
			ep = dfEp
			if len(cmd) == 0 {
				cmd = dfCmd
			}
		}
	}
	if len(ep) == 0 && len(cmd) == 0 {
		return caddyStart{Known: true, Sub: "run", Config: caddyDefaultConfig, Default: true}
	}
	args := append(append([]string(nil), ep...), cmd...)
	script := false
	// A shell running a one-line script: read the script's words.
	if len(args) >= 3 && caddyShells[path.Base(args[0])] && strings.HasPrefix(args[1], "-") && strings.Contains(args[1], "c") {
		var words []string
		for _, a := range strings.Fields(strings.Join(args[2:], " ")) {
			a = strings.Trim(a, `"'`)
			if len(a) > 1 && strings.HasSuffix(a, ";") {
				words = append(words, strings.TrimSuffix(a, ";"), ";")
				continue
			}
			words = append(words, a)
		}
		args = words
		script = true
	}
	i := -1
	for j := 0; j+1 < len(args); j++ {
		if path.Base(args[j]) == "caddy" && caddyServerSubs[args[j+1]] {
			i = j
			break
		}
		if !script && !caddyWrappers[path.Base(args[j])] {
			// The command does not start caddy itself (a script, an entrypoint of its own).
			return caddyStart{}
		}
	}
	if i < 0 {
		return caddyStart{} // no caddy that runs a server (a bare `caddy` prints help)
	}
	args = args[i+1:]
	for j, a := range args {
		if a == "&&" || a == "||" || a == ";" || a == "|" || a == "&" {
			args = args[:j]
			break
		}
	}
	st := caddyStart{Known: true, Sub: args[0], Flags: map[string]string{}}
	for j := 1; j < len(args); j++ {
		a := args[j]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasVal && j+1 < len(args) && !strings.HasPrefix(args[j+1], "-") {
			val = args[j+1]
			j++
		}
		st.Flags[name] = val
	}
	workdir := svc.WorkingDir
	if workdir == "" {
		workdir = "/srv"
	}
	switch st.Sub {
	case "run", "start":
		cfg := st.Flags["config"]
		if cfg == "" && st.Flags["c"] != "" {
			cfg = st.Flags["c"]
		}
		if cfg == "" {
			// Without --config Caddy reads ./Caddyfile when it exists.
			if a := st.Flags["adapter"]; a != "" && a != "caddyfile" {
				return caddyStart{}
			}
			cfg = "Caddyfile"
		}
		if !path.IsAbs(cfg) {
			cfg = path.Join(workdir, cfg)
		}
		st.Config = path.Clean(cfg)
	default:
		// reverse-proxy, file-server, respond configure Caddy from their flags alone.
	}
	return st
}

// ---------------------------------------------------------------------------
// The Caddyfile a proxy uses

// proxyCaddyfile is the project's Caddyfile that a Caddy service is given.
type proxyCaddyfile struct {
	File *source.File
	// Mount is the bind mount or config that gives it to the container
	// (Kind "" when the image copies it in, or when it was guessed).
	Mount mounts.Mount
	// Mounted is true when the file reaches the container through a mount;
	// false when the Dockerfile copies it or it was found by name only.
	Mounted bool
}

// caddyfileFor returns the project's Caddyfile a Caddy service uses, in
// this order: the file that Caddy loads (its --config, or
// /etc/caddy/Caddyfile) when a mount provides it; any other mounted file
// named like a Caddyfile; a Caddyfile its Dockerfile copies from the build
// context; and, when the service is built from a Dockerfile that is not in
// the project, docker/caddy/Caddyfile or Caddyfile in the project.
// ok is false when none is found or readable.
func caddyfileFor(p *lint.Pass, svc types.ServiceConfig) (proxyCaddyfile, bool) {
	if p.Project.ReadFile == nil {
		return proxyCaddyfile{}, false
	}
	ms := mounts.Of(svc, p.Env.Project)
	read := func(host string) *source.File {
		f, err := p.Project.ReadFile(host)
		if err != nil {
			return nil
		}
		return f
	}
	if caddyMajor(p, svc) == 2 {
		if st := caddyStartOf(p, svc); st.Known && st.Config != "" {
			if host, ok := mounts.HostPath(ms, st.Config); ok {
				if f := read(host); f != nil {
					m, _ := mounts.At(ms, st.Config)
					return proxyCaddyfile{File: f, Mount: m, Mounted: true}, true
				}
			}
		}
	}
	for _, m := range caddyfileMountsOf(ms) {
		if f := read(m.Source); f != nil {
			return proxyCaddyfile{File: f, Mount: m, Mounted: true}, true
		}
	}
	if svc.Build == nil {
		return proxyCaddyfile{}, false
	}
	if df, ok := services.Dockerfile(p.Project, svc); ok {
		for _, c := range dockerfile.TargetCopies(df, svc.Build.Target) {
			for _, src := range c.Sources {
				if !caddyfileName(src) || strings.ContainsAny(src, "*?[$") {
					continue
				}
				if f := read(filepath.Join(svc.Build.Context, filepath.FromSlash(src))); f != nil {
					return proxyCaddyfile{File: f}, true
				}
			}
		}
		return proxyCaddyfile{}, false
	}
	for _, rel := range []string{"docker/caddy/Caddyfile", "Caddyfile"} {
		if f := read(filepath.Join(p.Project.Dir, filepath.FromSlash(rel))); f != nil {
			return proxyCaddyfile{File: f}, true
		}
	}
	return proxyCaddyfile{}, false
}

// caddyConfigOf tells what config a Caddy v2 service effectively runs
// with: the Caddyfile document (doc), or the image's default Caddyfile
// (isDefault: `:80` serving /usr/share/caddy), or no config file because
// the command configures Caddy (st.Sub reverse-proxy, file-server…). known
// is false when it cannot be told (a config baked into an image whose
// Dockerfile is not readable, a command that is not understood, a file
// outside the project).
func caddyConfigOf(p *lint.Pass, svc types.ServiceConfig, st caddyStart) (doc *caddyDoc, isDefault, known bool) {
	if !st.Known {
		return nil, false, false
	}
	if st.Config == "" {
		return nil, false, true
	}
	ms := mounts.Of(svc, p.Env.Project)
	if host, ok := mounts.HostPath(ms, st.Config); ok {
		f, err := p.Project.ReadFile(host)
		if err != nil {
			return nil, false, false
		}
		return parseCaddyDoc(f), false, true
	}
	if _, ok := mounts.At(ms, st.Config); ok {
		return nil, false, false // a volume provides it
	}
	if svc.Build != nil {
		df, ok := services.Dockerfile(p.Project, svc)
		if !ok {
			return nil, false, false
		}
		if candidates, covered := dockerfile.CopiedFrom(dockerfile.TargetCopies(df, svc.Build.Target), svc.Build.Context, st.Config); covered {
			for _, host := range candidates {
				if f, err := p.Project.ReadFile(host); err == nil {
					return parseCaddyDoc(f), false, true
				}
			}
			return nil, false, false
		}
	}
	if st.Config == caddyDefaultConfig {
		return nil, true, true
	}
	// Nothing provides the file: Caddy fails, or (./Caddyfile absent) runs
	// with an empty config. Either way it obtains no certificates.
	return nil, false, true
}

// caddyServiceEnv returns a variable of the service's resolved environment
// (environment and env_file), else of the project's interpolation values.
func caddyServiceEnv(p *lint.Pass, svc types.ServiceConfig, name string) (string, bool) {
	if v, ok := svc.Environment[name]; ok && v != nil {
		return *v, true
	}
	if v, ok := p.Project.Vars[name]; ok {
		return v, true
	}
	return "", false
}
