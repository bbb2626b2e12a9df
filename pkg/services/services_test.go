package services

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// project holds the given files (absolute path → content) and nothing else.
func project(files map[string]string) *lint.Project {
	return &lint.Project{Dir: "/project", ReadFile: func(p string) (*source.File, error) {
		if c, ok := files[filepath.ToSlash(p)]; ok {
			return source.New(p, []byte(c)), nil
		}
		return nil, errors.New("no such file")
	}}
}

func built(name, context, dockerfile string) types.ServiceConfig {
	svc := types.ServiceConfig{Name: name}
	svc.Build = &types.BuildConfig{Context: context, Dockerfile: dockerfile}
	return svc
}

func image(name, ref string) types.ServiceConfig {
	svc := types.ServiceConfig{Name: name}
	svc.Image = ref
	return svc
}

func withImage(svc types.ServiceConfig, ref string) types.ServiceConfig {
	svc.Image = ref
	return svc
}

func TestProxyKind(t *testing.T) {
	proj := project(map[string]string{
		"/project/docker/web/Dockerfile": "FROM nginxinc/nginx-unprivileged:1.27 AS base\nFROM base\nCOPY conf /etc/nginx\n",
	})
	for _, tc := range []struct {
		name string
		svc  types.ServiceConfig
		want string
	}{
		{"official image", image("proxy", "caddy:2.8-alpine"), "caddy"},
		{"a variant names its proxy", image("x", "openresty/openresty:alpine"), "nginx"},
		{"apache", image("x", "ubuntu/apache2"), "httpd"},
		{"an exporter is no proxy", image("nginx", "nginx/nginx-prometheus-exporter"), ""},
		{"an image that names no proxy", image("nginx", "example/web:1"), ""},
		{"a project's own build of a proxy, pulled", image("caddy-reverse-proxy", "mathesar/mathesar-caddy:0.2.0"), "caddy"},
		{"a companion named after its proxy is none", image("x", "nginxproxy/acme-companion"), ""},
		{"the Dockerfile's FROM, through a stage", built("web", "/project/docker/web", ""), "nginx"},
		{"a build without Dockerfile: the context's name", built("edge", "/project/docker/caddy", ""), "caddy"},
		{"a build without Dockerfile: the service's name", built("traefik", "/project", ""), "traefik"},
		{"a tool named after a proxy", built("traefik-certs-dumper", "/project", ""), ""},
		{"nothing to tell", built("app", "/project", ""), ""},
	} {
		if got := ProxyKind(proj, tc.svc); got != tc.want {
			t.Errorf("%s: ProxyKind = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDatabaseKind(t *testing.T) {
	proj := project(map[string]string{
		"/project/backup/Dockerfile": "FROM postgres:16-alpine\nRUN apk add --no-cache dcron\nCMD [\"crond\", \"-f\"]\n",
		"/project/db/Dockerfile":     "FROM postgis/postgis:16-3.4\n",
	})
	for _, tc := range []struct {
		name string
		svc  types.ServiceConfig
		want string
	}{
		{"postgres", image("", "postgres:16"), "postgres"},
		{"bitnami", image("", "bitnami/postgresql:16"), "postgresql"},
		{"a word of the repository", image("", "sameersbn/postgresql-16"), "postgresql"},
		{"a namespace of databases", image("", "timescale/timescaledb-ha:pg16"), "timescaledb"},
		{"mssql", image("", "mcr.microsoft.com/mssql/server:2022-latest"), "mssql"},
		{"another server", image("", "example/server"), ""},
		{"an exporter", image("", "prometheuscommunity/postgres-exporter"), ""},
		{"an admin UI", image("", "mongo-express"), ""},
		{"no database", image("", "redis:7"), ""},
		{"built FROM a database", built("db", "/project/db", ""), "postgis"},
		{"a backup job built FROM postgres", built("backup", "/project/backup", ""), ""},
	} {
		if got := DatabaseKind(proj, tc.svc); got != tc.want {
			t.Errorf("%s: DatabaseKind = %q, want %q", tc.name, got, tc.want)
		}
	}
	// The same backup image with a data directory is a database again.
	svc := built("backup", "/project/backup", "")
	svc.Volumes = []types.ServiceVolumeConfig{{Type: "volume", Source: "pg", Target: "/var/lib/postgresql/data"}}
	if got := DatabaseKind(proj, svc); got != "postgres" {
		t.Errorf("with a data volume: DatabaseKind = %q, want postgres", got)
	}
}

func TestDockerfile(t *testing.T) {
	proj := project(map[string]string{"/project/app/Dockerfile.prod": "FROM python:3.12\n"})
	svc := built("app", "/project/app", "Dockerfile.prod")
	if df, ok := Dockerfile(proj, svc); !ok || string(df) != "FROM python:3.12\n" {
		t.Errorf("Dockerfile = %q %v", df, ok)
	}
	inline := built("app", "/project/app", "")
	inline.Build.DockerfileInline = "FROM alpine\n"
	if df, ok := Dockerfile(proj, inline); !ok || string(df) != "FROM alpine\n" {
		t.Errorf("inline Dockerfile = %q %v", df, ok)
	}
	for _, svc := range []types.ServiceConfig{
		built("app", "/project/missing", ""), built("app", "https://github.com/x/y.git", ""), image("app", "python"),
	} {
		if _, ok := Dockerfile(proj, svc); ok {
			t.Errorf("Dockerfile of %+v found", svc.Build)
		}
	}
	if got := BaseImages(proj, withImage(svc, "app:1")); len(got) != 2 || got[1] != "python:3.12" {
		t.Errorf("BaseImages = %q", got)
	}
}
