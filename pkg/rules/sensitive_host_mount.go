package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/mounts"
)

var SensitiveHostMount = &lint.Rule{
	ID:                    "sensitive-host-mount",
	Summary:               "a service bind-mounts a sensitive host path (`/etc`, `/proc`, `/sys`, `/root`, `~/.ssh`…)",
	Severity:              lint.Error,
	SecuritySeverity:      8.5,
	DevelopmentWeighsLess: true,
	Run:                   sensitiveHostMount,
	Doc: lint.Doc{
		What: "Reports bind mounts of host paths that give a container the host: writable mounts of root-equivalent paths " +
			"(`/etc` and the entries of it that make root: `passwd`, `shadow`, `sudoers`, `cron.d`, `ssh`, `systemd`…; " +
			"`/root` and its dot-entries; `/boot`, `/proc`, `/var/lib/docker`, `/var/lib/containerd`, `/var/lib` itself) at " +
			"the rule's severity; one level lower, read-only mounts of them, private keys under `/etc` (`letsencrypt`, " +
			"`ssl/private`, a program's `certs`), another program's configuration under `/etc` when writable, and mounts of `/sys`, `/dev`, `/home` or a user's home " +
			"directory, the credential directories in a home (`~/.ssh`, `~/.aws`, `~/.docker`, `~/.kube`, `~/.gnupg`), and " +
			"what lies below `/run` or `/var/run`. Named volumes that bind a host path through `driver_opts` count. Not " +
			"reported: `/etc/localtime`, `/etc/timezone` and `/etc/hostname` read-only, another program's configuration " +
			"under `/etc` read-only, a project's directory under `/root` (`/root/app/data`), public CA certificates read-only (`/etc/ssl/certs`, " +
			"`/etc/pki/ca-trust`, `/etc/ca-certificates`), inert devices (`/dev/null`, `/dev/urandom`…), and the paths " +
			"`docker-socket-mounted` reports (`/`, `/run`, `/var/run`, the runtime sockets).",
		Why: "A writable `/etc` lets the container add a user, a sudoers entry or a cron job: root on the host at the next " +
			"login or minute. `/proc` and `/sys` reach the kernel, `/var/lib/docker` holds every container's filesystem, " +
			"`~/.ssh` and `~/.aws` hold keys that open other machines. Read-only still discloses `/etc/shadow` and the keys. " +
			"Mount the one file the service needs, read-only, or copy it into the image.",
		Example: "services:\n  backup:\n    image: restic/restic:0.17.0\n    volumes:\n      - /etc:/host/etc\n      - ~/.ssh:/root/.ssh\n",
		Instead: "services:\n  backup:\n    image: restic/restic:0.17.0\n    volumes:\n      - ./backup-config/restic.conf:/etc/restic.conf:ro\n" +
			"    secrets:\n      - ssh_key\nsecrets:\n  ssh_key:\n    file: ./secrets/backup_ed25519\n",
	},
}

// rootEquivalent are host paths a container can turn into host root when
// it may write them (by descent); /var/lib, /etc and /root are so only
// themselves and through the entries etcRootEntries and rootHomeEntry name.
var rootEquivalent = []string{"/boot", "/proc", "/var/lib/docker", "/var/lib/containerd"}

// etcRootEntries are the entries of /etc that run code as root or decide who
// is root: writing one is host root, reading one discloses credentials.
var etcRootEntries = []string{"passwd", "shadow", "group", "gshadow", "sudoers", "sudoers.d", "crontab", "cron.d",
	"cron.hourly", "cron.daily", "cron.weekly", "cron.monthly", "ld.so.preload", "ld.so.conf", "ld.so.conf.d",
	"systemd", "init.d", "rc.local", "profile", "profile.d", "bash.bashrc", "environment", "ssh", "pam.d", "security",
	"docker", "containerd", "modprobe.d", "modules-load.d", "udev", "apt", "yum.repos.d", "hosts"}

// keyWords name the directories under /etc that hold private keys
// (/etc/letsencrypt, /etc/traefik/certs, /etc/ssl/private): reading them
// discloses them.
var keyWords = []string{"letsencrypt", "private", "certs", "cert", "ssl", "tls", "acme", "keys"}

// exposedTrees disclose the kernel, devices or the host's users.
var exposedTrees = []string{"/sys", "/dev"}

// harmlessReadOnly disclose nothing secret when mounted read-only.
var harmlessReadOnly = []string{"/etc/localtime", "/etc/timezone", "/etc/ssl/certs", "/etc/pki/ca-trust", "/etc/ca-certificates",
	"/etc/os-release", "/etc/machine-id", "/etc/hostname"}

