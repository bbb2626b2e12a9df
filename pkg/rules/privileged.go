package rules

import (
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var Privileged = &lint.Rule{
	ID:                    "privileged",
	Summary:               "a service runs `privileged: true`",
	Severity:              lint.Error,
	SecuritySeverity:      9.3,
	DevelopmentWeighsLess: true,
	Run:                   privileged,
	Doc: lint.Doc{
		What: "Reports a service with `privileged: true` in the merged model of an environment, at the file and line " +
			"that set it (an anchor, an `extends` base or an override included).",
		Why: "A privileged container has every capability, every host device and no seccomp or AppArmor profile: it can " +
			"mount the host's disks and load kernel modules, which makes it root on the host. Few images need it; most " +
			"need one capability or one device, which can be granted alone.",
		Example: "services:\n  vpn:\n    image: qmcgaw/gluetun:v3.39\n    privileged: true\n",
		Instead: "services:\n  vpn:\n    image: qmcgaw/gluetun:v3.39\n    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n",
	},
}

func privileged(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		if svc.Privileged {
			p.ReportPath(index.Path{"services", svc.Name, "privileged"},
				svc.Name+" runs privileged: every capability and host device, no seccomp or AppArmor; grant the one capability or device it needs instead")
		}
	}
}
