package source

import "regexp"

// TemplatePlaceholder finds a project template's placeholder ({{project_name}},
// {{ cookiecutter.project_slug }}): a file that holds one is filled in when a
// project is generated from it, and may be no YAML until then.
var TemplatePlaceholder = regexp.MustCompile(`\{\{\s*[A-Za-z_][\w.]*\s*\}\}`)
