package load

import (
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/composelint/composelint/pkg/source"
)

// compose-go logs warnings through logrus's global logger. Loads that capture
// them take turns, so that each load sees only its own.
var logMu sync.Mutex

// compose-go also logs outside the loads we capture (reading .env files,
// resolving env_file): none of it may reach the user's terminal.
func init() { logrus.SetOutput(io.Discard) }

type collector struct{ msgs []string }

func (c *collector) Levels() []logrus.Level { return logrus.AllLevels }
func (c *collector) Fire(e *logrus.Entry) error {
	if e.Level <= logrus.WarnLevel {
		c.msgs = append(c.msgs, e.Message)
	}
	return nil
}

// captureWarnings runs fn with compose-go's log output diverted and returns
// the warnings it logged. Nothing reaches stderr.
func captureWarnings(fn func()) []string {
	logMu.Lock()
	defer logMu.Unlock()
	std := logrus.StandardLogger()
	c := &collector{}
	hooks := std.ReplaceHooks(logrus.LevelHooks{})
	std.AddHook(c)
	out := std.Out
	std.SetOutput(io.Discard)
	defer func() {
		std.SetOutput(out)
		std.ReplaceHooks(hooks)
	}()
	fn()
	return c.msgs
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
		for _, f := range in.Files {
			if n := findScalar(f, pred); n != nil {
				return Problem{Rule: UndefinedVariable, File: f, Range: f.Span(n),
					Message: "variable " + name + " is not set (not in .env or --env): it is replaced by an empty string"}, true
			}
		}
		return Problem{Rule: UndefinedVariable, File: in.Files[0], Range: source.Range{Start: source.Pos{Line: 1, Col: 1}, End: source.Pos{Line: 1, Col: 1}},
			Message: "variable " + name + " is not set (not in .env or --env): it is replaced by an empty string"}, true
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
