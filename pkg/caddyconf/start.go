package caddyconf

import (
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/composelint/composelint/pkg/dockerfile"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/services"
)

// Start is what a Caddy v2 container runs, read from its command.
type Start struct {
	// Known is false when the command is not understood (a script, an
	// entrypoint of its own, a subcommand of a plugin).
	Known bool
	// Sub is the caddy subcommand: run, start, reverse-proxy, file-server…
	Sub string
	// Config is the container path of the config file Caddy loads ("" when
	// the subcommand loads none).
	Config string
	// Flags are the subcommand's flags (--from, --domain…), by name without dashes.
	Flags map[string]string
	// Default is true when the image's own command runs (CMD of the caddy image).
	Default bool
}

const DefaultConfig = "/etc/caddy/Caddyfile"

var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true}

// serverSubs are the caddy subcommands that run a server.
var serverSubs = map[string]bool{"run": true, "start": true, "reverse-proxy": true, "file-server": true, "respond": true}

// wrappers are commands that run the command after them.
var wrappers = map[string]bool{"exec": true, "tini": true, "dumb-init": true, "--": true, "env": true}

// StartOf reads how a Caddy v2 service starts: its entrypoint and
// command, else the CMD/ENTRYPOINT of its Dockerfile when readable, else the
// official image's `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`.
func StartOf(proj *lint.Project, svc types.ServiceConfig) Start {
	args, ok := command(proj, svc)
	if !ok {
		return Start{}
	}
	if len(args) == 0 {
		return Start{Known: true, Sub: "run", Config: DefaultConfig, Default: true}
	}
	args, ok = caddyArgs(args)
	if !ok {
		return Start{}
	}
	st := Start{Known: true, Sub: args[0], Flags: flags(args[1:])}
	workdir := svc.WorkingDir
	if workdir == "" {
		workdir = "/srv"
	}
	switch st.Sub {
	case "run", "start":
		cfg := st.Flags["config"]
		if cfg == "" && st.Flags["c"] != "" {
			cfg = st.Flags["c"]
		}
		if cfg == "" {
			// Without --config Caddy reads ./Caddyfile when it exists.
			if a := st.Flags["adapter"]; a != "" && a != "caddyfile" {
				return Start{}
			}
			cfg = "Caddyfile"
		}
		if !path.IsAbs(cfg) {
			cfg = path.Join(workdir, cfg)
		}
		st.Config = path.Clean(cfg)
	default:
		// reverse-proxy, file-server, respond configure Caddy from their flags alone.
	}
	return st
}

// command returns the entrypoint and command a service runs: its own, else
// those of the image its Dockerfile builds (none: the caddy image's own).
// ok is false when the image is built from a Dockerfile that cannot be read
// and the service sets no command.
func command(proj *lint.Project, svc types.ServiceConfig) (args []string, ok bool) {
	ep, cmd := []string(svc.Entrypoint), []string(svc.Command)
	if len(ep) == 0 && svc.Build != nil {
		// The image's ENTRYPOINT applies unless the service sets one; its
		// CMD unless the service sets a command.
		df, ok := services.Dockerfile(proj, svc)
		if !ok && len(cmd) == 0 {
			return nil, false
		}
		if ok {
			dfEp, dfCmd := dockerfile.TargetCommand(df, svc.Build.Target)
			ep = dfEp
			if len(cmd) == 0 {
				cmd = dfCmd
			}
		}
	}
	return append(append([]string(nil), ep...), cmd...), true
}

// caddyArgs returns the words from the caddy subcommand that runs a server
// to the end of its command (a shell's `&&`, `;`…); false when the command
// does not start caddy itself (a script, an entrypoint of its own, a bare
// `caddy`, which prints help).
func caddyArgs(args []string) ([]string, bool) {
	script := false
	// A shell running a one-line script: read the script's words.
	if len(args) >= 3 && shells[path.Base(args[0])] && strings.HasPrefix(args[1], "-") && strings.Contains(args[1], "c") {
		var words []string
		for _, a := range strings.Fields(strings.Join(args[2:], " ")) {
			a = strings.Trim(a, `"'`)
			if len(a) > 1 && strings.HasSuffix(a, ";") {
				words = append(words, strings.TrimSuffix(a, ";"), ";")
				continue
			}
			words = append(words, a)
		}
		args = words
		script = true
	}
	i := -1
	for j := 0; j+1 < len(args); j++ {
		if path.Base(args[j]) == "caddy" && serverSubs[args[j+1]] {
			i = j
			break
		}
		if !script && !wrappers[path.Base(args[j])] {
			return nil, false
		}
	}
	if i < 0 {
		return nil, false
	}
	args = args[i+1:]
	for j, a := range args {
		if a == "&&" || a == "||" || a == ";" || a == "|" || a == "&" {
			args = args[:j]
			break
		}
	}
	return args, true
}

// flags reads a subcommand's flags (`--config FILE`, `--config=FILE`), by
// name without dashes.
func flags(args []string) map[string]string {
	out := map[string]string{}
	for j := 0; j < len(args); j++ {
		a := args[j]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasVal && j+1 < len(args) && !strings.HasPrefix(args[j+1], "-") {
			val = args[j+1]
			j++
		}
		out[name] = val
	}
	return out
}
