package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
)

var RootUser = &lint.Rule{
	ID:       "root-user",
	Summary:  "a service explicitly runs as root (`user: root`, `user: \"0\"`)",
	Severity: lint.Warning,
	Strict:   true,
	Run:      rootUser,
	Doc: lint.Doc{
		What: "Reports `user` set to `root`, `0`, `root:…` or `0:…`.",
		Why: "Root in the container is root on the host as soon as anything else goes wrong (a mount, a capability, a " +
			"kernel bug); saying so explicitly overrides an image that was built to run unprivileged.",
		Example: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    user: root\n",
		Instead: "services:\n  app:\n    image: ghcr.io/example/app:1.4\n    user: \"1000:1000\"\n",
	},
}

func rootUser(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		u, _, _ := strings.Cut(strings.TrimSpace(svc.User), ":")
		if u == "root" || u == "0" {
			p.ReportPath(index.Path{"services", svc.Name, "user"}, svc.Name+" runs as root: give it an unprivileged user")
		}
	}
}
