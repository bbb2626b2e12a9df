package rules

import (
	"strings"

	"github.com/composelint/composelint/pkg/index"
	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/load"
)

var ImageDigest = &lint.Rule{
	ID:       "image-digest",
	Summary:  "a pulled image is not pinned by digest",
	Severity: lint.Info,
	Strict:   true,
	Run:      imageDigest,
	Doc: lint.Doc{
		What: "Reports the `image` of a service that pulls it (no `build`) without a digest (`@sha256:…`).",
		Why: "A tag, even `16.4`, can be pushed again: a digest names exactly the bytes that were reviewed, and a " +
			"registry cannot change them. Tools such as Renovate keep digests up to date.",
		Example: "services:\n  db:\n    image: postgres:16.4\n",
		Instead: "services:\n  db:\n    image: postgres:16.4@sha256:<digest>\n",
	},
}

func imageDigest(p *lint.Pass) {
	for _, svc := range p.WrittenServices() {
		img := strings.TrimSpace(svc.Image)
		if svc.Build != nil || img == "" || strings.Contains(img, "@") || strings.Contains(img, load.PlaceholderPrefix) {
			continue
		}
		p.ReportPath(index.Path{"services", svc.Name, "image"}, svc.Name+" pulls "+img+" by tag: pin it by digest (@sha256:…) to run exactly what was reviewed")
	}
}
