package rules

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
	"github.com/composelint/composelint/pkg/source"
)

var ProxyGetsAppSecrets = &lint.Rule{
	ID:           "proxy-gets-app-secrets",
	Summary:      "the reverse proxy reads an env file that holds the application's secrets",
	Severity:     lint.Warning,
	Environments: []string{"production"},
	Run:          proxyGetsAppSecrets,
	Doc: lint.Doc{
		What: "Reports, in production, a reverse proxy (Caddy, nginx, Traefik…) whose `env_file` holds secrets of the " +
			"application: any secret-looking variable (a name with SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY, " +
			"ACCESS_KEY, CREDENTIAL, SALT, DSN, DATABASE_URL) when the app reads the same env file, and the app's and " +
			"the database's own secrets (SECRET_KEY, DJANGO_*, POSTGRES_*, MYSQL_*, MARIADB_*, MONGO_*, DB_*, " +
			"DATABASE_*) in any env file the proxy reads. Variables the proxy's Caddyfile uses ({$NAME}) are the " +
			"proxy's own and are left out, and so are, in an env file only the proxy reads, the tokens of DNS " +
			"providers and ACME. An env file that does not exist yet (created at deploy time) is read from the " +
			"template beside it (`.env.template`, `.env.example`, `.env.sample`, `.env.dist`). Messages name the " +
			"variables, never their values.",
		Why: "The proxy needs a domain name and an e-mail address for its certificates; it is also the service the " +
			"internet talks to, so the first one an attacker owns. Every variable of its env file is in its " +
			"environment, readable from /proc by anything that runs in it, so one env file shared with the app hands " +
			"the Django SECRET_KEY (sessions, password reset tokens) and the database password to the proxy. The " +
			"wemake-django-template gives Caddy the app's `config/.env` (which holds DJANGO_SECRET_KEY and " +
			"POSTGRES_PASSWORD) to read DOMAIN_NAME and TLS_EMAIL.",
		Example: "services:\n  web:\n    image: myapp\n    env_file: ./config/.env\n  caddy:\n    image: caddy:2.8\n" +
			"    env_file: ./config/.env   # DJANGO_SECRET_KEY, POSTGRES_PASSWORD, DOMAIN_NAME, TLS_EMAIL\n",
		Instead: "services:\n  web:\n    image: myapp\n    env_file: ./config/.env\n  caddy:\n    image: caddy:2.8\n" +
			"    env_file: ./config/caddy.env  # DOMAIN_NAME, TLS_EMAIL only\n",
	},
}

// secretNameRE matches variable names that hold secrets.
var secretNameRE = regexp.MustCompile(`SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|SALT|(^|_)DSN$|DATABASE_URL`)

// secretPathRE matches names that hold where a secret is, not the secret
// (POSTGRES_PASSWORD_FILE, SSH_PRIVATE_KEY_PATH).
var secretPathRE = regexp.MustCompile(`_(FILE|PATH|DIR|FILENAME|LOCATION)S?$`)

// appSecretPrefixes start the names of the application's and the database's
// variables: no proxy needs their secrets.
var appSecretPrefixes = []string{"DJANGO_", "POSTGRES_", "PG", "MYSQL_", "MARIADB_", "MONGO_", "DB_", "DATABASE_", "REDIS_", "CELERY_", "SENTRY_"}

// proxyOwnSecretRE matches the secrets a proxy itself needs: DNS providers'
// tokens for ACME DNS challenges, basic-auth users, dashboards.
var proxyOwnSecretRE = regexp.MustCompile(`^(CF_|CLOUDFLARE|ACME|TRAEFIK|CADDY|NGINX|DNS|LEGO|LETSENCRYPT|LE_|DUCKDNS|NAMECHEAP|GANDI|OVH|DO_AUTH|DIGITALOCEAN|HETZNER|PORKBUN|DESEC|BASIC_AUTH|HTPASSWD)`)

