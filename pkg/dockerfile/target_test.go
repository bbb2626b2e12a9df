package dockerfile

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTargetCommandAndCopies(t *testing.T) {
	df := []byte(`FROM caddy:2-builder AS builder
RUN xcaddy build

FROM caddy:2-alpine
WORKDIR /srv
COPY --from=builder /usr/bin/caddy /usr/bin/caddy
COPY Caddyfile /etc/caddy/Caddyfile
COPY ["site", "public/"]
ADD static \
    /var/www/static
CMD caddy run --config /etc/caddy/Caddyfile
`)
	var got []string
	for _, c := range TargetCopies(df, "") {
		got = append(got, strings.Join(c.Sources, ",")+"->"+c.Dest)
	}
	want := []string{"Caddyfile->/etc/caddy/Caddyfile", "site->/srv/public/", "static->/var/www/static"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("copies = %q, want %q", got, want)
	}
	ep, cmd := TargetCommand(df, "")
	if ep != nil || !reflect.DeepEqual(cmd, []string{"/bin/sh", "-c", "caddy run --config /etc/caddy/Caddyfile"}) {
		t.Errorf("command = %q %q", ep, cmd)
	}
	ep, cmd = TargetCommand(df, "builder")
	if ep != nil || cmd != nil {
		t.Errorf("builder stage command = %q %q", ep, cmd)
	}
	ep, cmd = TargetCommand([]byte("FROM caddy:2\nCMD [\"caddy\", \"run\"]\nENTRYPOINT [\"/init\"]\n"), "")
	if !reflect.DeepEqual(ep, []string{"/init"}) || cmd != nil {
		t.Errorf("ENTRYPOINT after CMD = %q %q", ep, cmd)
	}
}

func TestCopiedFrom(t *testing.T) {
	df := []byte("FROM caddy:2\nCOPY conf/ /etc/caddy/\nCOPY Caddyfile.prod /etc/caddy/Caddyfile\nCOPY site /srv/site\nCOPY *.caddy /etc/caddy/sites/\n")
	copies := TargetCopies(df, "")
	for _, tc := range []struct {
		p       string
		want    []string
		covered bool
	}{
		{"/etc/caddy/Caddyfile", []string{"/ctx/Caddyfile.prod"}, true},
		{"/etc/caddy/extra.caddy", []string{"/ctx/conf/extra.caddy"}, true},
		{"/srv/site/index.html", []string{"/ctx/site/index.html"}, true},
		{"/etc/caddy/sites/a.caddy", nil, true},
		{"/data", nil, false},
	} {
		got, covered := CopiedFrom(copies, "/ctx", tc.p)
		for i := range got {
			got[i] = filepath.ToSlash(got[i])
		}
		if covered != tc.covered || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("CopiedFrom(%s) = %q %v, want %q %v", tc.p, got, covered, tc.want, tc.covered)
		}
	}
}
