// Package services tells what a compose service runs (its image, and the
// base image of the Dockerfile it builds when the project holds it), what
// that makes it (a reverse proxy, a database), and whether it has a
// healthcheck. Rules ask it rather than guess from service names.
package services

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
)

// BaseImages returns what a service runs: its image, and the base image of
// the stage its Dockerfile builds (the target stage, else the last), when
// the Dockerfile is in the project and readable.
func BaseImages(proj *lint.Project, svc types.ServiceConfig) []string {
	var out []string
	if svc.Image != "" {
		out = append(out, svc.Image)
	}
	if from := dockerfileFrom(proj, svc); from != "" {
		out = append(out, from)
	}
	return out
}

// dockerfileFrom returns the base image of the stage a service's build
// produces, following FROM <stage> to the image it starts from.
func dockerfileFrom(proj *lint.Project, svc types.ServiceConfig) string {
	content, ok := Dockerfile(proj, svc)
	if !ok {
		return ""
	}
	chain := dockerfile.Chain(dockerfile.Parse(content), svc.Build.Target)
	if len(chain) == 0 {
		return ""
	}
	return chain[0].From
}

// proxyImages are the reverse proxies recognised by image repository name.
var proxyImages = []string{"caddy", "nginx", "nginx-unprivileged", "openresty", "traefik", "haproxy", "httpd", "apache2", "envoy", "nginx-proxy", "swag"}

// ProxyKind tells whether a service is a reverse proxy, and which: by its
// image, by the base image of its Dockerfile, and, when neither is known
// (a build whose Dockerfile is not in the project), by a proxy's name in the
// service name, the image tag it builds, the Dockerfile path or the build
// context (`caddy:` built from ./docker/caddy/Dockerfile). Tools named after
// a proxy (nginx-prometheus-exporter, traefik-certs-dumper) are no proxy.
func ProxyKind(proj *lint.Project, svc types.ServiceConfig) string {
	for _, img := range BaseImages(proj, svc) {
		repo := imageref.Repo(img)
		if isProxyTool(repo) {
			return ""
		}
		for _, name := range proxyImages {
			// nginx, nginx-unprivileged, and a project's own build of
			// one, pulled: mathesar/mathesar-caddy
			if repo == name || strings.HasPrefix(repo, name+"-") || strings.HasSuffix(repo, "-"+name) {
				return canonicalProxy(name)
			}
		}
	}
	// An image that names no proxy is only a hint-free answer when the
	// service pulls it; a built service's image is just the tag it gets.
	if svc.Image != "" && svc.Build == nil && !strings.Contains(svc.Image, "{{") {
		return ""
	}
	hints := []string{strings.ToLower(svc.Name), strings.ToLower(imageref.Repo(svc.Image))}
	if svc.Build != nil {
		hints = append(hints, strings.ToLower(svc.Build.Dockerfile))
		if rel, err := filepath.Rel(proj.Dir, svc.Build.Context); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			hints = append(hints, strings.ToLower(rel))
		}
	}
	for _, h := range hints {
		if isProxyTool(h) {
			continue
		}
		for _, name := range []string{"caddy", "nginx", "traefik", "haproxy", "envoy"} {
			if strings.Contains(h, name) {
				return name
			}
		}
	}
	return ""
}

// proxyToolSuffixes end the names of tools named after a proxy that are no
// proxy themselves.
var proxyToolSuffixes = []string{"-exporter", "-dumper", "-companion", "-ui", "-manager", "-controller", "-ingress"}