func proxyGetsAppSecrets(p *lint.Pass) {
	svcs := p.Services()
	for _, proxy := range svcs {
		if services.ProxyKind(p.Project, proxy) == "" || len(proxy.EnvFiles) == 0 {
			continue
		}
		used := proxyUsedVars(p, proxy)
		for _, ef := range proxy.EnvFiles {
			f, shownAs := envFileOrTemplate(p, ef.Path)
			if f == nil {
				continue
			}
			shared := envFileSharedWith(p, svcs, ef.Path)
			var names []string
			for _, k := range envFileKeys(f) {
				if used[k] || !secretNameRE.MatchString(k) || secretPathRE.MatchString(k) {
					continue
				}
				if isAppSecret(k) || (len(shared) > 0 && !proxyOwnSecretRE.MatchString(k)) {
					names = append(names, k)
				}
			}
			if len(names) == 0 {
				continue
			}
			p.ReportPath(index.Path{"services", proxy.Name, "env_file", index.Item(ef.Path)},
				proxySecretsMessage(p, proxy.Name, ef.Path, shownAs, names, shared, used))
		}
	}
}

func proxySecretsMessage(p *lint.Pass, proxy, path, shownAs string, names, shared []string, used map[string]bool) string {
	from := source.Rel(p.Project.Dir, path)
	if shownAs != "" {
		from += fmt.Sprintf(" (read from %s, as %s does not exist yet)", source.Rel(p.Project.Dir, shownAs), source.Rel(p.Project.Dir, path))
	}
	whose := "which holds the application's secrets"
	if len(shared) > 0 {
		whose = fmt.Sprintf("the env file of `%s`, with the secrets", strings.Join(shared, "`, `"))
	}
	needs := "its domain and e-mail"
	if len(used) > 0 {
		var own []string
		for k := range used {
			own = append(own, k)
		}
		slices.Sort(own)
		needs = strings.Join(own, ", ")
	}
	return fmt.Sprintf("%s reads %s, %s %s: the proxy needs only %s; give it an env file of its own, "+
		"or set those in `environment`", proxy, from, whose, strings.Join(names, ", "), needs)
}

func isAppSecret(name string) bool {
	if name == "SECRET_KEY" || strings.HasSuffix(name, "_SECRET_KEY") {
		return true
	}
	for _, prefix := range appSecretPrefixes {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// envFileSharedWith returns the services, other than proxies, that read the
// env file path too (sorted).
func envFileSharedWith(p *lint.Pass, svcs []types.ServiceConfig, path string) []string {
	var out []string
	for _, s := range svcs {
		if services.ProxyKind(p.Project, s) != "" {
			continue
		}
		if slices.ContainsFunc(s.EnvFiles, func(ef types.EnvFile) bool { return ef.Path == path }) {
			out = append(out, s.Name)
		}
	}
	return out
}

// envFileTemplates are the names a committed template of an env file has,
// beside it: NAME.template for NAME, and the conventional .env.* names.
var envFileTemplates = []string{".template", ".example", ".sample", ".dist"}

// envFileOrTemplate reads an env file; when it does not exist (created at
// deploy time), the template committed beside it, whose path it returns as
// shownAs. nil when neither is readable.
func envFileOrTemplate(p *lint.Pass, path string) (f *source.File, shownAs string) {
	if p.Project.ReadFile == nil {
		return nil, ""
	}
	if !p.Env.MissingEnvFiles[path] {
		if f, err := p.Project.ReadFile(path); err == nil {
			return f, ""
		}
		return nil, ""
	}
	candidates := []string{}
	for _, suffix := range envFileTemplates {
		candidates = append(candidates, path+suffix)
	}
	if filepath.Base(path) != ".env" {
		for _, suffix := range envFileTemplates {
			candidates = append(candidates, filepath.Join(filepath.Dir(path), ".env"+suffix))
		}
	}
	for _, c := range candidates {
		if f, err := p.Project.ReadFile(c); err == nil {
			return f, c
		}
	}
	return nil, ""
}

// envFileKeys returns the variables an env file sets, sorted, read with
// compose-go's own parser (no interpolation).
func envFileKeys(f *source.File) []string {
	vars, err := dotenv.ParseWithLookup(bytes.NewReader(f.Content), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// proxyUsedVars returns the variables the proxy's own configuration reads:
// the {$NAME} placeholders of its Caddyfile.
func proxyUsedVars(p *lint.Pass, proxy types.ServiceConfig) map[string]bool {
	used := map[string]bool{}
	cf, ok := caddyconf.FileOf(p, proxy)
	if !ok {
		return used
	}
	caddyfile.ExpandEnv(cf.File.Content, func(ph caddyfile.Placeholder) string {
		used[ph.Name] = true
		return ""
	})
	return used
}
