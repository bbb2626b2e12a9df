package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var HardcodedSecret = &lint.Rule{
	ID:                    "hardcoded-secret",
	Summary:               "a credential is written as a literal in a compose file (`environment`, `build.args`, a connection string)",
	Severity:              lint.Warning,
	SecuritySeverity:      7.5,
	DevelopmentWeighsLess: true,
	Run:                   hardcodedSecret,
	Doc: lint.Doc{
		What: "Reports an `environment` or `build.args` entry written in a compose file whose name says it holds a " +
			"credential (`PASSWORD`, `PASSPHRASE`, `TOKEN`, `SECRET`, `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`, " +
			"`ENCRYPTION_KEY`, `CREDENTIAL`, or ending in `_PASS`, `_PWD`, `PASSWD`, `_SALT`, `_DSN`) and whose value " +
			"is a literal, and any entry whose value is a URL with a literal password (`postgres://app:PASS@db/app`). " +
			"A value that is only `${VAR}` references is fine (the value comes from `.env` or the environment), but " +
			"`${VAR:-default}` writes its default into the file and is reported, with the way to drop it " +
			"(`${VAR:?message}`); an entry that several services share through an anchor is one finding. Not reported: names ending in `_FILE` " +
			"(a path), settings about a credential (`…_TOKEN_ISSUER`, `…_CREDENTIALS_PROVIDER`, `…_PASSWORD_URL`, `API_KEY_RATE_LIMIT`), absolute " +
			"paths, flags (`true`, `no`, `1`, quoted or not), quantities (`TOKEN_TTL: 3600`), empty values, URLs without a password " +
			"(a Sentry DSN's public key, a token endpoint). Messages name the " +
			"variable and never print the value: a quoted URL shows its password as `****`.",
		Why: "A compose file is committed, copied into images and CI logs, and printed by `docker compose config`; a " +
			"password in it is known to everyone who can read the repository, and the same default ends up in " +
			"production. Keep the value in an env file that is not committed (`env_file:`, or `.env` for `${VAR}`), " +
			"or in a Compose secret.",
		Example: "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: correct-horse\n" +
			"  app:\n    image: ghcr.io/example/app:1.4\n    environment:\n      DATABASE_URL: postgres://app:correct-horse@db/app\n",
		Instead: "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n" +
			"    secrets:\n      - db_password\n  app:\n    image: ghcr.io/example/app:1.4\n    env_file: .env.app  # DATABASE_URL, not committed\n" +
			"secrets:\n  db_password:\n    file: ./secrets/db_password.txt\n",
	},
}

// credentialWords make a variable name a credential's, anywhere in it.
var credentialWords = []string{"PASSWORD", "PASSPHRASE", "TOKEN", "SECRET", "API_KEY", "APIKEY", "PRIVATE_KEY",
	"ACCESS_KEY", "ENCRYPTION_KEY", "CREDENTIAL"}

// credentialSuffixes make a variable name a credential's at its end.
var credentialSuffixes = []string{"_PASS", "_PWD", "PASSWD", "_SALT", "_DSN"}

// notCredentialWords are in names of settings about credentials, not of credentials.
var notCredentialWords = []string{"ALLOW_EMPTY_", "RANDOM_"}

// notCredentialSuffixes end the names of settings about a credential (the
// issuer of a token, the provider of credentials), not the credential itself.
var notCredentialSuffixes = []string{"_SERVICE", "_ISSUER", "_REALM", "_URL", "_URI", "_ENDPOINT", "_HOST", "_PORT",
	"_USER", "_USERNAME", "_PATH", "_DIR", "_ROOTCERTBUNDLE", "_TYPE", "_PROVIDER", "_METHOD", "_ENABLED", "_ENABLE",
	"_ALGORITHM", "_HEADER", "_NAME", "_LIMIT", "_RATE"}

// quantityWords are in names of lifetimes, lengths and limits; with a number they are no secret.
var quantityWords = []string{"TTL", "TIMEOUT", "EXPIRE", "EXPIRY", "EXPIRATION", "VALIDITY", "LIFETIME", "MAX_AGE",
	"MAXAGE", "ROTATION", "INTERVAL", "RETENTION", "DURATION", "_SECONDS", "_MINUTES", "_HOURS", "_DAYS", "_MS",
	"LENGTH", "_LIMIT", "_SIZE", "_PORT", "TOKENS", "POLICY"}

var quantityRE = regexp.MustCompile(`(?i)^\d+(\.\d+)?(ms|s|m|h|d)?$`)

// flagValues are switches, not secrets.
var flagValues = []string{"yes", "no", "true", "false", "0", "1", "on", "off"}

// urlUserinfoRE finds scheme://user:password@ in a value.
var urlUserinfoRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.\-]{0,63})://([^:/@\s]*):([^@/\s]+)@`)

