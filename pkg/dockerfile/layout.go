package dockerfile

import (
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Layout is what a chain of stages says about where the project's files
// end up in the image.
type Layout struct {
	Workdir string // the last WORKDIR; "" when none is set
	Copies  []Copy
}

// Copy is one COPY or ADD from the build context.
type Copy struct {
	Srcs []string // host paths (absolute, in the build context; may hold globs)
	Dest string   // container path (absolute; ends with / for a directory)
}

// ReadLayout reads the WORKDIR and COPY/ADD instructions of chain (see
// Chain); context is the build context's absolute path. COPY --from and
// paths with variables are skipped.
func ReadLayout(chain []Stage, context string) Layout {
	l := Layout{Workdir: "/"}
	for _, st := range chain {
		for _, in := range st.Instrs {
			switch in.Cmd {
			case "WORKDIR":
				if args := in.Words(); len(args) > 0 && !strings.Contains(args[0], "$") {
					l.Workdir = path.Join(l.Workdir, args[0])
				}
			case "COPY", "ADD":
				if cp, ok := l.copyOf(in.Words(), context); ok {
					l.Copies = append(l.Copies, cp)
				}
			}
		}
	}
	if l.Workdir == "/" {
		l.Workdir = ""
	}
	return l
}

func (l Layout) copyOf(args []string, context string) (Copy, bool) {
	var files []string
	for _, a := range args {
		if strings.HasPrefix(a, "--") {
			if strings.HasPrefix(a, "--from") {
				return Copy{}, false
			}
			continue
		}
		files = append(files, a)
	}
	if len(files) < 2 {
		return Copy{}, false
	}
	dest := files[len(files)-1]
	if strings.Contains(dest, "$") {
		return Copy{}, false
	}
	if !path.IsAbs(dest) {
		trail := strings.HasSuffix(dest, "/") || dest == "."
		dest = path.Join(l.Workdir, dest)
		if trail {
			dest += "/"
		}
	}
	cp := Copy{Dest: dest}
	for _, src := range files[:len(files)-1] {
		if strings.Contains(src, "://") || strings.Contains(src, "$") {
			continue
		}
		cp.Srcs = append(cp.Srcs, filepath.Join(context, filepath.FromSlash(src)))
	}
	return cp, true
}

// HostPath maps a container path back to the host paths it may have been
// copied from, later COPY first.
func (l Layout) HostPath(c string) []string {
	var out []string
	for i := len(l.Copies) - 1; i >= 0; i-- {
		cp := l.Copies[i]
		destDir := strings.HasSuffix(cp.Dest, "/") || len(cp.Srcs) > 1
		dest := path.Clean(cp.Dest)
		for _, src := range cp.Srcs {
			st, err := os.Stat(src)
			isDir := err == nil && st.IsDir()
			switch {
			case isDir:
				if c != dest && strings.HasPrefix(c, strings.TrimSuffix(dest, "/")+"/") {
					out = append(out, filepath.Join(src, filepath.FromSlash(strings.TrimPrefix(c, dest))))
				}
			case strings.ContainsAny(filepath.Base(src), "*?["):
				if path.Dir(c) == dest {
					if m, _ := filepath.Match(filepath.Base(src), path.Base(c)); m {
						out = append(out, filepath.Join(filepath.Dir(src), path.Base(c)))
					}
				}
			case destDir:
				if c == path.Join(dest, filepath.Base(src)) {
					out = append(out, src)
				}
			default:
				if c == dest {
					out = append(out, src)
				}
			}
		}
	}
	return out
}
