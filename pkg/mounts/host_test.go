package mounts

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestCleanHostPath(t *testing.T) {
	for in, want := range map[string]string{
		"/var/run/docker.sock": "/var/run/docker.sock",
		"//etc/./ssl/":         "/etc/ssl",
		"/.":                   "/",
		"~":                    "~",
		"~/.ssh/":              "~/.ssh",
		"./data":               "",
		"data":                 "",
		"~user/x":              "",
	} {
		if got := cleanHostPath(in); got != want {
			t.Errorf("cleanHostPath(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"$HOME/.ssh": "~/.ssh", "${HOME}": "~", "$HOMEDIR/x": "$HOMEDIR/x", "/home/x": "/home/x"} {
		if got := homeAsTilde(in); got != want {
			t.Errorf("homeAsTilde(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVolumeDevice(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    types.VolumeConfig
		host string
		ro   bool
	}{
		{"a bind by type none", types.VolumeConfig{DriverOpts: map[string]string{"type": "none", "o": "bind", "device": "/srv/data"}}, "/srv/data", false},
		{"read-only", types.VolumeConfig{DriverOpts: map[string]string{"o": "rbind,ro", "device": "/etc"}}, "/etc", true},
		{"an NFS share", types.VolumeConfig{DriverOpts: map[string]string{"type": "nfs", "o": "addr=10.0.0.1", "device": ":/export"}}, "", false},
		{"another driver", types.VolumeConfig{Driver: "rexray", DriverOpts: map[string]string{"o": "bind", "device": "/x"}}, "", false},
		{"a relative device", types.VolumeConfig{DriverOpts: map[string]string{"o": "bind", "device": "./x"}}, "", false},
	} {
		if host, ro := volumeDevice(tc.v); host != tc.host || ro != tc.ro {
			t.Errorf("%s: volumeDevice = %q %v, want %q %v", tc.name, host, ro, tc.host, tc.ro)
		}
	}
}