func hardcodedSecret(p *lint.Pass) {
	// One entry that several services share (an anchor merged into each)
	// is one finding, naming them all.
	type finding struct {
		path     index.Path
		key      string
		def      *index.Def
		services []string
	}
	var found []*finding
	at := map[*yaml.Node]*finding{}
	for _, svc := range p.WrittenServices() {
		base := index.Path{"services", svc.Name}
		for _, section := range []index.Path{base.Child("environment"), base.Child("build", "args")} {
			for _, key := range p.Env.Index.Keys(section) {
				def := p.Env.Index.Get(section.Child(key))
				if def == nil || def.Value == nil {
					continue
				}
				node := def.Value
				if def.Value.Kind == yaml.AliasNode && def.Value.Alias != nil {
					d := *def
					d.Value = def.Value.Alias // `PASSWORD: *db-password`: the anchor's value
					def = &d
				}
				if def.Value.Kind != yaml.ScalarNode || secretFinding("", key, def) == "" {
					continue
				}
				if f := at[node]; f != nil {
					f.services = append(f.services, svc.Name)
					continue
				}
				at[node] = &finding{path: section.Child(key), key: key, def: def, services: []string{svc.Name}}
				found = append(found, at[node])
			}
		}
	}
	for _, f := range found {
		p.ReportPath(f.path, secretFinding(servicesDo(f.services), f.key, f.def))
	}
}

// servicesDo names services as the subject of a sentence: "db sets",
// "app and db set", "app, db and worker set".
func servicesDo(names []string) string {
	if len(names) == 1 {
		return names[0] + " sets"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " set"
}

// writtenText returns the text a KEY: VALUE or KEY=VALUE definition
// writes for the value; ok is false for a null (a value taken from the
// environment).
func writtenText(def *index.Def) (text string, ok bool) {
	raw := def.Value.Value
	if def.Key == nil { // KEY=VALUE item of a list
		_, v, ok := strings.Cut(raw, "=")
		return v, ok
	}
	return raw, def.Value.Tag != "!!null"
}

// writtenValue returns what a definition writes, with its variables left
// out (their defaults kept): what the file itself ships. "" for a null and
// for `${VAR:?error}`.
func writtenValue(def *index.Def) string {
	raw, ok := writtenText(def)
	if !ok {
		return ""
	}
	if !strings.Contains(raw, "$") {
		return raw // nothing to substitute (template's regexp is most of this rule's time)
	}
	shipped, err := template.Substitute(raw, func(string) (string, bool) { return "", false })
	if err != nil {
		return ""
	}
	return shipped
}

// defaultVarRE finds the variable of a `${VAR:-default}` or `${VAR-default}`.
var defaultVarRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*):?-`)

// secretFinding returns the message for a variable whose value, as the file
// writes it, is a credential; "" when it is not. subject names the services
// ("db sets").
func secretFinding(subject, key string, def *index.Def) string {
	value := writtenValue(def)
	// In the KEY=VALUE form quotes are part of the value; they hide no secret.
	bare := strings.Trim(strings.TrimSpace(value), `"'`)
	if bare == "" {
		return ""
	}
	m := urlUserinfoRE.FindStringSubmatch(value)
	switch {
	case m == nil && strings.Contains(value, "://"):
		return "" // a URL without a password: a Sentry DSN's public key, an endpoint
	case m == nil && (!credentialName(key) || slices.Contains(flagValues, strings.ToLower(bare)) || strings.HasPrefix(bare, "/")):
		return "" // a switch, or the path of a file that holds the secret
	case m == nil && quantityRE.MatchString(bare) && containsAny(strings.ToUpper(key), quantityWords):
		return ""
	}
	text, _ := writtenText(def)
	if d := defaultVarRE.FindStringSubmatch(text); d != nil {
		// ${VAR:-literal}: the value is read from .env already, with a
		// default that everyone who reads the file knows.
		what, shown := "a literal default", "…"
		if m != nil {
			what, shown = "a default URL with a literal password", m[1]+"://"+m[2]+":****@…"
		}
		return fmt.Sprintf("%s %s to %s (`${%s:-%s}`): when %s is not set, the value written in the compose file is used; "+
			"drop the default (`${%s:?set %s in .env}`) and set %s in .env or an env file, or use a secret",
			subject, key, what, d[1], shown, d[1], d[1], d[1], d[1])
	}
	if m != nil {
		return fmt.Sprintf("%s %s to a URL with a literal password (%s://%s:****@…); read it from an env file or a secret",
			subject, key, m[1], m[2])
	}
	return fmt.Sprintf("%s %s to a literal value in the compose file; read it from an env file (`${%s}` in .env, or env_file) or a secret",
		subject, key, key)
}

func credentialName(key string) bool {
	k := strings.ToUpper(key)
	if strings.HasSuffix(k, "_FILE") || containsAny(k, notCredentialWords) {
		return false
	}
	for _, s := range notCredentialSuffixes {
		if strings.HasSuffix(k, s) {
			return false
		}
	}
	if containsAny(k, credentialWords) {
		return true
	}
	for _, s := range credentialSuffixes {
		if strings.HasSuffix(k, s) {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
