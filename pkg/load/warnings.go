package load

import (
	"bytes"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"

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
// it ran, in this goroutine.
func captureWarnings(fn func()) []string {
	id := goroutineID()
	c := &collector{}
	collectors.Store(id, c)
	defer collectors.Delete(id)
	fn()
	return c.msgs
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
