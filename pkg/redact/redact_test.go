package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	r := New([]Value{
		{Name: "POSTGRES_PASSWORD", Value: "s3cr3t!pw", Source: ".env"},
		{Name: "PORT", Value: "80", Source: ".env"},
		{Name: "TOKEN", Value: `we"ird\tok`, Source: "app.env"},
		{Name: "EMPTY", Value: "", Source: ".env"},
	})
	for in, want := range map[string]string{
		`"s3cr3t!pw" is not an integer`:               `${POSTGRES_PASSWORD} (from .env) is not an integer`,
		`Invalid hostPort: s3cr3t!pw`:                 `Invalid hostPort: ${POSTGRES_PASSWORD} (from .env)`,
		`port 8080 and port 80`:                       `port 8080 and port ${PORT} (from .env)`,
		`value "we\"ird\\tok" is bad`:                 `value ${TOKEN} (from app.env) is bad`,
		`raw we"ird\tok here`:                         `raw ${TOKEN} (from app.env) here`,
		`nothing to hide`:                             `nothing to hide`,
		`prefix-s3cr3t!pw-suffix and s3cr3t!pw again`: `prefix-${POSTGRES_PASSWORD} (from .env)-suffix and ${POSTGRES_PASSWORD} (from .env) again`,
		// A short value twice with one character between: both are words.
		`ports 80 80 "80",80`: `ports ${PORT} (from .env) ${PORT} (from .env) ${PORT} (from .env),${PORT} (from .env)`,
		`80`:                  `${PORT} (from .env)`,
		`80.1 x80 80_ 8080`:   `80.1 x80 80_ 8080`,
		`é80é 80é`:            `é80é 80é`,
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	if New(nil).String("x") != "x" {
		t.Error("a nil redactor changed a message")
	}
}

func TestSecretNamed(t *testing.T) {
	var names []string
	for _, v := range SecretNamed([]Value{
		{Name: "POSTGRES_PASSWORD", Value: "x"}, {Name: "DJANGO_SECRET_KEY", Value: "x"}, {Name: "GITHUB_TOKEN", Value: "x"},
		{Name: "DATABASE_URL", Value: "postgres://app:pw@db:5432/app"}, {Name: "DJANGO_ENV", Value: "development"},
		{Name: "DOMAIN_NAME", Value: "myapp.example.com"}, {Name: "CACHE_URL", Value: "redis://cache:6379/0"},
		// Next.js's server-only variables are named PRIVATE; an address is
		// no secret ("bind it to 127.0.0.1" became "bind it to ${NEXT_PRIVATE_SMTP_HOST}").
		{Name: "NEXT_PRIVATE_SMTP_HOST", Value: "127.0.0.1"}, {Name: "PRIVATE_BIND", Value: " ::1"},
		{Name: "AUTH_HOST", Value: "localhost"},
	}) {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, " "); got != "POSTGRES_PASSWORD DJANGO_SECRET_KEY GITHUB_TOKEN DATABASE_URL" {
		t.Errorf("secret-named: %s", got)
	}
}

// A value that the compose files themselves write, outside any ${…}, is no
// secret to whoever reads a report that quotes those files: masking it only
// garbles names (taiga's POSTGRES_PASSWORD=taiga turned the service
// taiga-gateway into "${POSTGRES_PASSWORD} (from .env)-gateway").
func TestNotWrittenIn(t *testing.T) {
	files := [][]byte{[]byte("services:\n  taiga-gateway:\n    image: nginx\n    environment:\n      DB_PASS: ${POSTGRES_PASSWORD}\n      TOKEN: $API_TOKEN\n  db:\n    networks: [default]\n")}
	kept := NotWrittenIn([]Value{
		{Name: "POSTGRES_PASSWORD", Value: "taiga"},         // a word of the file: public
		{Name: "X509_NAME_CERT", Value: "default"},          // idem
		{Name: "POSTGRES_USER", Value: "POSTGRES_PASSWORD"}, // only inside ${…}: still masked
		{Name: "API_TOKEN", Value: "API_TOKEN"},             // only inside $VAR: still masked
		{Name: "SECRET", Value: "taiga-gate"},               // a part of a word, not a word: masked
		{Name: "KEY", Value: "s3cr3t!pw"},                   // nowhere: masked
	}, files)
	var names []string
	for _, v := range kept {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, " "); got != "POSTGRES_USER API_TOKEN SECRET KEY" {
		t.Errorf("values still masked: %s", got)
	}
}
