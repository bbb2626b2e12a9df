// Package dockerfile reads the Dockerfile of a service: its stages, their
// instructions with the line each starts on, the chain of stages a build
// target is made of, where COPY and WORKDIR put the project's files, and
// what the target stage runs (CMD, ENTRYPOINT) and copies in.
//
// It is our own small reader rather than BuildKit's parser
// (github.com/moby/buildkit/frontend/dockerfile/parser): the rules need
// FROM, WORKDIR, COPY/ADD, CMD and ENTRYPOINT, and BuildKit's parser brings
// 35 packages with it (protobuf, typeurl, vtprotobuf) and 3.8 MB of binary
// on its own, for a module of 14 MB of source (measured, see the commit that
// added this package).
package dockerfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// Instruction is one instruction: its upper-case keyword and the rest of
// its logical line (continuation lines joined).
type Instruction struct {
	Cmd  string
	Args string
	Line int // 1-based line the instruction starts on
}

// Words are the instruction's arguments: the JSON (exec) form's strings,
// else the arguments split on white space.
func (in Instruction) Words() []string {
	if strings.HasPrefix(in.Args, "[") {
		var args []string
		if json.Unmarshal([]byte(in.Args), &args) == nil {
			return args
		}
	}
	return strings.Fields(in.Args)
}

// Stage is one FROM and the instructions after it.
type Stage struct {
	Name   string // lower-case, after AS; "" when unnamed
	From   string // the image or stage it starts from
	Line   int    // the FROM's line
	Instrs []Instruction
}

// heredocRE finds the heredocs an instruction opens (`RUN <<EOF`, `COPY <<-"EOT" /x`).
var heredocRE = regexp.MustCompile(`<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?`)

// Parse splits a Dockerfile into stages. Comment lines are dropped, also
// inside a continued instruction, as Docker does; heredoc bodies are not
// read as instructions.
func Parse(content []byte) []Stage {
	p := parser{}
	var cur strings.Builder
	start := 0
	var heredocs []string // terminators still to be seen
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if len(heredocs) > 0 {
			if line == heredocs[0] {
				heredocs = heredocs[1:]
			}
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		for _, m := range heredocRE.FindAllStringSubmatch(cur.String(), -1) {
			heredocs = append(heredocs, m[1])
		}
		p.add(cur.String(), start)
		cur.Reset()
	}
	p.add(cur.String(), start)
	return p.stages
}

type parser struct{ stages []Stage }

func (p *parser) add(line string, n int) {
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
		st := Stage{Line: n}
		if len(args) > 0 {
			st.From = args[0]
		}
		if len(args) >= 3 && strings.EqualFold(args[1], "AS") {
			st.Name = strings.ToLower(args[2])
		}
		p.stages = append(p.stages, st)
		return
	}
	if len(p.stages) > 0 {
		last := &p.stages[len(p.stages)-1]
		last.Instrs = append(last.Instrs, Instruction{Cmd: cmd, Args: rest, Line: n})
	}
}

// Chain returns the stage a build produces (target, else the last),
// preceded by the stages it is built FROM, the first base first.
func Chain(stages []Stage, target string) []Stage {
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
	var chain []Stage
	for hops := 0; hops <= len(stages) && i >= 0; hops++ {
		chain = append([]Stage{stages[i]}, chain...)
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
