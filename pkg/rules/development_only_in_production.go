package rules

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/envvars"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var DevelopmentOnlyInProduction = &lint.Rule{
	ID:           "development-only-in-production",
	Summary:      "production runs settings that belong to the development override",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Fixable:      true,
	Run:          developmentOnlyInProduction,
	Doc: lint.Doc{
		What: "Reports, in the merged production model, what belongs in `docker-compose.override.yml` only: the project's " +
			"source bind-mounted into a service (`.:/code`: a bind of the project directory or of a directory containing it, " +
			"not of a single file or subdirectory such as `./docker/caddy/Caddyfile`), host ports published by a database or " +
			"cache server or a development tool such as a mail catcher or a database UI, and those of an app service (one " +
			"built from the project) published past the reverse proxy. Not reported: the reverse proxy's ports, third-party " +
			"servers that must be reachable, ports bound to 127.0.0.1 or ::1, ports that are the product (UDP, and " +
			"well-known protocols such as SMTP, IMAP, DNS, SSH, LDAP, XMPP, RADIUS, VPNs, VoIP and TURN, MQTT, game " +
			"servers), 80/443 when no proxy runs, and the app's own ports in a project whose development environment does " +
			"not run the app (there is none, or it runs only the app's services, the app on the host) and that has no " +
			"proxy and nothing on 80/443: they are how users reach it, unless the " +
			"service runs for development (source mount, development server). Also reported: " +
			"`DJANGO_ENV=development` (in `environment`, an env file or a build arg), and a development server " +
			"in `command` or `entrypoint` (`runserver`, `--reload`, `nodemon`, `npm run dev`, `yarn dev`, `pnpm dev`, " +
			"`next dev`, `flask run --debug`, `rails server -e development`). A setting of the base file that the " +
			"production file overrides is not reported: the check reads what production really runs.",
		Why: "The wemake-django-template keeps what development needs in `docker-compose.override.yml`, which " +
			"`docker compose up` loads and production does not: the source mount (production runs the code built into the " +
			"image, not whatever is checked out on the server), the published port of the app (in production only the proxy " +
			"is reachable, and a fixed host port \"will ruin scaling\"), development settings and the auto-reloading " +
			"development server, which is neither fast nor hardened. Found in a file production loads, they run in production. " +
			"Services behind a profile that `COMPOSE_PROFILES` does not enable are not checked. " +
			"The fix (unsafe: production stops running these) moves the entry: it deletes it from the file production loads " +
			"(with the comment lines above it, and the key when it was the last entry of its list or mapping) and, when " +
			"development ran it from there, adds it to the development override (`docker-compose.override.yml`, created " +
			"next to the base file when missing) under the same service and key, for every service that used it (an entry " +
			"of an anchored `<<` block is re-added for each service using the anchor), so that development runs what it " +
			"ran; an entry only production loads is just deleted. A development-server `command` or `entrypoint` is moved " +
			"only when production keeps one of its own (one it inherits through `extends` or a `<<` merge): otherwise " +
			"production would fall back to the image's default command, which is for a person to choose, so no fix is " +
			"offered. No fix either for DJANGO_ENV from an env file, an entry in flow style (`[a, b]`) or shared by an " +
			"anchor with a service whose entry is not development-only, an edit that would empty a service, or when the " +
			"environments are configured so that another one (staging…) would change too. In a project with no development " +
			"environment there is nowhere to move to: an app's published port is removed (unsafe, the key too when it was " +
			"the last port; a database's or tool's port is bound to 127.0.0.1 by `published-port-all-interfaces` instead), " +
			"and nothing else is offered.",
		Example: "# docker-compose.yml (development and production)\nservices:\n  web:\n    build: .\n    volumes:\n" +
			"      - .:/code\n    ports:\n      - \"8000:8000\"\n    command: python manage.py runserver 0.0.0.0:8000\n",
		Instead: "# docker-compose.override.yml (development only)\nservices:\n  web:\n    volumes:\n      - .:/code\n" +
			"    ports:\n      - \"8000:8000\"\n    command: python manage.py runserver 0.0.0.0:8000\n\n" +
			"# docker/docker-compose.prod.yml\nservices:\n  web:\n    command: gunicorn server.wsgi\n    expose:\n      - \"8000\"\n",
	},
}

