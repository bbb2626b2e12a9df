package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/source"
)

// InformationURI is composelint's home page, named by the SARIF report.
const InformationURI = "https://github.com/composelint/composelint"

// sarifSchemaURI is the schema of the OASIS SARIF 2.1.0 standard (errata 01).
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// srcRoot is the base of relative artifact locations: the current directory.
const srcRoot = "%SRCROOT%"

// fingerprintKey names composelint's fingerprint in partialFingerprints.
const fingerprintKey = "composelint/v1"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                           `json:"columnKind"`
	Invocations        []sarifInvocation                `json:"invocations,omitempty"`
	Results            []sarifResult                    `json:"results"`
	Properties         *sarifRunProps                   `json:"properties,omitempty"`
}

// sarifInvocation carries discovery's notes as the tool's notifications.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

// sarifRunProps says which environments were linted, as the JSON report does.
type sarifRunProps struct {
	Environments []jsonEnvironment `json:"environments"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifText          `json:"help"`
	HelpURI              string             `json:"helpUri"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Fixable      bool     `json:"fixable"`
	Environments []string `json:"environments,omitempty"`
	// SecuritySeverity ("9.0") and the "security" tag are what GitHub code
	// scanning ranks security alerts by.
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Tags             []string `json:"tags,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Environments []string `json:"environments"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	Properties      sarifFixProps         `json:"properties"`
}

