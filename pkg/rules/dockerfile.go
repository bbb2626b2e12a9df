package rules

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composelint/composelint/pkg/lint"
)

// The Dockerfile of a service, read once and parsed in one place for the
// rules that need it (what image a build is FROM, what Caddy's CMD is, where
// COPY puts the project's files).

// readDockerfile returns the Dockerfile a service builds: inline, or read
// from its build context; false when it has none or it is not readable.
func readDockerfile(p *lint.Pass, svc types.ServiceConfig) ([]byte, bool) {
	b := svc.Build
	if b == nil || p.Project.ReadFile == nil {
		return nil, false
	}
	if b.DockerfileInline != "" {
		return []byte(b.DockerfileInline), true
	}
	if b.Context == "" || strings.Contains(b.Context, "://") {
		return nil, false
	}
	name := b.Dockerfile
	if name == "" {
		name = "Dockerfile"
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(b.Context, name)
	}
	f, err := p.Project.ReadFile(name)
	if err != nil || f == nil {
		return nil, false
	}
	return f.Content, true
}

// dockerInstr is one instruction: its upper-case keyword and the rest of
// its logical line (continuation lines joined).
type dockerInstr struct {
	Cmd  string
	Args string
}

// dockerStage is one FROM and the instructions after it.
type dockerStage struct {
	Name   string // lower-case, after AS; "" when unnamed
	From   string // the image or stage it starts from
	Instrs []dockerInstr
}

// parseDockerfile splits a Dockerfile into stages. Comment lines are
// dropped, also inside a continued instruction, as Docker does.
func parseDockerfile(content []byte) []dockerStage {
	var stages []dockerStage
	add := func(line string) {
		line = strings.TrimSpace(line)
		if line == "" {
			return
		}
		cmd, rest, _ := strings.Cut(line, " ")
		cmd = strings.ToUpper(cmd)
		rest = strings.TrimSpace(rest)
		if cmd == "FROM" {
			args := strings.Fields(rest)
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			st := dockerStage{}
			if len(args) > 0 {
				st.From = args[0]
			}
			if len(args) >= 3 && strings.EqualFold(args[1], "AS") {
				st.Name = strings.ToLower(args[2])
			}
			stages = append(stages, st)
			return
		}
		if len(stages) > 0 {
			stages[len(stages)-1].Instrs = append(stages[len(stages)-1].Instrs, dockerInstr{Cmd: cmd, Args: rest})
		}
	}
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		add(cur.String())
		cur.Reset()
	}
	add(cur.String())
	return stages
}

// stageChain returns the stage a build produces (target, else the last),
// preceded by the stages it is built FROM, the first base first.
func stageChain(stages []dockerStage, target string) []dockerStage {
	if len(stages) == 0 {
		return nil
	}
	i := len(stages) - 1
	if t := strings.ToLower(target); t != "" {
		for j, s := range stages {
			if s.Name == t {
				i = j
			}
		}
	}
	var chain []dockerStage
	for hops := 0; hops <= len(stages) && i >= 0; hops++ {
		chain = append([]dockerStage{stages[i]}, chain...)
		next := -1
		from := strings.ToLower(stages[i].From)
		for j := 0; j < i; j++ {
			if stages[j].Name != "" && stages[j].Name == from {
				next = j
			}
		}
		i = next
	}
	return chain
}