func developmentOnlyInProduction(p *lint.Pass) {
	if p.Env == nil || p.Env.Project == nil {
		return
	}
	c := &devonlyCheck{p: p, prod: devonlyProdFile(p)}
	c.dev, c.hasDev = environments.DevelopmentFile(p)
	for _, svc := range p.Services() {
		c.hasProxy = c.hasProxy || devonlyIsProxy(p, svc)
		c.hasEdge = c.hasEdge || devonlyIsEdge(p, svc)
	}
	for _, svc := range p.Services() {
		if !environments.Starts(p.Project, svc) {
			continue
		}
		c.sourceMounts(svc)
		c.ports(svc)
		c.djangoEnv(svc)
		c.devServers(svc)
	}
	// Findings are reported once all are known: a fix that moves an entry
	// an anchor shares needs every service that uses it to be found.
	flagged := map[string]bool{}
	for _, f := range c.found {
		if k := f.move.key(); k != "" {
			flagged[k] = true
		}
	}
	for _, f := range c.found {
		f.report(devonlyFix(p, f.move, flagged, c.hasDev)...)
	}
}

// devonlyCheck is one run of the rule over an environment.
type devonlyCheck struct {
	p                 *lint.Pass
	dev, prod         string // the development and production files, as messages name them
	hasDev            bool   // the project has a development environment to move things to
	hasProxy, hasEdge bool
	found             []devonlyFinding
}

func (c *devonlyCheck) moveTo(what string) string {
	if c.hasDev {
		return fmt.Sprintf("move %s to %s (development)", what, c.dev)
	}
	return fmt.Sprintf("remove %s from production: the project has no development environment (no override or "+
		"development file) to move it to", what)
}

func (c *devonlyCheck) note(path index.Path, msg string, m devonlyMove) {
	p := c.p
	c.found = append(c.found, devonlyFinding{report: func(fixes ...lint.Fix) { p.ReportPath(path, msg, fixes...) }, move: m})
}

// sourceMounts: bind mounts of the project's source.
func (c *devonlyCheck) sourceMounts(svc types.ServiceConfig) {
	p := c.p
	for _, v := range svc.Volumes {
		if v.Type != types.VolumeTypeBind || !mounts.HoldsProject(p.Project.Dir, v.Source) {
			continue
		}
		src := "."
		if rel, err := filepath.Rel(p.Project.Dir, v.Source); err == nil {
			src = filepath.ToSlash(rel)
		}
		path := index.Path{"services", svc.Name}.Child("volumes", index.Item(v.Target))
		c.note(path, fmt.Sprintf(
			"`%s` bind-mounts the project source (`%s` at `%s`) in production: the container runs whatever is checked out "+
				"on the server instead of the code built into its image; %s",
			svc.Name, src, v.Target, c.moveTo("this mount")),
			devonlyMove{svc: svc.Name, path: path, coll: []string{"volumes"}, what: fmt.Sprintf("the source mount at `%s`", v.Target)})
	}
}

