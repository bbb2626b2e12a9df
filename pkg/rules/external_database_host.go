package rules

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/environments"
	"github.com/composelint/composelint/pkg/envvars"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var ExternalDatabaseHost = &lint.Rule{
	ID:           "external-database-host",
	Summary:      "production reaches its database by a name that nothing resolves",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Fixable:      true,
	Options: []lint.Option{{Name: "address", Default: "host-gateway",
		Doc: "the address suggested for the `extra_hosts` entry (`host-gateway` is the Docker host, where a database outside the containers often listens)"}},
	Run: externalDatabaseHost,
	Doc: lint.Doc{
		What: "In production, when no database service runs, reports a service configured to reach its database " +
			"(a host variable: `DJANGO_DATABASE_HOST`, `DATABASE_HOST`, `DB_HOST`, `POSTGRES_HOST`, `PGHOST`, `MYSQL_HOST`, " +
			"any `*_DB_HOST`/`*_DATABASE_HOST`; or the host of a database URL: `DATABASE_URL`, any `*_DATABASE_URL`, " +
			"`*_DB_URL`, `SQLALCHEMY_DATABASE_URI`, `MONGODB_URI`…, whose scheme is a database's; from `environment` or " +
			"from an env file) by a name containers do not resolve: a single-label name such as `db` that is no service " +
			"of production, no network alias or container name of one, and has no `extra_hosts` entry on that service; " +
			"or a name of the host's own network, ending in `.internal`, `.local`, `.lan`, `.home.arpa` or `.corp`, " +
			"which the host finds in its /etc/hosts, mDNS or local DNS. Other dotted names (resolved by DNS), IP " +
			"addresses, `localhost` and `host.docker.internal` are fine, and so are DSNs for Sentry and the like and " +
			"URLs of other services (redis://, amqp://).",
		Why: "Following the wemake-django-template production checklist, the database is moved out of production " +
			"(defined only in `docker-compose.override.yml`), but the app keeps `DJANGO_DATABASE_HOST: db` from the base " +
			"file: in production `db` resolves to nothing and the app cannot connect. Either map the name to the " +
			"database's address with `extra_hosts`, or point the variable at the database's real host. The fix (unsafe: it " +
			"changes what the container resolves) adds `extra_hosts: [\"NAME:ADDRESS\"]` to the service in the production-only " +
			"file (the last file of the production environment, e.g. `docker/docker-compose.prod.yml`), appending to its " +
			"`extra_hosts` there if it has one; ADDRESS is the rule's `address` option. It is offered when that file is " +
			"loaded by no other environment and can be edited line by line (no flow style, anchor or `<<` merge in the way).",
		Example: "# docker-compose.yml; `db` is defined only in docker-compose.override.yml\nservices:\n  web:\n" +
			"    build: .\n    environment:\n      DJANGO_DATABASE_HOST: db\n",
		Instead: "# docker/docker-compose.prod.yml\nservices:\n  web:\n    extra_hosts:\n      - \"db:host-gateway\"\n",
	},
}

// dbhostVarRE matches the variables that hold a database's host name:
// DB_HOST, DATABASE_HOST, DJANGO_DATABASE_HOST, POSTGRES_HOST, PGHOST,
// MYSQL_HOST, and any APP_DB_HOST-style name.
var dbhostVarRE = regexp.MustCompile(`^(?:[A-Z0-9_]+_)?(?:DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB)_?HOST(?:NAME)?$`)

// dbhostURLVarRE matches the variables that hold a database URL, whose host
// is checked: DATABASE_URL, APP_DATABASE_URL, SQLALCHEMY_DATABASE_URI,
// POSTGRES_URL, MONGODB_URI… (not SENTRY_DSN and the like: a DSN is a
// database's only when its name says so).
var dbhostURLVarRE = regexp.MustCompile(`^(?:[A-Z0-9_]+_)?(?:DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|MONGO|MONGODB)_(?:URL|URI|DSN)$`)