type sarifFixProps struct {
	Safety string `json:"safety"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

// SARIF prints the diagnostics as a SARIF 2.1.0 log of one run. Its tool
// describes every rule of o.Rules; each result refers to its rule by ID and
// index, carries its environments as a property, and its suggested fixes.
// Columns count Unicode code points (run.columnKind), as composelint's do.
func SARIF(w io.Writer, ds []lint.Diagnostic, o Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "composelint", Version: o.ToolVersion, InformationURI: InformationURI, Rules: []sarifRule{},
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	if len(o.Linted) > 0 {
		run.Properties = &sarifRunProps{Environments: o.jsonEnvironments()}
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, n := range o.Notes {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
				sarifNotification{Level: "note", Message: sarifText{Text: o.noteText(n)}})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	if base := dirURI(o.Cwd); base != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: base}}
	}
	index := map[string]int{}
	for _, r := range o.Rules {
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(r))
	}
	fps := newFingerprinter(o.Cwd)
	for _, d := range ds {
		res := sarifResult{
			RuleID:  d.Rule,
			Level:   sarifLevel(d.Severity),
			Message: sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: artifactLocation(o.Cwd, d.File.Path),
				Region:           sarifRegionOf(d.Range.Start.Line, d.Range.Start.Col, d.Range.End.Line, d.Range.End.Col),
			}}},
			PartialFingerprints: map[string]string{fingerprintKey: fps.next(d)},
			Properties:          sarifResultProps{Environments: append([]string{}, d.Environments...)},
		}
		if i, ok := index[d.Rule]; ok {
			res.RuleIndex = &i
		}
		for _, f := range d.Fixes {
			if sf, ok := sarifFixOf(f, o.Cwd); ok {
				res.Fixes = append(res.Fixes, sf)
			}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

func sarifRuleOf(r *lint.Rule) sarifRule {
	summary := sentence(r.Summary)
	full := sentence(r.Doc.What)
	if why := sentence(r.Doc.Why); why != "" {
		full = strings.TrimSpace(full + "\n\n" + why)
	}
	if full == "" {
		full = summary
	}
	props := sarifRuleProps{Fixable: r.Fixable, Environments: r.Environments}
	if r.SecuritySeverity > 0 {
		props.SecuritySeverity = strconv.FormatFloat(r.SecuritySeverity, 'f', 1, 64)
		props.Tags = []string{"security"}
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 pascalCase(r.ID),
		ShortDescription:     sarifText{Text: summary, Markdown: summary},
		FullDescription:      sarifText{Text: full, Markdown: full},
		Help:                 sarifText{Text: helpText(r), Markdown: helpMarkdown(r)},
		HelpURI:              r.DocURL(),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
		Properties:           props,
	}
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	rs := []rune(s)
	rs[0] = unicode.ToUpper(rs[0])
	s = string(rs)
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// pascalCase turns a kebab-case rule ID into the "friendly name" SARIF
// recommends: obsolete-version → ObsoleteVersion.
func pascalCase(id string) string {
	var b strings.Builder
	for part := range strings.FieldsFuncSeq(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		rs := []rune(part)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	if b.Len() == 0 {
		return id
	}
	return b.String()
}

func helpText(r *lint.Rule) string {
	var b strings.Builder
	b.WriteString(sentence(r.Summary))
	for _, part := range []struct{ title, body string }{{"What it does", r.Doc.What}, {"Why", r.Doc.Why}} {
		if part.body != "" {
			b.WriteString("\n\n" + part.title + ": " + strings.TrimSpace(part.body))
		}
	}
	for _, part := range []struct{ title, body string }{{"Example", r.Doc.Example}, {"Instead", r.Doc.Instead}} {
		if strings.TrimSpace(part.body) == "" {
			continue
		}
		code := "    " + strings.ReplaceAll(strings.TrimRight(part.body, "\n"), "\n", "\n    ")
		b.WriteString("\n\n" + part.title + ":\n" + code)
	}
	return b.String()
}

func helpMarkdown(r *lint.Rule) string {
	var b strings.Builder
	b.WriteString(sentence(r.Summary))
	for _, part := range []struct{ title, body string }{{"What it does", r.Doc.What}, {"Why", r.Doc.Why}} {
		if part.body != "" {
			b.WriteString("\n\n## " + part.title + "\n\n" + strings.TrimSpace(part.body))
		}
	}
	for _, part := range []struct{ title, body string }{{"Example", r.Doc.Example}, {"Instead", r.Doc.Instead}} {
		if strings.TrimSpace(part.body) != "" {
			b.WriteString("\n\n## " + part.title + "\n\n```yaml\n" + strings.TrimRight(part.body, "\n") + "\n```")
		}
	}
	return b.String()
}

// sarifRegionOf is a region, or nil when the position is unknown. SARIF
// regions are 1-based with an exclusive end column, as our ranges are.
func sarifRegionOf(sl, sc, el, ec int) *sarifRegion {
	if sl < 1 {
		return nil
	}
	r := sarifRegion{StartLine: sl, StartColumn: max(sc, 1), EndLine: el, EndColumn: max(ec, 1)}
	if r.EndLine < r.StartLine {
		r.EndLine, r.EndColumn = r.StartLine, r.StartColumn
	}
	if r.EndLine == r.StartLine && r.EndColumn < r.StartColumn {
		r.EndColumn = r.StartColumn
	}
	return &r
}

// artifactLocation names path relative to %SRCROOT% (the current directory)
// when it lies below it, else as an absolute file URI.
func artifactLocation(cwd, path string) sarifArtifactLocation {
	rel := source.Rel(cwd, path)
	if cwd != "" && !filepath.IsAbs(rel) {
		return sarifArtifactLocation{URI: (&url.URL{Path: rel}).String(), URIBaseID: srcRoot}
	}
	if filepath.IsAbs(path) {
		return sarifArtifactLocation{URI: fileURI(path)}
	}
	return sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(path)}).String()}
}

func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// dirURI is the file URI of a directory, ending in a slash as SARIF wants.
func dirURI(dir string) string {
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// unsafeNote marks the description of a fix that --fix does not apply alone.
const unsafeNote = " (unsafe: it changes what runs; composelint applies it only with --unsafe-fixes)"

func sarifFixOf(f lint.Fix, cwd string) (sarifFix, bool) {
	desc := f.Message
	if f.Safety == lint.Unsafe {
		desc += unsafeNote
	}
	sf := sarifFix{Description: sarifText{Text: desc}, Properties: sarifFixProps{Safety: string(f.Safety)}}
	byFile := map[string]int{}
	for _, e := range f.Edits {
		if e.File == nil {
			continue
		}
		i, ok := byFile[e.File.Path]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[e.File.Path] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifactLocation(cwd, e.File.Path)})
		}
		s, en := e.File.PosOf(e.Start), e.File.PosOf(e.End)
		region := sarifRegionOf(s.Line, s.Col, en.Line, en.Col)
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion:   *region,
			InsertedContent: sarifText{Text: source.WithLineEnding(e.NewText, source.LineEnding(e.File.Content))},
		})
	}
	return sf, len(sf.ArtifactChanges) > 0
}
