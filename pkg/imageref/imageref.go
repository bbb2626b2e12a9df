// Package imageref reads the parts of an image reference that rules judge
// (repository name, tag, namespace) as written in a compose file, without
// validating it: a reference with unset variables or odd case still names
// an image a person would recognise.
package imageref

import "strings"

// Repo returns the last path element of an image reference's repository,
// lower-cased, without registry, tag or digest:
// "docker.io/library/caddy:2.8-alpine" -> "caddy".
func Repo(image string) string {
	ref := strings.ToLower(strings.TrimSpace(image))
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref = ref[:i]
	}
	return ref[strings.LastIndex(ref, "/")+1:]
}

// Tag returns the tag of an image reference ("" when none), as written.
func Tag(image string) string {
	ref := strings.TrimSpace(image)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		return ref[i+1:]
	}
	return ""
}

// Namespace is what comes before the repository's last element, lower-cased:
// "docker.io/library/caddy:2" -> "docker.io/library", "caddy" -> "".
func Namespace(image string) string {
	ref := strings.ToLower(strings.TrimSpace(image))
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[:i]
	}
	return ""
}
