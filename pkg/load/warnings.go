package load

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/template"
	"github.com/sirupsen/logrus"
	yaml "go.yaml.in/yaml/v4"

	"github.com/composelint/composelint/pkg/source"
)

// compose-go logs warnings through logrus's global logger, without a
// context that would tell which load logged them. One hook, installed once,
// hands each warning to the load running in the goroutine that logged it
// (compose-go loads in the caller's goroutine), so that projects load in
// parallel and each sees only its own warnings. Nothing reaches the user's
// terminal, also what compose-go logs outside the loads we capture
// (reading .env files, resolving env_file).
var collectors sync.Map // goroutine id -> *collector

func init() {
	std := logrus.StandardLogger()
	std.SetOutput(io.Discard)
	std.ReplaceHooks(logrus.LevelHooks{})
	std.AddHook(router{})
}

type router struct{}

func (router) Levels() []logrus.Level { return logrus.AllLevels }
func (router) Fire(e *logrus.Entry) error {
	if e.Level > logrus.WarnLevel {
		return nil
	}
	if c, ok := collectors.Load(goroutineID()); ok {
		c.(*collector).msgs = append(c.(*collector).msgs, e.Message)
	}
	return nil
}

type collector struct{ msgs []string }

// captureWarnings runs fn and returns the warnings compose-go logged while
// it ran, in this goroutine, and those c.substitute found.
func captureWarnings(fn func(c *collector)) []string {
	id := goroutineID()
	c := &collector{}
	collectors.Store(id, c)
	defer collectors.Delete(id)
	fn(c)
	return c.msgs
}

// substitute is compose-go's interpolation of the model's strings, which
// tells c of each variable it finds unset instead of logging it: a model
// with many unset variables logged thousands of warnings, and each cost
// goroutineID a read of a deep stack. Substitutions compose-go runs
// elsewhere (a default's own ${…}, env files) still log, through the router.
func (c *collector) substitute(tmpl string, mapping template.Mapping) (string, error) {
	return template.SubstituteWithOptions(tmpl, mapping, template.WithoutLogging, template.WithReplacementFunction(c.replace))
}

// replace is template.DefaultReplacementFunc, noting what it would log: a
// variable looked up last and not found, when no default applied.
func (c *collector) replace(substring string, mapping template.Mapping, cfg *template.Config) (string, error) {
	missing := ""
	lookup := func(name string) (string, bool) {
		v, ok := mapping(name)
		missing = ""
		if !ok {
			missing = name
		}
		return v, ok
	}
	value, applied, err := template.DefaultReplacementAppliedFunc(substring, lookup, cfg)
	if err == nil && !applied && missing != "" {
		c.msgs = append(c.msgs, fmt.Sprintf("The %q variable is not set. Defaulting to a blank string.", missing))
	}
	return value, err
}

// goroutineID reads the running goroutine's number from its stack header
// ("goroutine 42 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

var unsetVarRE = regexp.MustCompile(`^The "([^"]+)" variable is not set`)

// warning turns a compose-go warning into a located problem.
func (r *Result) warning(msg string, in Input) (Problem, bool) {
	if strings.Contains(msg, "the attribute `version` is obsolete") {
		// Reported by the obsolete-version rule, for every file that has it.
		return Problem{}, false
	}
	if m := unsetVarRE.FindStringSubmatch(msg); m != nil {
		name := m[1]
		pred := func(s string) bool {
			return strings.Contains(s, "${"+name+"}") || strings.Contains(s, "${"+name+":") ||
				strings.Contains(s, "${"+name+"-") || strings.Contains(s, "${"+name+"?") ||
				containsBareVar(s, name)
		}
		msg := "variable " + name + " is not set (not in .env or --env): it is replaced by an empty string"
		if tpl := r.templateSets(in, name); tpl != "" {
			msg += "; " + tpl + " sets it: copy " + tpl + " to .env and fill it in"
		}
		for _, f := range in.Files {
			if n := findScalar(f, pred); n != nil {
				return Problem{Rule: UndefinedVariable, File: f, Range: variableSpan(f, n, name), Message: msg}, true
			}
		}
		return Problem{Rule: UndefinedVariable, File: in.Files[0], Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}},
			Message: msg}, true
	}
	return r.locate(ComposeWarning, msg, in), true
}

func containsBareVar(s, name string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "$"+name)
		if j < 0 {
			return false
		}
		end := i + j + 1 + len(name)
		if end == len(s) || !isNameByte(s[end]) {
			return true
		}
		i = end
	}
}

func isNameByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// variableSpan is where a scalar writes the variable name: its first
// `${NAME…}` or `$NAME`, also in a block scalar (an entrypoint whose first
// line is only `>`); the scalar when the name cannot be found in its text.
func variableSpan(f *source.File, n *yaml.Node, name string) source.Range {
	r := f.Span(n)
	start, end := f.Offset(r.Start), f.Offset(r.End)
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		end = blockEnd(f.Content, start)
	}
	text := string(f.Content[start:end])
	for i := 0; i < len(text); i++ {
		rest := text[i:]
		switch {
		case strings.HasPrefix(rest, "$$"):
			i++ // an escaped dollar
		case strings.HasPrefix(rest, "${"+name) && len(rest) > 2+len(name) && !isNameByte(rest[2+len(name)]):
			if j := strings.IndexByte(rest, '}'); j > 0 {
				return source.Range{Start: f.PosOf(start + i), End: f.PosOf(start + i + j + 1)}
			}
		case strings.HasPrefix(rest, "$"+name) && (len(rest) == 1+len(name) || !isNameByte(rest[1+len(name)])):
			return source.Range{Start: f.PosOf(start + i), End: f.PosOf(start + i + 1 + len(name))}
		}
	}
	return r
}

// blockEnd returns the offset where the block scalar whose indicator is at
// off ends: at the first line after it that is not blank and not indented
// past the indicator's line.
func blockEnd(c []byte, off int) int {
	lineStart := bytes.LastIndexByte(c[:off], '\n') + 1
	indent := len(c[lineStart:off]) - len(bytes.TrimLeft(c[lineStart:off], " "))
	i := bytes.IndexByte(c[off:], '\n')
	if i < 0 {
		return len(c)
	}
	for i += off + 1; i < len(c); {
		next := bytes.IndexByte(c[i:], '\n')
		line := c[i:]
		if next >= 0 {
			line = c[i : i+next]
		}
		if t := bytes.TrimLeft(line, " "); len(bytes.TrimSpace(t)) > 0 && len(line)-len(t) <= indent {
			return i
		}
		if next < 0 {
			return len(c)
		}
		i += next + 1
	}
	return len(c)
}
