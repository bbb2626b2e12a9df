// Package index maps every element of a merged Compose model to the YAML
// node that last defined it, walking the files in load order with Compose's
// own merge rules (DESIGN.md, decision 2).
package index

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
)

// Path addresses an element of the merged model. Mapping keys are plain
// segments; items of a sequence that Compose merges by identity are
// "[identity]": a volume or device by its target, a secret or config by its
// target (SecretIdentity, ConfigIdentity), a port by PortIdentity, an
// env_file by its absolute path; items of KEY=VALUE lists and of lists
// Compose turns into maps (networks, depends_on) are plain KEY segments, as
// if written as a mapping; items of sequences that are replaced whole
// (command, entrypoint, healthcheck.test) are "[N]"; items of other
// sequences are "[value]" ("[N]" for a mapping).
type Path []string

func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// Child returns a copy of p with segs appended.
func (p Path) Child(segs ...string) Path {
	out := make(Path, 0, len(p)+len(segs))
	return append(append(out, p...), segs...)
}

// Item is the segment of a sequence item with the given identity.
func Item(identity string) string { return "[" + identity + "]" }

// seqKind is how Compose merges a sequence at some path, and so how its
// items are named. Both sides of the index (YAML nodes in Build, the merged
// model in WalkModel) name items with identities, so that the two agree.
type seqKind int

const (
	seqAppend   seqKind = iota // append; identical values collapse (the default)
	seqKeyValue                // KEY=VALUE items, merged by KEY
	seqToMap                   // names that become map keys (networks, depends_on)
	seqVolume                  // by mount target, cleaned as Compose cleans it
	seqDevice                  // by container path
	seqSecret                  // by target, else /run/secrets/<source>
	seqConfig                  // by target, else /<source>
	seqPorts                   // by host_ip:published:target/protocol
	seqEnvFile                 // by absolute path
	seqReplace                 // replaced whole by an override
)

var seqPatterns = []struct {
	pattern string
	kind    seqKind
}{
	{"services.*.environment", seqKeyValue},
	{"services.*.labels", seqKeyValue},
	{"services.*.annotations", seqKeyValue},
	{"services.*.sysctls", seqKeyValue},
	{"services.*.build.args", seqKeyValue},
	{"services.*.build.labels", seqKeyValue},
	{"services.*.build.additional_contexts", seqKeyValue},
	// canonical form turns `[default, id=path]` into a mapping
	{"services.*.build.ssh", seqKeyValue},
	{"services.*.deploy.labels", seqKeyValue},
	{"networks.*.labels", seqKeyValue},
	{"volumes.*.labels", seqKeyValue},
	{"secrets.*.labels", seqKeyValue},
	{"configs.*.labels", seqKeyValue},
	{"services.*.networks", seqToMap},
	{"services.*.depends_on", seqToMap},
	{"services.*.models", seqToMap},
	{"services.*.volumes", seqVolume},
	{"services.*.devices", seqDevice},
	{"services.*.secrets", seqSecret},
	{"services.*.configs", seqConfig},
	{"services.*.build.secrets", seqSecret},
	{"services.*.ports", seqPorts},
	{"services.*.env_file", seqEnvFile},
	{"services.*.label_file", seqEnvFile},
	{"services.*.command", seqReplace},
	{"services.*.entrypoint", seqReplace},
	{"services.*.healthcheck.test", seqReplace},
	{"networks.*.ipam.config", seqReplace},
}

func seqKindOf(p Path) seqKind {
	for _, sp := range seqPatterns {
		if matches(p, sp.pattern) {
			return sp.kind
		}
	}
	return seqAppend
}

// matches compares p with a dotted pattern in which "*" matches one segment.
// It runs for every sequence and many keys, hence no allocation.
func matches(p Path, pattern string) bool {
	if strings.Count(pattern, ".")+1 != len(p) {
		return false
	}
	for _, s := range p {
		seg, rest, _ := strings.Cut(pattern, ".")
		if seg != "*" && seg != s {
			return false
		}
		pattern = rest
	}
	return true
}

// isMapLike reports whether items of kind are named by a plain KEY segment,
// as if the sequence had been written as a mapping.
func (k seqKind) isMapLike() bool { return k == seqKeyValue || k == seqToMap }

// keyValue splits a string item of a map-like sequence into the key it
// defines and the value the merged model holds for that key: "K=V" is V,
// a bare "K" (or a network name) is nil.
func keyValue(kind seqKind, s string) (key string, value any) {
	if kind == seqKeyValue {
		if k, v, ok := strings.Cut(s, "="); ok {
			return k, v
		}
	}
	return s, nil
}

