package rules

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/nginxconf"
	"github.com/composelint/composelint/pkg/resources"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var ProxyUpstreamUnreachable = &lint.Rule{
	ID:           "proxy-upstream-unreachable",
	Summary:      "the proxy sends requests to a host that is no service, shares no network with it, or does not listen on that port",
	Severity:     lint.Error,
	Environments: []string{"production"},
	Run:          proxyUpstreamUnreachable,
	Doc: lint.Doc{
		What: "Reads the configuration a reverse proxy is given — the Caddyfile of a Caddy service (`reverse_proxy`, " +
			"`php_fastcgi`, Caddy 1's `proxy`), the nginx files it mounts or its Dockerfile copies (`proxy_pass`, " +
			"`uwsgi_pass`, `fastcgi_pass`, `grpc_pass`, through `upstream` blocks) — and reports, in production, an " +
			"upstream whose host is no service of the environment (by service name, container_name, network alias or " +
			"link alias), a service that shares no network with the proxy, or a port the service does not listen on " +
			"where that is known: its `expose` and `ports`, or the port its command binds (`gunicorn --bind`, `uvicorn " +
			"--port`, `runserver ADDR:PORT`). Hosts with a dot, IP addresses, localhost, `extra_hosts` names, hosts " +
			"from runtime placeholders or nginx variables, and any host when the proxy joins an external network " +
			"(containers of other projects answer there) are left alone. `{$VAR}` in a Caddyfile is read from the " +
			"proxy's environment.",
		Why: "Docker's DNS answers a service's name only on the networks it shares with the asker. An upstream that " +
			"names a service production does not define (the database moved to the override, a renamed service), a " +
			"service on another network, or a port nothing listens on turns every request into a 502 Bad Gateway, " +
			"and nothing says so until the site is live. The wemake-django-template keeps Caddy and the app on " +
			"`proxy-net` and proxies to `web:8000`, the port gunicorn binds and the app `expose`s.",
		Example: "services:\n  web:\n    image: myapp\n    networks: [backend]\n    expose: [\"8000\"]\n  caddy:\n" +
			"    image: caddy:2.8\n    networks: [frontend]   # Caddyfile: reverse_proxy web:8080\n" +
			"networks:\n  backend:\n  frontend:\n",
		Instead: "services:\n  web:\n    image: myapp\n    networks: [backend, proxy-net]\n    expose: [\"8000\"]\n  caddy:\n" +
			"    image: caddy:2.8\n    networks: [proxy-net]  # Caddyfile: reverse_proxy web:8000\n" +
			"networks:\n  backend:\n  proxy-net:\n",
	},
}

// upstreamRef is one place where a proxy's configuration names an upstream.
type upstreamRef struct {
	File       *source.File
	Range      source.Range
	Directive  string
	Host, Port string
}

func proxyUpstreamUnreachable(p *lint.Pass) {
	for _, proxy := range p.Services() {
		kind := services.ProxyKind(p.Project, proxy)
		if kind == "" || proxy.NetworkMode != "" || upstreamsExternal(p, proxy) {
			continue
		}
		var refs []upstreamRef
		switch kind {
		case "caddy":
			refs = caddyUpstreams(p, proxy)
		case "nginx":
			refs = nginxUpstreams(p, proxy)
		}
		for _, ref := range refs {
			if msg := upstreamProblem(p, proxy, ref); msg != "" {
				p.ReportRange(ref.File, ref.Range, msg)
			}
		}
	}
}

// upstreamProblem says what is wrong with one upstream ("" when nothing is,
// or when it cannot be told).
func upstreamProblem(p *lint.Pass, proxy types.ServiceConfig, ref upstreamRef) string {
	host := strings.ToLower(ref.Host)
	if strings.ContainsAny(host, ".{}$") || net.ParseIP(strings.Trim(host, "[]")) != nil || host == "localhost" {
		return ""
	}
	for name := range proxy.ExtraHosts {
		if strings.EqualFold(name, host) {
			return ""
		}
	}
	target, ok := upstreamService(p, proxy, host)
	if !ok {
		where := ""
		if files, envs := environments.DefinedElsewhere(p, host); len(envs) > 0 {
			where = fmt.Sprintf(" (it is defined only in %s, by %s)", strings.Join(envs, ", "), strings.Join(files, ", "))
		}
		return fmt.Sprintf("%s sends requests to %s, which is no service of %s%s: every request gets a 502; name a "+
			"service that %s shares a network with, or define %s in the files production loads",
			ref.Directive, ref.Host, p.Env.Name, where, proxy.Name, ref.Host)
	}
	if !shareNetwork(p, proxy, target) {
		return fmt.Sprintf("%s sends requests to %s, which shares no network with %s (%s is on %s, %s on %s): Docker's "+
			"DNS does not answer the name and every request gets a 502; put both on one network (the template's proxy-net)",
			ref.Directive, ref.Host, proxy.Name, target.Name, strings.Join(resources.NetworksOf(effectiveNetworkService(p, target)), ", "),
			proxy.Name, strings.Join(resources.NetworksOf(proxy), ", "))
	}
	if ref.Port == "" {
		return ""
	}
	ports, how := listenPorts(target)
	if len(ports) == 0 || slices.Contains(ports, ref.Port) {
		return ""
	}
	return fmt.Sprintf("%s sends requests to port %s of %s, which listens on %s (%s): every request gets a 502; "+
		"use port %s, or make %s listen on %s", ref.Directive, ref.Port, target.Name, strings.Join(ports, ", "), how,
		ports[0], target.Name, ref.Port)
}