// ports: published ports of an app or a development tool. In a project
// without a proxy and with no service on 80/443, whose development
// environment does not run the app (none, or one of its services only, the
// app running on the host), the app's own ports are how users reach it (a
// self-hosted app on :8000), unless the service runs for development anyway.
func (c *devonlyCheck) ports(svc types.ServiceConfig) {
	p := c.p
	role := devonlyPortRole(p, svc)
	_, envs := environments.DefinedElsewhere(p, svc.Name)
	developed := c.hasDev && slices.Contains(envs, "development")
	if role != "dev" && !(role == "app" && (c.hasProxy || c.hasEdge || developed || devonlyRunsForDevelopment(p, svc))) {
		return
	}
	seen := map[string]bool{}
	for _, port := range svc.Ports {
		if port.Published == "" || devonlyLoopback(port.HostIP) || devonlyPublicPort(port, c.hasProxy) {
			continue
		}
		path := index.Path{"services", svc.Name}.Child("ports", index.Item(index.PortIdentity(port.HostIP, port.Published, port.Target, port.Protocol)))
		def, _ := p.Env.Index.Lookup(path)
		if def == nil {
			continue
		}
		at := fmt.Sprintf("%s:%d:%d", def.File.Path, def.Value.Line, def.Value.Column)
		if seen[at] {
			continue // one finding for a port range
		}
		seen[at] = true
		why := "only the reverse proxy should be reachable from outside"
		switch {
		case role == "dev" && services.DatabaseKind(p.Project, svc) != "":
			why = "a database server should not be reachable from outside the host"
		case role == "dev":
			why = "caches and development tools should not be reachable from outside the host"
		case !c.hasProxy:
			why = "put a reverse proxy in front of it rather than reaching it directly"
		}
		c.note(path, fmt.Sprintf(
			"`%s` publishes port %s on the host in production: %s, and a fixed host port prevents running several "+
				"replicas; `expose` the port instead and %s",
			svc.Name, devonlyPortText(port), why, c.moveTo("`ports`")),
			devonlyMove{svc: svc.Name, path: path, coll: []string{"ports"}, what: "the published port " + devonlyPortText(port),
				appPort: role == "app"})
	}
}

// djangoEnv: DJANGO_ENV=development in the environment, an env file or a build arg.
func (c *devonlyCheck) djangoEnv(svc types.ServiceConfig) {
	p := c.p
	base := index.Path{"services", svc.Name}
	if e, ok := envvars.Lookup(p, svc, "DJANGO_ENV"); ok && devonlyIsDevelopment(e.Value) {
		where := "`environment`"
		if e.FromEnvFile() {
			where = "env file"
		}
		msg := fmt.Sprintf("`%s` sets DJANGO_ENV=development in production (%s): Django runs with its development "+
			"settings; set DJANGO_ENV=production in %s and keep development in %s", svc.Name, where, c.prod, c.dev)
		var m devonlyMove
		if envPath := base.Child("environment", "DJANGO_ENV"); !e.FromEnvFile() && slices.Equal(e.Path, envPath) {
			m = devonlyMove{svc: svc.Name, path: envPath, coll: []string{"environment"}, what: "`DJANGO_ENV=development`"}
		}
		c.found = append(c.found, devonlyFinding{report: func(fixes ...lint.Fix) { e.Report(p, msg, fixes...) }, move: m})
	}
	if svc.Build != nil {
		if v, ok := svc.Build.Args["DJANGO_ENV"]; ok && v != nil && devonlyIsDevelopment(*v) {
			path := base.Child("build", "args", "DJANGO_ENV")
			c.note(path, fmt.Sprintf("`%s` builds its image with DJANGO_ENV=development "+
				"in production (build arg): the image gets development dependencies and settings; set the build arg to "+
				"production in %s and keep development in %s", svc.Name, c.prod, c.dev),
				devonlyMove{svc: svc.Name, path: path, coll: []string{"build", "args"}, what: "the build arg `DJANGO_ENV=development`"})
		}
	}
}

// devServers: a development server (runserver, flask run…) as command or entrypoint.
func (c *devonlyCheck) devServers(svc types.ServiceConfig) {
	for _, cmd := range []struct {
		key  string
		args types.ShellCommand
	}{{"command", svc.Command}, {"entrypoint", svc.Entrypoint}} {
		if what := devonlyDevServer(cmd.args); what != "" {
			path := index.Path{"services", svc.Name}.Child(cmd.key)
			c.note(path, fmt.Sprintf("`%s` runs a development server (%s) in production: it reloads "+
				"code, runs a single process and is not hardened; set `%s` to a production server (e.g. gunicorn) in %s "+
				"and keep this one in %s", svc.Name, what, cmd.key, c.prod, c.dev),
				devonlyMove{svc: svc.Name, path: path, what: fmt.Sprintf("the development server `%s`", cmd.key)})
		}
	}
}

