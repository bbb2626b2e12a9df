package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/caddyconf"
	"github.com/composelint/composelint/pkg/caddyfile"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/pysettings"
	"github.com/composelint/composelint/pkg/source"
)

var HTTPSInconsistent = &lint.Rule{
	ID:           "https-inconsistent",
	Summary:      "HTTPS is switched off on one side only: in Caddy or in Django's production settings",
	Severity:     lint.Error,
	Environments: []string{"production"},
	Run:          httpsInconsistent,
	Doc: lint.Doc{
		What: "Compares, in production, the Caddyfile of a Caddy service with Django's production settings. It reports " +
			"a Caddy that serves only plain HTTP (every site `http://` or on port 80, or `auto_https off`) while the " +
			"settings redirect to HTTPS (`SECURE_SSL_REDIRECT = True`) or mark cookies secure (`SESSION_COOKIE_SECURE`, " +
			"`CSRF_COOKIE_SECURE`) or send HSTS (`SECURE_HSTS_SECONDS`); and a Caddy that terminates TLS while the " +
			"settings redirect to HTTPS without `SECURE_PROXY_SSL_HEADER`. The settings are found as Django finds them: " +
			"the module `DJANGO_SETTINGS_MODULE` names (in a service's environment), else the template's " +
			"`server/settings/environments/production.py`, else a `settings/production.py` or `settings/prod.py`; " +
			"`from .base import *` is followed. Python is read with composelint's reader of module-level assignments " +
			"(pkg/pysettings); a value from the environment (`env.bool(\"X\", default=True)`, `config(\"X\", cast=bool)`) " +
			"is read from the app's environment, else its default. A value it cannot tell, an assignment inside an `if`, " +
			"and a Caddy with `trusted_proxies` (a TLS terminator in front of it) are not judged.",
		Why: "Behind Caddy, Django sees every request as plain HTTP unless Caddy's X-Forwarded-Proto is trusted " +
			"through `SECURE_PROXY_SSL_HEADER`: with `SECURE_SSL_REDIRECT = True` it then redirects every request to " +
			"https:// again, an endless loop. The other way round, when Caddy serves plain HTTP only, the redirect " +
			"leads to a port nothing serves and secure cookies are never sent back, so nobody can log in. The " +
			"wemake-django-template's production settings set both SECURE_SSL_REDIRECT and SECURE_PROXY_SSL_HEADER, " +
			"and its Caddy obtains certificates for {$DOMAIN_NAME}; turning HTTPS off in one of them breaks the site.",
		Syntax: "caddyfile",
		Example: "# docker/caddy/Caddyfile\nhttp://{$DOMAIN_NAME} {\n\treverse_proxy web:8000\n}\n" +
			"# server/settings/environments/production.py: SECURE_SSL_REDIRECT = True\n",
		Instead: "# docker/caddy/Caddyfile\n{$DOMAIN_NAME} {\n\treverse_proxy web:8000\n}\n" +
			"# server/settings/environments/production.py:\n#   SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n" +
			"#   SECURE_SSL_REDIRECT = True\n",
	},
}

func httpsInconsistent(p *lint.Pass) {
	for _, proxy := range p.Services() {
		if caddyconf.Major(p.Project, proxy) != 2 {
			continue
		}
		cf, ok := caddyconf.FileOf(p, proxy)
		if !ok {
			continue
		}
		doc := caddyconf.Read(cf.File)
		tls, plain, ok := doc.HTTPS()
		if !ok {
			continue
		}
		st, ok := djangoSettingsFor(p)
		if !ok {
			continue
		}
		if tls == nil {
			httpsWhilePlain(p, cf.File, plain, st)
			continue
		}
		redirect, ok := st.flag("SECURE_SSL_REDIRECT")
		if !ok || !redirect.on {
			continue
		}
		if header, set := st.Module.Last("SECURE_PROXY_SSL_HEADER"); set && header.Value.Kind != pysettings.None {
			continue
		}
		p.ReportRange(cf.File, caddyconf.TokenRange(cf.File, *tls), fmt.Sprintf("Caddy terminates TLS for %s and proxies "+
			"plain HTTP to Django, whose production settings redirect to HTTPS (%s) without SECURE_PROXY_SSL_HEADER: "+
			"Django sees every request as http and redirects it again, an endless loop; set SECURE_PROXY_SSL_HEADER = "+
			"('HTTP_X_FORWARDED_PROTO', 'https') in %s", tls.Text, redirect.where(p, st), source.Rel(p.Project.Dir, st.File.Path)))
	}
}

// httpsWhilePlain reports a Caddy that serves only plain HTTP while the
// settings ask for HTTPS.
func httpsWhilePlain(p *lint.Pass, f *source.File, site caddyfile.Token, st djangoSettings) {
	var on []string
	for _, name := range []string{"SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"} {
		if v, ok := st.flag(name); ok && v.on {
			on = append(on, v.where(p, st))
		}
	}
	if len(on) == 0 {
		return
	}
	p.ReportRange(f, caddyconf.TokenRange(f, site), fmt.Sprintf("Caddy serves %s over plain HTTP only, while Django's "+
		"production settings expect HTTPS (%s): redirects go to an https:// nothing serves and secure cookies never "+
		"come back; serve the site over HTTPS in Caddy, or switch those settings off in production", site.Text,
		strings.Join(on, ", ")))
}

// djangoSettings is the production settings module of the project.
type djangoSettings struct {
	File   *source.File
	Module *pysettings.Module
	// files holds, for each statement of Module, the file it is in (the
	// module, or one it star-imports)
	files []*source.File
	env   map[string]string // the app's environment, for env-reading calls
}