// upstreamsExternal tells whether the proxy joins an external network, where
// containers of other projects answer names this project does not define.
func upstreamsExternal(p *lint.Pass, proxy types.ServiceConfig) bool {
	for name := range proxy.Networks {
		if n, ok := p.Env.Project.Networks[name]; ok && bool(n.External) {
			return true
		}
	}
	return false
}

// upstreamService finds the service a host name reaches from the proxy: a
// service name, a container_name, a network alias, or a link alias of the proxy.
func upstreamService(p *lint.Pass, proxy types.ServiceConfig, host string) (types.ServiceConfig, bool) {
	proj := p.Env.Project
	if s, ok := proj.Services[host]; ok {
		return s, true
	}
	for _, l := range proxy.Links {
		name, alias, _ := strings.Cut(l, ":")
		if strings.EqualFold(alias, host) {
			if s, ok := proj.Services[name]; ok {
				return s, true
			}
		}
	}
	for _, s := range p.Services() {
		if strings.EqualFold(s.ContainerName, host) || strings.EqualFold(s.Hostname, host) {
			return s, true
		}
		for _, n := range s.Networks {
			if n != nil && slices.ContainsFunc(n.Aliases, func(a string) bool { return strings.EqualFold(a, host) }) {
				return s, true
			}
		}
	}
	return types.ServiceConfig{}, false
}

// effectiveNetworkService is the service whose networks svc uses: the one
// its `network_mode: service:X` names, else itself.
func effectiveNetworkService(p *lint.Pass, svc types.ServiceConfig) types.ServiceConfig {
	if name, ok := strings.CutPrefix(svc.NetworkMode, "service:"); ok {
		if s, ok := p.Env.Project.Services[name]; ok {
			return s
		}
	}
	return svc
}

func shareNetwork(p *lint.Pass, a, b types.ServiceConfig) bool {
	b = effectiveNetworkService(p, b)
	if b.NetworkMode != "" || b.Name == a.Name {
		return true // host or another container's network: not judged
	}
	for _, n := range resources.NetworksOf(a) {
		if slices.Contains(resources.NetworksOf(b), n) {
			return true
		}
	}
	return false
}

// bindPortRE reads the port a server command binds: gunicorn's
// --bind/-b [HOST]:PORT, uvicorn/daphne/hypercorn's --port/-p PORT, Django's
// runserver [ADDR:]PORT.
var bindPortRE = regexp.MustCompile(`(?:--bind[= ]|-b |--port[= ]|-p |runserver(?:_plus)? )['"]?(?:[\w.\-\[\]:]*:)?(\d{2,5})\b`)

