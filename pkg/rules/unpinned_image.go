package rules

import (
	"slices"
	"strings"

	"github.com/composelint/composelint/pkg/imageref"
	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var UnpinnedImage = &lint.Rule{
	ID:                    "unpinned-image",
	Summary:               "a service pulls an image with no tag or a moving one (`latest`, `stable`, `edge`…)",
	Severity:              lint.Warning,
	SecuritySeverity:      5.0,
	DevelopmentWeighsLess: true,
	Run:                   unpinnedImage,
	Doc: lint.Doc{
		What: "Reports the `image` of a service that pulls it (no `build`) when it has no tag (which means `latest`) or a " +
			"tag that moves by design: `latest`, `stable`, `release`, `edge`, `nightly`, `canary`, `unstable`, `dev`, `develop`, `main`, `master`, " +
			"`test`, `rolling`. An image with a digest (`@sha256:…`) is pinned whatever its tag. An image written " +
			"with variables (`${PG_IMAGE}`) is judged by its value after interpolation (`.env`, `--env`), not " +
			"reported because it has variables.",
		Why: "A moving tag makes every `docker compose pull` a possible upgrade: a new major version of the database, " +
			"a changed default, a compromised release, on one host and not another. Pin the version you tested " +
			"(`postgres:16.4`), and upgrade by changing it in a reviewed commit; a digest pins it completely.",
		Example: "services:\n  db:\n    image: postgres\n  cache:\n    image: redis:latest\n",
		Instead: "services:\n  db:\n    image: postgres:16.4\n  cache:\n    image: redis:7.4.1\n",
	},
}

// movingTags follow a branch or a channel rather than a release.
var movingTags = []string{"latest", "stable", "release", "edge", "nightly", "canary", "unstable", "dev", "develop", "main", "master", "test", "rolling"}

func unpinnedImage(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		img := strings.TrimSpace(svc.Image)
		if svc.Build != nil || img == "" || strings.Contains(img, "@") || strings.HasSuffix(img, ":") || strings.Contains(img, load.PlaceholderPrefix) {
			continue
		}
		ip := index.Path{"services", svc.Name, "image"}
		switch tag := imageref.Tag(img); {
		case tag == "":
			p.ReportPath(ip, svc.Name+" pulls "+img+" with no tag, which means latest: every pull may change what runs; pin a version")
		case slices.Contains(movingTags, strings.ToLower(tag)):
			p.ReportPath(ip, svc.Name+" pulls "+img+": the tag "+tag+" moves, every pull may change what runs; pin a version")
		}
	}
}