// inertDevices are device nodes that disclose nothing.
var inertDevices = []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}

// homeCredentials are directories of a home that hold credentials.
var homeCredentials = []string{".ssh", ".docker", ".aws", ".kube", ".gnupg"}

func sensitiveHostMount(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, m := range mounts.HostMounts(p, svc) {
			if socketExposed(m.Host) != "" {
				continue // docker-socket-mounted's
			}
			what, writableIsWorse := sensitivePath(m.Host, m.ReadOnly)
			if what == "" {
				continue
			}
			mode := "writable"
			if m.ReadOnly {
				mode = "read-only"
			}
			msg := fmt.Sprintf("%s mounts the host's %s %s (%s)", svc.Name, m.Host, mode, what)
			if writableIsWorse && !m.ReadOnly {
				p.ReportPath(m.Path, msg+": the container can make itself root on the host")
				continue
			}
			p.Weaker().ReportPath(m.Path, msg)
		}
	}
}

// sensitivePath says what mounting host path h exposes ("" when nothing
// worth reporting), and whether writing it makes the container host root.
func sensitivePath(h string, readOnly bool) (what string, rootIfWritable bool) {
	if readOnly && coveredBy(h, harmlessReadOnly) {
		return "", false
	}
	if slices.Contains(inertDevices, h) {
		return "", false
	}
	if h == "/etc/localtime" || h == "/etc/timezone" || h == "/etc/hostname" {
		return "the host's clock or name settings, which it may change", false
	}
	if what, root := etcPath(h, readOnly); what != "" || root {
		return what, root
	}
	if dir := coveringDir(h, rootEquivalent); dir != "" || h == "/var/lib" || rootHomeEntry(h) {
		return "a root-equivalent path", true
	}
	if dir := coveringDir(h, exposedTrees); dir != "" {
		return "kernel interfaces and devices", false
	}
	if home := homePath(h); home != "" {
		return "a user's home or credentials", false
	}
	if strings.HasPrefix(h, "/run/") || strings.HasPrefix(h, "/var/run/") {
		return "host runtime state: service sockets and the system bus", false
	}
	return "", false
}

// etcPath judges a path under /etc: /etc itself and the entries that make
// root are root-equivalent; the configuration directory of another program
// (/etc/pihole) is reported when writable, its private keys when read.
func etcPath(h string, readOnly bool) (what string, rootIfWritable bool) {
	if h == "/etc" {
		return "a root-equivalent path", true
	}
	rest, ok := strings.CutPrefix(h, "/etc/")
	if !ok {
		return "", false
	}
	if slices.Contains(etcRootEntries, strings.Split(rest, "/")[0]) {
		return "a root-equivalent path", true
	}
	for _, part := range strings.Split(rest, "/") {
		if slices.Contains(keyWords, part) {
			return "private keys", false
		}
	}
	if !readOnly {
		return "the host's configuration of another program", false
	}
	return "", false
}

// rootHomeEntry tells whether h is root's home or a dot-entry of it
// (~/.ssh, ~/.bashrc run or authorise as root); a project directory below
// it (/root/app/data, where a deployment runs as root) is not.
func rootHomeEntry(h string) bool {
	rest, ok := strings.CutPrefix(h, "/root/")
	return h == "/root" || ok && strings.HasPrefix(rest, ".")
}

// coveringDir returns the entry of dirs that is h or an ancestor of h.
func coveringDir(h string, dirs []string) string {
	for _, d := range dirs {
		if h == d || strings.HasPrefix(h, d+"/") {
			return d
		}
	}
	return ""
}

func coveredBy(h string, dirs []string) bool { return coveringDir(h, dirs) != "" }

// homePath returns the home tree h exposes: /home, one user's home, a
// credential directory in one (or in `~`). Deeper paths are a project's own
// directories and are not reported.
func homePath(h string) string {
	var rest []string
	switch {
	case h == "~":
		return h
	case strings.HasPrefix(h, "~/"):
		rest = strings.Split(h[2:], "/")
	case h == "/home":
		return h
	case strings.HasPrefix(h, "/home/"):
		parts := strings.Split(h[len("/home/"):], "/")
		if len(parts) == 1 {
			return h
		}
		rest = parts[1:]
	default:
		return ""
	}
	if slices.Contains(homeCredentials, rest[0]) {
		return h
	}
	return ""
}
