package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var SecurityProfileDisabled = &lint.Rule{
	ID:                    "security-profile-disabled",
	Summary:               "a service turns off seccomp, AppArmor or SELinux (`security_opt: [seccomp:unconfined]`…)",
	Severity:              lint.Warning,
	SecuritySeverity:      7.0,
	DevelopmentWeighsLess: true,
	Run:                   securityProfileDisabled,
	Doc: lint.Doc{
		What: "Reports the `security_opt` entries that turn a kernel security profile off: `seccomp:unconfined`, " +
			"`apparmor:unconfined`, `label:disable` (SELinux), `systempaths=unconfined`, in either spelling (`:` or `=`).",
		Why: "Docker's default seccomp profile blocks the system calls most kernel exploits start with (`keyctl`, " +
			"`unshare`, `bpf`, `mount`…); AppArmor and SELinux confine what the container's processes may touch on the " +
			"host. Turned off, one kernel bug is a container escape. When a program needs one blocked call, give it a " +
			"profile that allows just that call.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    security_opt:\n      - seccomp:unconfined\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    security_opt:\n      - seccomp:./seccomp/app.json\n",
	},
}

// disabledProfiles maps a disabling option (normalised to "key:value") to the profile it disables.
var disabledProfiles = map[string]string{
	"seccomp:unconfined":     "the seccomp system-call filter",
	"apparmor:unconfined":    "AppArmor confinement",
	"label:disable":          "SELinux labelling",
	"systempaths:unconfined": "the masking of /proc and /sys paths",
}

func securityProfileDisabled(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		for _, opt := range svc.SecurityOpt {
			norm := strings.ToLower(strings.TrimSpace(opt))
			if k, v, ok := strings.Cut(norm, "="); ok && !strings.Contains(k, ":") {
				norm = k + ":" + v
			}
			what, ok := disabledProfiles[norm]
			if !ok {
				continue
			}
			p.ReportPath(index.Path{"services", svc.Name, "security_opt", index.Item(opt)},
				svc.Name+" turns off "+what+" ("+opt+"): one kernel bug becomes a container escape; allow what it needs in a custom profile instead")
		}
	}
}