// dbhostSchemes are the URL schemes of database servers; a URL variable with
// another scheme (http, redis) names no database.
var dbhostSchemes = []string{"postgres", "postgresql", "postgis", "pgsql", "psql", "mysql", "mysql2", "mariadb", "mongodb",
	"mongodb+srv", "cockroachdb", "timescale", "clickhouse", "mssql", "sqlserver", "oracle"}

// dbhostLocalSuffixes end the names that a host resolves from its own
// /etc/hosts, mDNS or local DNS, which a container does not see.
var dbhostLocalSuffixes = []string{".internal", ".local", ".localdomain", ".lan", ".home.arpa", ".corp", ".intranet", ".private"}

func externalDatabaseHost(p *lint.Pass) {
	if p.Env == nil || p.Env.Project == nil {
		return
	}
	svcs := p.Services()
	for _, svc := range svcs {
		if services.DatabaseKind(p.Project, svc) != "" {
			return // the database runs here: database-in-production's business
		}
	}
	known := dbhostKnownNames(p)
	address := p.StringOption("address")
	for _, svc := range svcs {
		if services.ProxyKind(p.Project, svc) != "" {
			continue
		}
		if strings.HasPrefix(svc.NetworkMode, "service:") || strings.HasPrefix(svc.NetworkMode, "container:") {
			continue // shares another container's network (and its name resolution); extra_hosts is refused there
		}
		own := dbhostOwnNames(svc, known)
		check := func(key string, hosts []string) {
			e, ok := envvars.Lookup(p, svc, key)
			if !ok {
				return
			}
			for _, h := range hosts {
				if !dbhostUnresolvable(h, known, own) {
					continue
				}
				where := "`environment`"
				if e.FromEnvFile() {
					where = source.Rel(p.Project.Dir, e.File.Path)
				}
				msg := fmt.Sprintf("`%s` reaches its database at `%s` (%s, from %s), but production defines no service `%s`",
					svc.Name, h, key, where, h)
				if strings.Contains(h, ".") {
					msg = fmt.Sprintf("`%s` reaches its database at `%s` (%s, from %s), a name of the host's own network "+
						"(its /etc/hosts, mDNS or local DNS), which containers do not resolve", svc.Name, h, key, where)
				}
				if files, _ := environments.DefinedElsewhere(p, h); len(files) > 0 {
					msg += fmt.Sprintf(" (only %s does)", strings.Join(files, ", "))
				}
				msg += fmt.Sprintf(": the name will not resolve and the app cannot connect; add `extra_hosts: [\"%s:%s\"]` to `%s`, "+
					"or point %s at the database's real host", h, address, svc.Name, key)
				e.Report(p, msg, dbhostFix(p, svc.Name, h, address)...)
			}
		}
		keys := make([]string, 0, len(svc.Environment))
		for key := range svc.Environment {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		for _, key := range keys {
			v := svc.Environment[key]
			switch {
			case v == nil:
			case dbhostVarRE.MatchString(key):
				check(key, dbhostFromVar(*v))
			case dbhostURLVarRE.MatchString(key) && dbhostDatabaseURL(*v):
				check(key, dbhostFromURL(*v))
			}
		}
	}
}

// dbhostKnownNames are the names every container of the environment can
// resolve through Docker's DNS: service names, container names, network aliases.
func dbhostKnownNames(p *lint.Pass) map[string]bool {
	out := map[string]bool{}
	add := func(svc types.ServiceConfig) {
		out[strings.ToLower(svc.Name)] = true
		if svc.ContainerName != "" {
			out[strings.ToLower(svc.ContainerName)] = true
		}
		for _, n := range svc.Networks {
			if n == nil {
				continue
			}
			for _, a := range n.Aliases {
				out[strings.ToLower(a)] = true
			}
		}
	}
	for _, svc := range p.Env.Project.Services {
		add(svc)
	}
	for _, svc := range p.Env.Project.DisabledServices {
		add(svc)
	}
	return out
}

// dbhostOwnNames are names only svc resolves: its extra_hosts, the links to
// services that exist (by name and alias), and external_links (containers
// outside the project, by name and alias).
func dbhostOwnNames(svc types.ServiceConfig, known map[string]bool) map[string]bool {
	out := map[string]bool{}
	for h := range svc.ExtraHosts {
		out[strings.ToLower(h)] = true
	}
	for _, l := range svc.Links {
		name, alias, ok := strings.Cut(l, ":")
		if !known[strings.ToLower(name)] {
			continue // a link to a service that does not exist resolves nothing
		}
		if ok {
			out[strings.ToLower(alias)] = true
		}
	}
	for _, l := range svc.ExternalLinks {
		name, alias, ok := strings.Cut(l, ":")
		out[strings.ToLower(name)] = true
		if ok {
			out[strings.ToLower(alias)] = true
		}
	}
	return out
}

// dbhostDatabaseURL tells whether a URL variable's value may be a
// database's: a database scheme, or no scheme at all.
func dbhostDatabaseURL(v string) bool {
	scheme, _, ok := strings.Cut(strings.TrimSpace(v), "://")
	if !ok {
		return true
	}
	scheme = strings.ToLower(scheme)
	if i := strings.IndexByte(scheme, '+'); i > 0 && scheme != "mongodb+srv" {
		scheme = scheme[:i] // postgresql+psycopg, mysql+pymysql
	}
	return slices.Contains(dbhostSchemes, scheme)
}

// dbhostUnresolvable tells whether h is a name that neither Docker's DNS nor
// the container's /etc/hosts knows: a bare name such as `db`, or a name of
// the host's own network (db.internal, nas.local, pg.lan, db.home.arpa).
func dbhostUnresolvable(h string, known, own map[string]bool) bool {
	l := strings.TrimSuffix(strings.ToLower(h), ".")
	if l == "" || strings.ContainsAny(l, "$/{}% ") || net.ParseIP(l) != nil {
		return false
	}
	if l == "localhost" || known[l] || own[l] {
		return false
	}
	if strings.Contains(l, ".") {
		if strings.HasSuffix(l, ".docker.internal") {
			return false // Docker's own names for the host
		}
		for _, suffix := range dbhostLocalSuffixes {
			if strings.HasSuffix(l, suffix) {
				return true
			}
		}
		return false // resolved by DNS
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// dbhostFromVar splits a host variable's value into host names: "db",
// "db:5432", "db1,db2" (libpq lists); a socket directory yields none.
func dbhostFromVar(v string) []string {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "://") {
		return dbhostFromURL(v)
	}
	var out []string
	for _, h := range strings.Split(v, ",") {
		h = strings.TrimSpace(h)
		if h == "" || strings.HasPrefix(h, "/") || strings.HasPrefix(h, "@") {
			continue
		}
		if net.ParseIP(strings.Trim(h, "[]")) == nil {
			if name, port, ok := strings.Cut(h, ":"); ok && dbhostDigits(port) {
				h = name
			}
		}
		out = append(out, h)
	}
	return out
}

// dbhostFromURL returns the host names of a database URL
// (scheme://user:password@host1:port,host2/name?options).
func dbhostFromURL(v string) []string {
	v = strings.TrimSpace(v)
	if u, err := url.Parse(v); err == nil && !strings.Contains(u.Host, ",") {
		if h := u.Hostname(); h != "" {
			return []string{h}
		}
		return nil
	}
	_, rest, ok := strings.Cut(v, "://")
	if !ok {
		return nil
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 && !strings.Contains(rest[i:], "@") {
		rest = rest[:i]
	} else if at := strings.LastIndex(rest, "@"); at >= 0 {
		if j := strings.IndexAny(rest[at:], "/?#"); j >= 0 {
			rest = rest[:at+j]
		}
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	var out []string
	for _, h := range strings.Split(rest, ",") {
		if strings.HasPrefix(h, "[") {
			continue // IPv6 literal
		}
		h, _, _ = strings.Cut(h, ":")
		if h != "" {
			out = append(out, h)
		}
	}
	return out
}

func dbhostDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