// listenPorts returns the container ports a service is known to listen on,
// and how they are known; none when unknown.
func listenPorts(svc types.ServiceConfig) (ports []string, how string) {
	add := func(p string) {
		if !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	for _, e := range svc.Expose {
		e, _, _ = strings.Cut(e, "/")
		lo, hi, isRange := strings.Cut(e, "-")
		if !isRange {
			add(e)
			continue
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		for i := a; err1 == nil && err2 == nil && i <= b && i-a < 1000; i++ {
			add(strconv.Itoa(i))
		}
	}
	for _, pc := range svc.Ports {
		add(strconv.Itoa(int(pc.Target)))
	}
	if len(ports) > 0 {
		return ports, "its expose and ports"
	}
	cmd := strings.Join(append(append([]string(nil), svc.Entrypoint...), svc.Command...), " ")
	for _, m := range bindPortRE.FindAllStringSubmatch(cmd, -1) {
		add(m[1])
	}
	return ports, "its command"
}

// caddyUpstreamDirectives are the Caddyfile directives whose arguments (after
// a matcher) and `to` subdirectives are upstreams.
var caddyUpstreamDirectives = map[string]bool{"reverse_proxy": true, "php_fastcgi": true, "proxy": true}

// caddyUpstreams returns the upstreams of the Caddyfile a Caddy service uses.
func caddyUpstreams(p *lint.Pass, proxy types.ServiceConfig) []upstreamRef {
	cf, ok := caddyconf.FileOf(p, proxy)
	if !ok {
		return nil
	}
	doc := caddyconf.Read(cf.File)
	var out []upstreamRef
	var walk func(nodes []*caddyfile.Node, depth int)
	walk = func(nodes []*caddyfile.Node, depth int) {
		for _, n := range nodes {
			name := n.Name()
			if caddyUpstreamDirectives[name] {
				args := n.Args()
				// Caddy 1's `proxy FROM TO…` and v2's optional matcher come first.
				if len(args) > 0 && (name == "proxy" || args[0].Text == "*" || strings.HasPrefix(args[0].Text, "/") || strings.HasPrefix(args[0].Text, "@")) {
					args = args[1:]
				}
				for _, sub := range n.Block {
					if sub.Name() == "to" || sub.Name() == "upstream" {
						args = append(args, sub.Args()...)
					}
				}
				for _, a := range args {
					if host, port, ok := caddyUpstreamAddress(p, proxy, a.Text); ok {
						out = append(out, upstreamRef{File: cf.File, Range: caddyconf.TokenRange(cf.File, a), Directive: name, Host: host, Port: port})
					}
				}
				continue
			}
			if n.HasBlock && depth < 16 && len(n.Tokens) > 0 {
				walk(n.Block, depth+1)
			}
		}
	}
	walk(doc.Nodes, 0)
	return out
}

// caddyUpstreamAddress reads an upstream address: [scheme://]host[:port],
// with {$VAR} from the proxy's environment; ok is false for what is not a
// host name known before run time (placeholders, unix sockets, SRV).
func caddyUpstreamAddress(p *lint.Pass, proxy types.ServiceConfig, addr string) (host, port string, ok bool) {
	addr = string(caddyfile.ExpandEnv([]byte(addr), func(ph caddyfile.Placeholder) string {
		if v, ok := caddyconf.Env(p.Project, proxy, ph.Name); ok {
			return v
		}
		if ph.HasDefault {
			return ph.Default
		}
		return "{unknown}" // not known before run time
	}))
	if strings.ContainsAny(addr, "{}") || strings.HasPrefix(addr, "unix/") || strings.HasPrefix(addr, "srv+") {
		return "", "", false
	}
	scheme := ""
	if i := strings.Index(addr, "://"); i >= 0 {
		scheme, addr = addr[:i], addr[i+3:]
	}
	if scheme != "" && scheme != "http" && scheme != "https" && scheme != "h2c" {
		return "", "", false
	}
	_, host, port = caddyconf.Address(addr)
	return host, port, host != ""
}

// nginxConfigName tells the files an nginx service reads as configuration.
func nginxConfigName(name string) bool {
	n := strings.ToLower(filepath.Base(name))
	return strings.HasSuffix(n, ".conf") || strings.HasSuffix(n, ".conf.template") || n == "nginx.conf" ||
		strings.HasSuffix(n, ".nginx") || n == "default"
}

// nginxUpstreams returns the upstreams of the nginx configuration a service
// is given: bind-mounted files and directories, and what its Dockerfile copies.
func nginxUpstreams(p *lint.Pass, proxy types.ServiceConfig) []upstreamRef {
	var files []string
	addPath := func(host string) {
		info, err := os.Stat(host)
		switch {
		case err != nil:
		case info.IsDir():
			entries, _ := os.ReadDir(host)
			for _, e := range entries {
				if !e.IsDir() && nginxConfigName(e.Name()) {
					files = append(files, filepath.Join(host, e.Name()))
				}
			}
		case nginxConfigName(host):
			files = append(files, host)
		}
	}
	for _, m := range mounts.Of(proxy, p.Env.Project) {
		if (m.Kind == types.VolumeTypeBind || m.Kind == "config") && m.Source != "" && source.Within(p.Project.Dir, m.Source) {
			addPath(m.Source)
		}
	}
	if df, ok := services.Dockerfile(p.Project, proxy); ok {
		for _, c := range dockerfile.TargetCopies(df, proxy.Build.Target) {
			for _, src := range c.Sources {
				if !strings.ContainsAny(src, "*?[$") {
					addPath(filepath.Join(proxy.Build.Context, filepath.FromSlash(src)))
				}
			}
		}
	}
	var out []upstreamRef
	for _, path := range files {
		f, err := p.Project.ReadFile(path)
		if err != nil {
			continue
		}
		for _, u := range nginxconf.Passes(nginxconf.Parse(f.Content)) {
			out = append(out, upstreamRef{File: f, Range: nginxconf.WordRange(f, u.Word), Directive: u.Directive, Host: u.Host, Port: u.Port})
		}
	}
	return out
}
