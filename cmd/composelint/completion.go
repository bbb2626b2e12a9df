package main

import (
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/spf13/pflag"

	"github.com/composelint/composelint/pkg/lint"
	"github.com/composelint/composelint/pkg/report"
)

// completionData is what the completion scripts offer: commands, flags
// (with the values of those that take a fixed set), rule IDs for explain.
type completionData struct {
	Commands []string
	Flags    []completionFlag
	Rules    []string
	Formats  []string
	Levels   []string
}

type completionFlag struct {
	Long, Short, Usage string
	TakesValue         bool
}

var commands = []string{"rules", "explain", "lsp", "completion"}

// completion prints a completion script for shell.
func completion(w, stderr io.Writer, fs *pflag.FlagSet, eng *lint.Engine, shell string) int {
	tmpl, ok := completionScripts[shell]
	if !ok {
		fmt.Fprintln(stderr, "composelint: usage: composelint completion bash|zsh|fish")
		return exitFailure
	}
	d := completionData{Commands: commands, Formats: report.Formats, Levels: []string{"error", "warning", "info"}}
	for _, r := range eng.Rules {
		d.Rules = append(d.Rules, r.ID)
	}
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			usage := strings.NewReplacer("'", "", "\"", "", "`", "", "[", "(", "]", ")", ":", " -").Replace(f.Usage)
			d.Flags = append(d.Flags, completionFlag{Long: f.Name, Short: f.Shorthand, Usage: usage, TakesValue: f.Value.Type() != "bool"})
		}
	})
	t := template.Must(template.New(shell).Funcs(template.FuncMap{"join": strings.Join}).Parse(tmpl))
	if err := t.Execute(w, d); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

var completionScripts = map[string]string{
	"bash": `# bash completion for composelint: source <(composelint completion bash)
_composelint() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --format) COMPREPLY=($(compgen -W "{{join .Formats " "}}" -- "$cur")); return ;;
    --fail-level) COMPREPLY=($(compgen -W "{{join .Levels " "}}" -- "$cur")); return ;;
    explain) COMPREPLY=($(compgen -W "{{join .Rules " "}}" -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    -f|--file|-o|--output-file|--stdin-filename) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --environment|--env) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "{{range .Flags}}--{{.Long}} {{if .Short}}-{{.Short}} {{end}}{{end}}" -- "$cur"))
    return
  fi
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "{{join .Commands " "}}" -- "$cur") $(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _composelint composelint
`,
	"zsh": `#compdef composelint
# zsh completion for composelint: composelint completion zsh > "${fpath[1]}/_composelint"
_composelint() {
  local -a cmds
  cmds=({{range .Commands}}'{{.}}' {{end}})
  _arguments -s \
{{- range .Flags}}
    {{if .Short}}'(-{{.Short}} --{{.Long}})'{{"{"}}-{{.Short}},--{{.Long}}{{"}"}}'{{else}}'--{{.Long}}{{end}}[{{.Usage}}]{{if .TakesValue}}:{{.Long}}:{{if eq .Long "format"}}({{join $.Formats " "}}){{else if eq .Long "fail-level"}}({{join $.Levels " "}}){{else if or (eq .Long "file") (eq .Long "output-file") (eq .Long "stdin-filename")}}_files{{else}} {{end}}{{end}}' \
{{- end}}
    '1: :->first' \
    '*: :_files'
  case $state in
    first) _alternative 'commands:command:compadd -a cmds' 'files:path:_files' ;;
  esac
  case $words[2] in
    explain) [[ $CURRENT -eq 3 ]] && compadd {{join .Rules " "}} ;;
    completion) [[ $CURRENT -eq 3 ]] && compadd bash zsh fish ;;
  esac
}
compdef _composelint composelint
`,
	"fish": `# fish completion for composelint: composelint completion fish > ~/.config/fish/completions/composelint.fish
complete -c composelint -n '__fish_use_subcommand' -a '{{join .Commands " "}}'
complete -c composelint -n '__fish_seen_subcommand_from explain' -f -a '{{join .Rules " "}}'
complete -c composelint -n '__fish_seen_subcommand_from completion' -f -a 'bash zsh fish'
{{- range .Flags}}
complete -c composelint -l {{.Long}}{{if .Short}} -s {{.Short}}{{end}}{{if .TakesValue}} -r{{end}}{{if eq .Long "format"}} -f -a '{{join $.Formats " "}}'{{else if eq .Long "fail-level"}} -f -a '{{join $.Levels " "}}'{{end}} -d '{{.Usage}}'
{{- end}}
`,
}
