package dockerfile

import (
	"encoding/json"
	"path"
	"path/filepath"
	"strings"
)

// What the stage a build produces (its target, else the last stage) runs
// and copies in, read from that stage alone, as the Caddy and proxy rules
// judge an image: unlike Layout, which follows the whole chain.

// targetStage returns the instructions of the stage a build produces
// (target, else the last).
func targetStage(content []byte, target string) []Instruction {
	chain := Chain(Parse(content), target)
	if len(chain) == 0 {
		return nil
	}
	return chain[len(chain)-1].Instrs
}

// TargetCommand returns the ENTRYPOINT and CMD of the stage a build
// produces (nil when it sets none, so the base image's apply).
func TargetCommand(content []byte, target string) (ep, cmd []string) {
	for _, in := range targetStage(content, target) {
		switch in.Cmd {
		case "ENTRYPOINT":
			ep = commandArgs(in.Args)
			cmd = nil // a new entrypoint resets an inherited CMD
		case "CMD":
			cmd = commandArgs(in.Args)
		}
	}
	return ep, cmd
}

// commandArgs reads the exec form (JSON array) or shell form of CMD/ENTRYPOINT.
func commandArgs(s string) []string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		var out []string
		if json.Unmarshal([]byte(s), &out) == nil {
			return out
		}
	}
	return []string{"/bin/sh", "-c", s}
}

// TargetCopy is a COPY or ADD of the build context into the image.
type TargetCopy struct {
	Sources []string // relative to the build context
	Dest    string   // container path (a directory when it ends with / or there are several sources)
}

// TargetCopies returns the COPY/ADD instructions of the stage a build
// produces that copy from the build context (not --from another stage).
func TargetCopies(content []byte, target string) []TargetCopy {
	var out []TargetCopy
	workdir := "/"
	for _, in := range targetStage(content, target) {
		switch in.Cmd {
		case "WORKDIR":
			w := strings.Trim(strings.TrimSpace(in.Args), `"`)
			if path.IsAbs(w) {
				workdir = w
			} else {
				workdir = path.Join(workdir, w)
			}
		case "COPY", "ADD":
			args := in.Args
			var parts []string
			if strings.HasPrefix(strings.TrimSpace(args), "[") {
				json.Unmarshal([]byte(args), &parts)
			} else {
				parts = strings.Fields(args)
			}
			fromStage := false
			for len(parts) > 0 && strings.HasPrefix(parts[0], "--") {
				if strings.HasPrefix(parts[0], "--from") {
					fromStage = true
				}
				parts = parts[1:]
			}
			if fromStage || len(parts) < 2 {
				continue
			}
			dest := parts[len(parts)-1]
			if !path.IsAbs(dest) {
				dest = path.Join(workdir, dest) + map[bool]string{true: "/"}[strings.HasSuffix(dest, "/")]
			}
			out = append(out, TargetCopy{Sources: parts[:len(parts)-1], Dest: dest})
		}
	}
	return out
}

// CopiedFrom tells whether the image's COPY/ADD instructions put
// something at container path p (covered), and which files of the build
// context it may be (candidates, most likely first; none for a glob or a
// path outside the context). The last instruction that covers p wins, as
// in a build.
func CopiedFrom(copies []TargetCopy, context, p string) (candidates []string, covered bool) {
	for i := len(copies) - 1; i >= 0; i-- {
		c := copies[i]
		dest := path.Clean(c.Dest)
		intoDir := strings.HasSuffix(c.Dest, "/") || len(c.Sources) > 1
		if dest != p && dest != "/" && !strings.HasPrefix(p, dest+"/") { // dest does not hold p
			continue
		}
		for _, src := range c.Sources {
			if strings.ContainsAny(src, "*?[$") || strings.Contains(src, "://") {
				return nil, true
			}
			host := filepath.Join(context, filepath.FromSlash(src))
			switch {
			case dest == p && !intoDir:
				candidates = append(candidates, host) // a file copied to p
			case dest == p:
				// a directory at p: nothing to read as a file
			default:
				rel := strings.TrimPrefix(p, dest+"/")
				candidates = append(candidates, filepath.Join(host, filepath.FromSlash(rel))) // a directory's contents
				if intoDir && rel == path.Base(src) {
					candidates = append(candidates, host) // a file copied into the directory
				}
			}
		}
		return candidates, true
	}
	return nil, false
}