// identities returns the segments a sequence item is known by. A port range
// ("8000-8002:8000-8002") stands for several ports, hence several segments.
// item is the interpolated Go value of the item (string, number, map), in
// the form written in a file or in the canonical form of the merged model;
// dir is the directory relative paths are resolved against.
func identities(kind seqKind, item any, index int, dir string) []string {
	switch kind {
	case seqKeyValue, seqToMap:
		if s, ok := item.(string); ok {
			k, _ := keyValue(kind, s)
			return []string{k}
		}
	case seqVolume:
		return []string{Item(volumeTarget(item))}
	case seqDevice:
		return []string{Item(deviceTarget(item))}
	case seqSecret:
		src, tgt := fileMount(item)
		return []string{Item(SecretIdentity(src, tgt))}
	case seqConfig:
		src, tgt := fileMount(item)
		return []string{Item(ConfigIdentity(src, tgt))}
	case seqPorts:
		return portIdentities(item)
	case seqEnvFile:
		p := ""
		switch v := item.(type) {
		case string:
			p = v
		case map[string]any:
			p, _ = v["path"].(string)
		}
		return []string{Item(absPath(dir, p))}
	case seqReplace:
		return []string{Item(strconv.Itoa(index))}
	}
	switch item.(type) {
	case map[string]any, []any:
		return []string{Item(strconv.Itoa(index))}
	}
	return []string{Item(scalarString(item))}
}

func absPath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "" || strings.HasPrefix(p, "~") {
		return p
	}
	return filepath.Join(dir, p)
}

// volumeTarget is the target a volume is merged by. Compose cleans the
// target of the short syntax when it canonicalises it, not that of the long one.
func volumeTarget(item any) string {
	switch v := item.(type) {
	case string:
		if vol, err := format.ParseVolume(v); err == nil && vol.Target != "" {
			return path.Clean(vol.Target)
		}
		return v
	case map[string]any:
		t, _ := v["target"].(string)
		return t
	}
	return ""
}

// deviceTarget is the container path of a device: "src:dst[:perms]" or "path".
func deviceTarget(item any) string {
	switch v := item.(type) {
	case string:
		parts := strings.Split(v, ":")
		if len(parts) > 1 && parts[1] != "" {
			return parts[1]
		}
		return parts[0]
	case map[string]any:
		t, _ := v["target"].(string)
		return t
	}
	return ""
}

// fileMount returns the source and target of a secret or config mount,
// short syntax ("name") or long.
func fileMount(item any) (source, target string) {
	switch v := item.(type) {
	case string:
		return v, ""
	case map[string]any:
		source, _ = v["source"].(string)
		target, _ = v["target"].(string)
	}
	return source, target
}

// SecretIdentity is the identity of a secret mount in the merged model: its
// target, which Compose defaults to /run/secrets/<source>, so that "db" and
// {source: db, target: /run/secrets/db} are the same mount, as in Compose.
func SecretIdentity(source, target string) string {
	if target != "" {
		return target
	}
	return "/run/secrets/" + source
}

// ConfigIdentity is the identity of a config mount in the merged model: its
// target, else /<source>, the name Compose merges a config mount by.
func ConfigIdentity(source, target string) string {
	if target != "" {
		return target
	}
	return "/" + source
}

func portIdentities(item any) []string {
	switch v := item.(type) {
	case string:
		ports, err := types.ParsePortConfig(v)
		if err != nil || len(ports) == 0 {
			return []string{Item(v)}
		}
		out := make([]string, 0, len(ports))
		for _, p := range ports {
			out = append(out, Item(PortIdentity(p.HostIP, p.Published, p.Target, p.Protocol)))
		}
		return out
	case int, uint32, uint64, int64, float64:
		return []string{Item(PortIdentity("", "", toUint32(v), ""))}
	case map[string]any:
		host, _ := v["host_ip"].(string)
		proto, _ := v["protocol"].(string)
		return []string{Item(PortIdentity(host, scalarString(v["published"]), toUint32(v["target"]), proto))}
	}
	return []string{Item(scalarString(item))}
}

// PortIdentity is the identity of a port in the merged model. Compose reads
// a missing host IP as 0.0.0.0 and a missing protocol as tcp.
func PortIdentity(hostIP, published string, target uint32, protocol string) string {
	if hostIP == "0.0.0.0" {
		hostIP = ""
	}
	if protocol == "" {
		protocol = "tcp"
	}
	return fmt.Sprintf("%s:%s:%d/%s", hostIP, published, target, protocol)
}

func toUint32(v any) uint32 {
	switch n := v.(type) {
	case int:
		return uint32(n)
	case int64:
		return uint32(n)
	case uint64:
		return uint32(n)
	case uint32:
		return n
	case float64:
		return uint32(n)
	case string:
		u, _ := strconv.ParseUint(n, 10, 32)
		return uint32(u)
	}
	return 0
}

func scalarString(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	default:
		return fmt.Sprint(s)
	}
}

// scalarIsList reports whether Compose's canonical form turns a scalar at p
// into a list of that one item (which then merges with lists as such).
func scalarIsList(p Path) bool {
	for _, pattern := range []string{
		"services.*.env_file",
		"services.*.label_file",
		"services.*.dns",
		"services.*.develop.watch.*.ignore",
		"services.*.develop.watch.*.include",
	} {
		if matches(p, pattern) {
			return true
		}
	}
	return false
}
