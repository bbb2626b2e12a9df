package resources

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/source"
	"github.com/composelint/composelint/pkg/yamledit"
)

func TestUsed(t *testing.T) {
	web := types.ServiceConfig{Name: "web"}
	web.Networks = map[string]*types.ServiceNetworkConfig{"front": nil}
	web.Volumes = []types.ServiceVolumeConfig{{Type: "volume", Source: "media", Target: "/media"}, {Type: "bind", Source: "/srv", Target: "/srv"}}
	web.Environment = types.MappingWithEquals{"EXECUTOR_NETWORK": ptr("myapp_runtimes"), "CACHE": ptr("cache")}
	web.Build = &types.BuildConfig{Network: "build"}
	proj := &types.Project{
		Services: types.Services{"web": web},
		Volumes:  types.Volumes{"media": {}, "cache": {}, "unused": {}},
		Networks: types.Networks{"front": {}, "runtimes": {Name: "myapp_runtimes"}, "back": {}},
	}
	if got := VolumesUsed(proj); !got["media"] || !got["cache"] || got["unused"] || got["/srv"] {
		t.Errorf("VolumesUsed = %v", got)
	}
	if got := NetworksUsed(proj); !got["front"] || !got["runtimes"] || !got["build"] || got["back"] {
		t.Errorf("NetworksUsed = %v", got)
	}
}

func ptr(s string) *string { return &s }

func TestRemoveFix(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"one of several, with its comment", "services:\n  web:\n    image: x\n\nvolumes:\n  kept: {}\n  # old data\n  unused:\n    driver: local\n", "services:\n  web:\n    image: x\n\nvolumes:\n  kept: {}\n"},
		{"the only entry takes its section", "services:\n  web:\n    image: x\n\nvolumes:\n  unused:\n\nnetworks:\n  n: {}\n", "services:\n  web:\n    image: x\n\nnetworks:\n  n: {}\n"},
		{"an anchor someone may use", "volumes:\n  kept: {}\n  unused: &v\n    driver: local\n", ""},
		{"flow style", "services:\n  web:\n    image: x\nvolumes: {kept: {}, unused: {}}\n", ""},
		{"nothing would be left", "volumes:\n  unused:\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.ParseYAML("/p/compose.yaml", []byte(tc.in))
			key, value := yamledit.Lookup(yamledit.Value(f.Docs[0], "volumes"), "unused")
			fix, ok := removeFix(index.Def{File: f, Key: key, Value: value}, "volumes", "unused")
			got := ""
			if ok {
				e := fix.Edits[0]
				got = tc.in[:e.Start] + e.NewText + tc.in[e.End:]
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNetworksOf(t *testing.T) {
	svc := types.ServiceConfig{Name: "web"}
	if got := NetworksOf(svc); len(got) != 1 || got[0] != "default" {
		t.Errorf("no networks: %q", got)
	}
	svc.Networks = map[string]*types.ServiceNetworkConfig{"b": nil, "a": nil}
	if got := NetworksOf(svc); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("networks: %q", got)
	}
	svc.NetworkMode = "host"
	if got := NetworksOf(svc); got != nil {
		t.Errorf("network_mode: %q", got)
	}
}
