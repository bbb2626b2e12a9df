package load

import (
	"regexp"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// interpolating finds where a message that quotes an interpolated value
// comes from: the first scalar that refers to a variable whose value the
// message holds (compose-go's "Invalid hostPort: <value>" names no field).
// Values shorter than four characters are too common to tell.
func interpolating(msg string, in Input) (*source.File, *yaml.Node) {
	names := make([]string, 0, len(in.Env))
	for k, v := range in.Env {
		if len(v) >= 4 && strings.Contains(msg, v) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		ref := regexp.MustCompile(`\$\{` + regexp.QuoteMeta(name) + `\b|\$` + regexp.QuoteMeta(name) + `\b`)
		for _, f := range in.Files {
			if n := findScalar(f, func(s string) bool { return ref.MatchString(s) }); n != nil {
				return f, n
			}
		}
	}
	return nil, nil
}
