package main

import (
	"runtime/debug"
)

// version, when set at link time (-ldflags "-X main.version=v1.2.3"),
// overrides what the build information says.
var version = ""

// toolVersion is what --version, SARIF's driver and the language server's
// serverInfo say: the link-time version, else the module version that
// `go install …@vX` or a build in a tagged checkout stamps, else the VCS
// revision the Go toolchain records, else "(devel)".
func toolVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	return versionOf(info)
}

// versionOf reads a version out of build information.
func versionOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return rev
}
