package rules

import (
	"slices"
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestDBHostFromVar(t *testing.T) {
	for in, want := range map[string][]string{
		"db":                          {"db"},
		" db:5432 ":                   {"db"},
		"db1,db2:5433":                {"db1", "db2"},
		"/var/run/postgresql":         nil,
		"10.0.0.1":                    {"10.0.0.1"},
		"::1":                         {"::1"},
		"postgres://u:p@db:5432/name": {"db"},
		"":                            nil,
	} {
		if got := dbhostFromVar(in); !slices.Equal(got, want) {
			t.Errorf("dbhostFromVar(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDBHostFromURL(t *testing.T) {
	for in, want := range map[string][]string{
		"postgres://user:secret@db:5432/app":              {"db"},
		"postgresql://db/app?sslmode=disable":             {"db"},
		"mysql://user@mysql/app?charset=utf8":             {"mysql"},
		"postgres://u:p@h1:5432,h2:5433/app":              {"h1", "h2"},
		"postgres://u:p%2Fq@db/app":                       {"db"},
		"postgres://u:p/with^bad@db:5432/app":             {"db"},
		"postgres://u:p@[::1]:5432/app":                   {"::1"},
		"postgres:///app?host=/var/run/postgresql":        nil,
		"sqlite:////data/db.sqlite3":                      nil,
		"not a url":                                       nil,
		"postgres://user:pa@ss@db.example.com:5432/app":   {"db.example.com"},
		"postgis://user:secret@database-1:5432/app?x=y@z": {"database-1"},
	} {
		if got := dbhostFromURL(in); !slices.Equal(got, want) {
			t.Errorf("dbhostFromURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDBHostUnresolvable(t *testing.T) {
	known := map[string]bool{"web": true}
	own := map[string]bool{"extdb": true}
	for h, want := range map[string]bool{
		"db": true, "DB": true, "my_db-1": true,
		"web": false, "Web": false, "extdb": false, "localhost": false, "host.docker.internal": false,
		"db.example.com": false, "10.0.0.1": false, "::1": false, "": false, "${DB}": false,
	} {
		if got := dbhostUnresolvable(h, known, own); got != want {
			t.Errorf("dbhostUnresolvable(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestDBEnvKeyRange(t *testing.T) {
	f := source.New("/x/.env", []byte("# DB_HOST=commented\nDB_HOSTNAME=x\n  export DB_HOST = a\nDB_HOST=b\nOTHER=DB_HOST=c\n"))
	r, ok := dbenvKeyRange(f, "DB_HOST")
	if !ok || r.Start.Line != 4 || r.Start.Col != 1 || r.End.Col != 8 {
		t.Errorf("got %v %v, want line 4, columns 1-8", r, ok)
	}
	f = source.New("/x/.env", []byte("  export DB_HOST = a\n"))
	if r, ok := dbenvKeyRange(f, "DB_HOST"); !ok || r.Start.Col != 10 || r.End.Col != 17 {
		t.Errorf("got %v %v, want columns 10-17", r, ok)
	}
	if _, ok := dbenvKeyRange(source.New("/x/.env", []byte("DB_HOSTS=a\n")), "DB_HOST"); ok {
		t.Error("DB_HOSTS matched DB_HOST")
	}
}

func TestDevonlyDevServer(t *testing.T) {
	for cmd, want := range map[string]string{
		"python manage.py runserver 0.0.0.0:8000": "Django's `runserver`",
		"python manage.py runserver_plus":         "Django's `runserver`",
		"gunicorn --reload app:wsgi":              "auto-reload, `--reload`",
		"/usr/local/bin/nodemon index.js":         "`nodemon`",
		"sh -c 'npm install && npm run dev'":      "`npm run dev`",
		"yarn run dev":                            "`yarn dev`",
		"pnpm dev":                                "`pnpm dev`",
		"next dev -p 3000":                        "`next dev`",
		"flask run --reload":                      "`flask run --debug`",
		"rails server --environment=development":  "`rails server -e development`",
		"bin/rails s -e development":              "`rails server -e development`",
		"gunicorn server.wsgi":                    "",
		"npm run build":                           "",
		"npm run develop-docs-build":              "",
		"next start":                              "",
		"flask run":                               "",
		"rails server -e production":              "",
		"rails console -e development":            "",
		"echo runserverless":                      "",
		"nginx -s reload":                         "",
	} {
		if got := devonlyDevServer([]string{cmd}); got != want {
			t.Errorf("devonlyDevServer(%q) = %q, want %q", cmd, got, want)
		}
	}
}
