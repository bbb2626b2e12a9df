package rules

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
)

var WwwOnThirdLevelDomain = &lint.Rule{
	ID:       "www-on-third-level-domain",
	Summary:  "the Caddyfile has a `www.{$DOMAIN}` site while the domain is itself a subdomain",
	Severity: lint.Warning,
	Run:      wwwOnThirdLevelDomain,
	Doc: lint.Doc{
		What: "Reports a site block of the Caddyfile a proxy uses (the one mounted into it, one its Dockerfile copies, " +
			"or, when it is built from a Dockerfile that is not in the project, docker/caddy/Caddyfile or Caddyfile) " +
			"whose address is `www.{$NAME}` while the variable NAME — from the proxy's environment and env files, else " +
			"from the project's .env — holds a domain that is itself below a registrable domain (app.example.com: three " +
			"labels, or more than the public suffix list gives it: example.co.uk is a second-level domain, " +
			"app.example.co.uk is not). It is silent when the value is unknown.",
		Why: "The wemake-django-template production checklist: \"if you are using a third-level domain (like " +
			"app.example.com), delete the www section from the Caddyfile\". www.app.example.com usually has no DNS record, " +
			"so Caddy's ACME challenge for it fails again and again, fills the logs, and counts against Let's Encrypt's " +
			"failed-validation rate limit.",
		Example: "# config/.env: DOMAIN_NAME=app.example.com\nwww.{$DOMAIN_NAME} {\n\tredir https://{$DOMAIN_NAME}{uri}\n}\n\n" +
			"{$DOMAIN_NAME} {\n\treverse_proxy web:8000\n}\n",
		Instead: "# config/.env: DOMAIN_NAME=app.example.com\n{$DOMAIN_NAME} {\n\treverse_proxy web:8000\n}\n",
		Syntax:  "caddyfile",
	},
}

// wwwEnvRE matches a site address www.{$NAME} (with an optional default,
// scheme and port), capturing NAME and the default.
var wwwEnvRE = regexp.MustCompile(`^(?:https?://)?www\.\{\$([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}(?::\d+)?/?,?$`)

func wwwOnThirdLevelDomain(p *lint.Pass) {
	for _, svc := range p.Services() {
		if services.ProxyKind(p.Project, svc) != "caddy" {
			continue
		}
		cf, ok := caddyconf.FileOf(p, svc)
		if !ok {
			continue
		}
		doc := caddyconf.Read(cf.File)
		for _, site := range doc.Sites() {
			for _, addr := range site.Addresses {
				m := wwwEnvRE.FindStringSubmatch(addr.Text)
				if m == nil {
					continue
				}
				name, def := m[1], m[2]
				value, ok := caddyconf.Env(p.Project, svc, name)
				if !ok && def != "" {
					value, ok = def, true
				}
				if !ok {
					continue
				}
				domain := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(value), "."))
				if !wwwIsSubdomain(domain) {
					continue
				}
				fix := "delete this www site block"
				if len(site.Addresses) > 1 {
					fix = "remove this address from the site"
				}
				p.ReportRange(cf.File, caddyconf.TokenRange(cf.File, addr), fmt.Sprintf("site www.{$%s} is www.%s, but %s is "+
					"already a subdomain: www.%s most likely has no DNS record and Caddy keeps failing to get a certificate "+
					"for it; %s", name, domain, domain, domain, fix))
			}
		}
	}
}

// wwwIsSubdomain reports whether a domain name lies below a registrable
// domain: app.example.com (below example.com), app.example.co.uk (below
// example.co.uk); not example.com, example.co.uk, IP addresses or names
// that are not domains.
func wwwIsSubdomain(domain string) bool {
	if domain == "" || net.ParseIP(domain) != nil || strings.ContainsAny(domain, " /:{}$*") {
		return false
	}
	labels := strings.Split(domain, ".")
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	if len(labels) < 3 {
		return false
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil {
		return false
	}
	return reg != domain
}