// djangoFlag is the value of a setting, and where it is set.
type djangoFlag struct {
	name string
	on   bool
	stmt pysettings.Stmt
	file *source.File
}

func (f djangoFlag) where(p *lint.Pass, st djangoSettings) string {
	return fmt.Sprintf("%s at %s:%d", f.name, source.Rel(p.Project.Dir, f.file.Path), f.stmt.Line)
}

// flag returns whether a setting is on (True, a positive number); ok is false
// when it is not set unconditionally or its value cannot be told.
func (st djangoSettings) flag(name string) (djangoFlag, bool) {
	s, f, ok := st.last(name)
	if !ok || s.Conditional {
		return djangoFlag{}, false
	}
	v := s.Value
	if v.Kind == pysettings.Call {
		var known bool
		if v, known = envCallValue(v, st.env); !known {
			return djangoFlag{}, false
		}
	}
	out := djangoFlag{name: name, stmt: s, file: f}
	switch v.Kind {
	case pysettings.Bool:
		out.on = v.Bool
	case pysettings.Int:
		out.on = v.Int > 0
	case pysettings.None:
	default:
		return djangoFlag{}, false
	}
	return out, true
}

// last finds the last assignment of name, in the module or the modules it
// star-imports (which come before the module's own assignments).
func (st djangoSettings) last(name string) (pysettings.Stmt, *source.File, bool) {
	for i := len(st.Module.Stmts) - 1; i >= 0; i-- {
		if st.Module.Stmts[i].Name == name {
			return st.Module.Stmts[i], st.files[i], true
		}
	}
	return pysettings.Stmt{}, nil, false
}

// envCallValue reads a call that takes a setting from the environment:
// env.bool("X", default=True), config("X", default=False, cast=bool),
// os.environ.get("X", "1"), env("X", default=…). The variable's value in env
// wins over the default; known is false when neither is there.
func envCallValue(v pysettings.Value, env map[string]string) (pysettings.Value, bool) {
	if len(v.Items) == 0 || v.Items[0].Kind != pysettings.Str {
		return v, false
	}
	name := v.Items[0].Str
	if raw, ok := env[name]; ok {
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "1", "true", "yes", "on", "y", "t":
			return pysettings.Value{Kind: pysettings.Bool, Bool: true}, true
		case "0", "false", "no", "off", "n", "f", "":
			return pysettings.Value{Kind: pysettings.Bool, Bool: false}, true
		}
		return v, false
	}
	if d, ok := v.Kwargs["default"]; ok {
		return d, d.Kind != pysettings.Unknown && d.Kind != pysettings.Call
	}
	if len(v.Items) > 1 {
		return v.Items[1], v.Items[1].Kind == pysettings.Bool || v.Items[1].Kind == pysettings.Int
	}
	return v, false
}

// djangoSettingsFor finds and reads the project's production settings.
func djangoSettingsFor(p *lint.Pass) (djangoSettings, bool) {
	env := map[string]string{}
	var module string
	for _, s := range p.Services() {
		if v, ok := s.Environment["DJANGO_SETTINGS_MODULE"]; ok && v != nil {
			module = *v
			env = serviceEnv(s)
			break
		}
		if _, ok := s.Environment["DJANGO_ENV"]; ok {
			env = serviceEnv(s)
		}
	}
	var candidates []string
	if module != "" {
		rel := filepath.FromSlash(strings.ReplaceAll(module, ".", "/"))
		candidates = append(candidates, rel+".py")
	}
	candidates = append(candidates, filepath.FromSlash("server/settings/environments/production.py"),
		filepath.FromSlash("settings/production.py"), filepath.FromSlash("settings/prod.py"))
	for _, rel := range candidates {
		for _, dir := range settingsRoots(p.Project.Dir, rel) {
			if f, err := p.Project.ReadFile(filepath.Join(dir, rel)); err == nil {
				return readSettings(p, f, env), true
			}
		}
	}
	return djangoSettings{}, false
}

// settingsRoots are the directories a settings path may be relative to:
// the project, and the directories one and two levels below it
// (`src/`, `backend/config/`…).
func settingsRoots(dir, rel string) []string {
	out := []string{dir}
	for _, pattern := range []string{"*", filepath.Join("*", "*")} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern, rel))
		for _, f := range m {
			out = append(out, strings.TrimSuffix(f, string(filepath.Separator)+rel))
		}
	}
	return out
}

// readSettings reads a settings module and the modules it star-imports from
// its own package (`from .base import *`), one level deep.
func readSettings(p *lint.Pass, f *source.File, env map[string]string) djangoSettings {
	st := djangoSettings{File: f, Module: &pysettings.Module{}, env: env}
	add := func(s pysettings.Stmt, in *source.File) {
		st.Module.Stmts = append(st.Module.Stmts, s)
		st.files = append(st.files, in)
	}
	for _, s := range pysettings.Read(f.Content).Stmts {
		if s.StarImport == "" {
			add(s, f)
			continue
		}
		if !strings.HasPrefix(s.StarImport, ".") || strings.HasPrefix(s.StarImport, "..") {
			continue
		}
		rel := filepath.FromSlash(strings.ReplaceAll(strings.TrimPrefix(s.StarImport, "."), ".", "/")) + ".py"
		if bf, err := p.Project.ReadFile(filepath.Join(filepath.Dir(f.Path), rel)); err == nil {
			for _, bs := range pysettings.Read(bf.Content).Stmts {
				if bs.StarImport == "" {
					add(bs, bf)
				}
			}
		}
	}
	return st
}

func serviceEnv(s types.ServiceConfig) map[string]string {
	out := map[string]string{}
	for k, v := range s.Environment {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}
