package nginxconf

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPasses(t *testing.T) {
	src := []byte(`# a comment; with { braces }
upstream django {
    server app:8000 weight=2;
    server unix:/run/app.sock;
}
upstream vars { server $backend; }
server {
    listen 80;
    location / { proxy_pass http://django; }
    location "/a b/" {
        proxy_pass   "http://api:9000/v1/";
    }
    location /u/ { uwsgi_pass uwsgi-app:3031; }
    location /v/ { set $b web; proxy_pass http://$b:8000; }
    location /ext/ { proxy_pass https://example.com; }
    location /grpc/ { grpc_pass grpc://rpc; }
}
`)
	type got struct {
		Directive, Host, Port string
		Line, Col             int
	}
	var out []got
	for _, u := range Passes(Parse(src)) {
		out = append(out, got{u.Directive, u.Host, u.Port, u.Word.Line, u.Word.Col})
	}
	want := []got{
		{"upstream django", "app", "8000", 3, 12},
		{"proxy_pass", "api", "9000", 11, 22},
		{"uwsgi_pass", "uwsgi-app", "3031", 13, 31},
		{"proxy_pass", "example.com", "", 15, 33},
		{"grpc_pass", "rpc", "", 16, 33},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Passes (-want +got):\n%s", diff)
	}
}

func TestParseUnbalanced(t *testing.T) {
	// An unclosed block and a stray brace end the list; nothing panics.
	for _, src := range []string{"server {", "}", "server { location / {", `a "unterminated`, ""} {
		Parse([]byte(src))
	}
	ds := Parse([]byte("events {}\nhttp { server { listen 80; } }"))
	if len(ds) != 2 || len(ds[1].Block) != 1 || len(ds[1].Block[0].Block) != 1 {
		t.Fatalf("blocks read wrong: %+v", ds)
	}
}
