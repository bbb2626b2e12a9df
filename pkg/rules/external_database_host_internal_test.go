package rules

import (
	"slices"
	"testing"
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