// devonlyDevImages are servers whose published ports are a development
// convenience: caches, and tools for developers (mail catchers, database UIs).
var devonlyDevImages = []string{"redis", "valkey", "keydb", "memcached", "adminer", "pgadmin4", "phpmyadmin",
	"mongo-express", "redis-commander", "redisinsight", "mailhog", "mailpit", "mailslurper", "mailcatcher", "maildev", "smtp4dev"}

// devonlyPortRole tells whether the host ports svc publishes may belong to
// development only: "dev" for its database and cache servers and
// development tools (never public), "app" for the project's own services
// (built from the project: public only as the entry point of a project
// without a proxy), "" for the reverse proxy, whose ports are expected, and
// third-party servers that must be reachable (mail, DNS, VPN, media relays…).
func devonlyPortRole(p *lint.Pass, svc types.ServiceConfig) string {
	if devonlyIsProxy(p, svc) {
		return ""
	}
	if services.DatabaseKind(p.Project, svc) != "" {
		return "dev"
	}
	for _, img := range services.BaseImages(p.Project, svc) {
		if slices.Contains(devonlyDevImages, imageref.Repo(img)) {
			return "dev"
		}
	}
	if svc.Build != nil {
		return "app"
	}
	return ""
}

// devonlyRunsForDevelopment tells whether a service runs as it does in
// development: the project's source mounted, a development server, or
// DJANGO_ENV=development.
func devonlyRunsForDevelopment(p *lint.Pass, svc types.ServiceConfig) bool {
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeBind && mounts.HoldsProject(p.Project.Dir, v.Source) {
			return true
		}
	}
	if devonlyDevServer(svc.Command) != "" || devonlyDevServer(svc.Entrypoint) != "" {
		return true
	}
	if v, ok := svc.Environment["DJANGO_ENV"]; ok && v != nil && devonlyIsDevelopment(*v) {
		return true
	}
	if svc.Build != nil {
		if v, ok := svc.Build.Args["DJANGO_ENV"]; ok && v != nil && devonlyIsDevelopment(*v) {
			return true
		}
	}
	return false
}

// devonlyIsEdge tells whether a service publishes HTTP(S) on the host's
// port 80 or 443: the project's entry point.
func devonlyIsEdge(p *lint.Pass, svc types.ServiceConfig) bool {
	if !environments.Starts(p.Project, svc) {
		return false
	}
	for _, port := range svc.Ports {
		if pub := strings.TrimSpace(port.Published); (pub == "80" || pub == "443") && !devonlyLoopback(port.HostIP) {
			return true
		}
	}
	return false
}

// devonlyPublicPorts are ports that exist to be reached from outside: file
// transfer, SSH, mail, DNS, directory, chat, VPN, VoIP and TURN, MQTT,
// RADIUS, syslog, streaming, peer-to-peer and game servers. A service
// publishing them does so in production too.
var devonlyPublicPorts = map[uint32]bool{
	20: true, 21: true, 22: true, 25: true, 53: true, 69: true, 110: true, 123: true, 143: true, 161: true, 389: true,
	465: true, 500: true, 514: true, 587: true, 636: true, 853: true, 990: true, 993: true, 995: true, 1194: true,
	1645: true, 1646: true, 1701: true, 1723: true, 1812: true, 1813: true, 1883: true, 1935: true, 2525: true,
	3478: true, 4190: true, 4500: true, 5060: true, 5061: true, 5222: true, 5223: true, 5269: true, 5349: true,
	6514: true, 6667: true, 6697: true, 6881: true, 8448: true, 8883: true, 9418: true, 9987: true, 10000: true,
	19132: true, 21027: true, 22000: true, 25565: true, 27015: true, 27016: true, 30033: true, 51413: true,
	51820: true, 64738: true,
}

