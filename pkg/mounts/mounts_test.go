package mounts

import (
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func caddy() (types.ServiceConfig, *types.Project) {
	svc := types.ServiceConfig{Name: "caddy"}
	svc.Volumes = []types.ServiceVolumeConfig{
		{Type: "bind", Source: "/project/docker/caddy", Target: "/etc/caddy"},
		{Type: "bind", Source: "/project/site.caddyfile", Target: "/srv/site.caddyfile"},
		{Type: "volume", Source: "caddy-data", Target: "/data/"},
		{Type: "volume", Target: "/config"},
	}
	svc.Configs = []types.ServiceConfigObjConfig{{Source: "caddyfile", Target: "/etc/caddy/extra/Caddyfile"}, {Source: "motd"}}
	svc.Tmpfs = []string{"/tmp:size=10m"}
	proj := &types.Project{Configs: types.Configs{"caddyfile": {File: "/project/conf/Caddyfile"}}}
	return svc, proj
}

func TestOf(t *testing.T) {
	svc, proj := caddy()
	ms := Of(svc, proj)
	if len(ms) != 7 {
		t.Fatalf("mounts = %+v", ms)
	}
	if m := ms[2]; m.Target != "/data" || m.Kind != "volume" || m.Path.String() != "services.caddy.volumes[/data/]" {
		t.Errorf("volume = %+v (target cleaned, path as the model keys it)", m)
	}
	if m := ms[5]; m.Target != "/motd" || m.Source != "" || !m.ReadOnly {
		t.Errorf("config without target or file = %+v", m)
	}
}

func TestHostPath(t *testing.T) {
	svc, proj := caddy()
	ms := Of(svc, proj)
	for p, want := range map[string]string{
		"/etc/caddy/Caddyfile":       "/project/docker/caddy/Caddyfile",
		"/etc/caddy":                 "/project/docker/caddy",
		"/etc/caddy/extra/Caddyfile": "/project/conf/Caddyfile",
		"/etc/caddy/extra/other":     "/project/docker/caddy/extra/other", // the config covers only its own path
		"/srv/site.caddyfile":        "/project/site.caddyfile",
		"/data/caddy":                "",
		"/srv/Caddyfile":             "",
	} {
		got, ok := HostPath(ms, p)
		if got != filepath.FromSlash(want) || ok != (want != "") {
			t.Errorf("HostPath(%s) = %q %v, want %q", p, got, ok, want)
		}
	}
	if m, _ := At(ms, "/tmp/x"); m.Kind != "tmpfs" || m.Path.String() != "services.caddy.tmpfs[/tmp:size=10m]" {
		t.Errorf("tmpfs mount = %+v", m)
	}
	if _, ok := At(ms, "/srv"); ok {
		t.Error("At(/srv) found a mount; none covers it")
	}
}

func TestCovers(t *testing.T) {
	for _, c := range []struct {
		dir, p string
		want   bool
	}{
		{"/data", "/data", true}, {"/data", "/data/db", true}, {"/", "/x", true},
		{"/data", "/database", false}, {"/data/db", "/data", false},
	} {
		if got := Covers(c.dir, c.p); got != c.want {
			t.Errorf("Covers(%s, %s) = %v", c.dir, c.p, got)
		}
	}
}

func TestWithInherited(t *testing.T) {
	svc, proj := caddy()
	proj.Services = types.Services{"caddy": svc}
	sidecar := types.ServiceConfig{Name: "sidecar"}
	sidecar.VolumesFrom = []string{"caddy:ro"}
	ms, ok := WithInherited(sidecar, proj)
	if !ok || len(ms) != 4 { // the caddy's binds and volumes, not its configs or tmpfs
		t.Errorf("inherited = %+v %v", ms, ok)
	}
	for _, from := range []string{"container:abc", "missing"} {
		other := types.ServiceConfig{}
		other.VolumesFrom = []string{from}
		if _, ok := WithInherited(other, proj); ok {
			t.Errorf("volumes_from %s: ok, want not", from)
		}
	}
}

func TestHoldsProject(t *testing.T) {
	for src, want := range map[string]bool{
		"/home/me/app": true, "/home/me": true, "/home/me/app/": true, "/": false,
		"/home/me/app/src": false, "/home/me/other": false, "./app": false, "": false,
	} {
		if got := HoldsProject("/home/me/app", src); got != want {
			t.Errorf("HoldsProject(%q) = %v, want %v", src, got, want)
		}
	}
}