func isProxyTool(name string) bool {
	for _, suffix := range proxyToolSuffixes {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

func canonicalProxy(name string) string {
	switch name {
	case "nginx-unprivileged", "openresty", "nginx-proxy", "swag":
		return "nginx"
	case "apache2":
		return "httpd"
	}
	return name
}

// databaseWords name database servers in an image's repository, alone
// (postgres, bitnami/postgresql) or joined to other words by - or _
// (sameersbn-postgresql, zulip-postgresql, postgresql-16, pgautoupgrade's own
// name).
var databaseWords = []string{
	"postgres", "postgresql", "postgis", "timescaledb", "pgvector", "pgautoupgrade",
	"mysql", "mariadb", "percona",
	"mongo", "mongodb",
	"couchdb", "cassandra", "cockroach", "cockroachdb", "neo4j", "clickhouse",
}

// databaseNamespaces publish only database servers (postgis/postgis,
// timescale/timescaledb-ha).
var databaseNamespaces = []string{"postgis", "timescale"}

// databaseToolWords name the tools that carry a database's name but serve
// none: exporters, backups, admin UIs, poolers, operators, clients.
var databaseToolWords = []string{
	"exporter", "backup", "backups", "dump", "restore", "client", "cli", "admin", "express", "ui", "web",
	"operator", "proxy", "router", "pooler", "bouncer", "pgbouncer", "keeper", "tools", "toolkit", "xtrabackup",
	"s3", "cron", "migrate", "migrations", "monitor", "metrics", "agent", "shell", "init", "setup", "sync", "schema",
}

// DatabaseKind names the database a service runs ("" when it is none): by
// its image or the FROM of its Dockerfile. A service built FROM a database
// image that keeps no data directory and runs backups or cron (pg_dump in a
// cron job) is a client of the database, not one.
func DatabaseKind(proj *lint.Project, svc types.ServiceConfig) string {
	for _, img := range BaseImages(proj, svc) {
		if kind := databaseImageKind(img); kind != "" {
			if databaseClient(proj, svc) {
				return ""
			}
			return kind
		}
	}
	return ""
}

// Dockerfile returns the Dockerfile a service builds: inline, or read
// from its build context; false when it has none or it is not readable.
func Dockerfile(proj *lint.Project, svc types.ServiceConfig) ([]byte, bool) {
	b := svc.Build
	if b == nil || proj.ReadFile == nil {
		return nil, false
	}
	if b.DockerfileInline != "" {
		return []byte(b.DockerfileInline), true
	}
	if b.Context == "" || strings.Contains(b.Context, "://") {
		return nil, false
	}
	name := b.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(b.Context, name)
	}
	f, err := proj.ReadFile(name)
	if err != nil || f == nil {
		return nil, false
	}
	return f.Content, true
}

// databaseImageKind names the database server an image reference runs.
func databaseImageKind(image string) string {
	ref := strings.ToLower(strings.TrimSpace(image))
	repo := imageref.Repo(ref)
	if repo == "server" {
		if strings.Contains(ref, "mssql") {
			return "mssql" // mcr.microsoft.com/mssql/server
		}
		return ""
	}
	words := strings.FieldsFunc(repo, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	for _, w := range words {
		if slices.Contains(databaseToolWords, w) {
			return ""
		}
	}
	if slices.Contains(databaseWords, repo) {
		return repo
	}
	for _, w := range words {
		if slices.Contains(databaseWords, w) {
			return w
		}
	}
	if i := strings.LastIndex(ref, "/"); i > 0 {
		ns := ref[:i]
		ns = ns[strings.LastIndex(ns, "/")+1:]
		if slices.Contains(databaseNamespaces, ns) {
			return ns
		}
	}
	return ""
}

// databaseDataDirs are where database images keep their data.
var databaseDataDirs = []string{"/var/lib/postgresql", "/var/lib/postgres", "/var/lib/mysql", "/var/lib/mariadb", "/data/db",
	"/bitnami", "/home/postgres/pgdata", "/var/lib/pgsql", "/var/opt/mssql", "/var/lib/clickhouse", "/var/lib/neo4j", "/data"}

// databaseClientWords, in a command or a Dockerfile, show a service that
// dumps or backs up a database on a schedule.
var databaseClientWords = []string{"pg_dump", "pg_dumpall", "pg_basebackup", "mysqldump", "mariadb-dump", "mongodump", "crond", "cron", "crontab", "backup"}

// databaseClient tells whether a service built from a database image is a
// client of the database: it mounts no data directory (nor sets PGDATA) and
// its command or Dockerfile runs backups or cron.
func databaseClient(proj *lint.Project, svc types.ServiceConfig) bool {
	if v, ok := svc.Environment["PGDATA"]; ok && v != nil {
		return false
	}
	for _, v := range svc.Volumes {
		for _, d := range databaseDataDirs {
			if mounts.Covers(d, path.Clean(v.Target)) || mounts.Covers(path.Clean(v.Target), d) {
				return false
			}
		}
	}
	text := strings.ToLower(strings.Join(append(append([]string{}, svc.Entrypoint...), svc.Command...), " "))
	if df, ok := Dockerfile(proj, svc); ok {
		text += "\n" + strings.ToLower(string(df))
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	})
	for _, w := range words {
		if slices.Contains(databaseClientWords, w) {
			return true
		}
	}
	return false
}