// devonlyPublicPort tells whether a published port is meant to be public in
// production: UDP (no HTTP development server speaks it), a well-known
// public protocol, or HTTP(S) on 80/443 when no reverse proxy runs (then the
// app is the edge).
func devonlyPublicPort(port types.ServicePortConfig, hasProxy bool) bool {
	if strings.EqualFold(port.Protocol, "udp") || strings.EqualFold(port.Protocol, "sctp") {
		return true
	}
	if devonlyPublicPorts[port.Target] {
		return true
	}
	pub := strings.TrimSpace(port.Published)
	if n, err := strconv.ParseUint(pub, 10, 32); err == nil && devonlyPublicPorts[uint32(n)] {
		return true
	}
	return !hasProxy && (pub == "80" || pub == "443")
}

// devonlyIsProxy tells whether svc is the reverse proxy: services.ProxyKind, or, for
// a service built from a Dockerfile that is not in the project, "proxy" in
// its name (a project's own `myproject_production_proxy`).
func devonlyIsProxy(p *lint.Pass, svc types.ServiceConfig) bool {
	if services.ProxyKind(p.Project, svc) != "" {
		return true
	}
	return svc.Build != nil && (strings.Contains(strings.ToLower(svc.Name), "proxy") || strings.Contains(strings.ToLower(imageref.Repo(svc.Image)), "proxy"))
}

// devonlyProdFile names the production file (the last file this environment loads).
func devonlyProdFile(p *lint.Pass) string {
	if n := len(p.Env.Files); n > 1 {
		return source.Rel(p.Project.Dir, p.Env.Files[n-1].Path)
	}
	return "the production file"
}

func devonlyLoopback(hostIP string) bool {
	ip := net.ParseIP(strings.Trim(hostIP, "[]"))
	return ip != nil && ip.IsLoopback() || hostIP == "localhost"
}

func devonlyPortText(port types.ServicePortConfig) string {
	s := port.Published
	if port.HostIP != "" && port.HostIP != "0.0.0.0" {
		s = port.HostIP + ":" + s
	}
	s = fmt.Sprintf("%s (to %d", s, port.Target)
	if port.Protocol != "" && port.Protocol != "tcp" {
		s += "/" + port.Protocol
	}
	return s + ")"
}

func devonlyIsDevelopment(v string) bool {
	return strings.EqualFold(strings.Trim(strings.TrimSpace(v), `"'`), "development")
}

// devonlyDevServer recognises a development server in a command line and
// says which ("" when none).
func devonlyDevServer(cmd types.ShellCommand) string {
	if len(cmd) == 0 {
		return ""
	}
	words := strings.FieldsFunc(strings.Join(cmd, " "), func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || strings.ContainsRune(";&|()'\"`", r)
	})
	base := make([]string, len(words))
	for i, w := range words {
		base[i] = w[strings.LastIndex(w, "/")+1:]
	}
	has := func(w string) bool { return slices.Contains(base, w) }
	seq := func(ws ...string) bool {
		for i := 0; i+len(ws) <= len(base); i++ {
			if slices.Equal(base[i:i+len(ws)], ws) {
				return true
			}
		}
		return false
	}
	switch {
	case has("runserver") || has("runserver_plus"):
		return "Django's `runserver`"
	case has("flask") && has("run") && (has("--debug") || has("--reload")):
		return "`flask run --debug`"
	case has("--reload"):
		return "auto-reload, `--reload`"
	case has("nodemon"):
		return "`nodemon`"
	case seq("npm", "run", "dev") || seq("npm", "run-script", "dev"):
		return "`npm run dev`"
	case seq("yarn", "dev") || seq("yarn", "run", "dev"):
		return "`yarn dev`"
	case seq("pnpm", "dev") || seq("pnpm", "run", "dev"):
		return "`pnpm dev`"
	case seq("next", "dev"):
		return "`next dev`"
	}
	for i, w := range base {
		if w != "rails" || i+1 >= len(base) || (base[i+1] != "server" && base[i+1] != "s") {
			continue
		}
		for j := i + 2; j < len(words); j++ {
			a := words[j]
			if a == "-edevelopment" || a == "-e=development" || a == "--environment=development" ||
				(a == "-e" || a == "--environment") && j+1 < len(words) && words[j+1] == "development" {
				return "`rails server -e development`"
			}
		}
	}
	return ""
}
