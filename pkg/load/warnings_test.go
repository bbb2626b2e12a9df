package load

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/compose-spec/compose-go/v2/template"

	"github.com/composelint/composelint/pkg/source"
)

// Loads running at once each see the warnings compose-go logged for them,
// none of another's.
func TestWarningsOfParallelLoads(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	var wg sync.WaitGroup
	got := make([][]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				path := fmt.Sprintf("%s/compose%d.yaml", dir, i)
				content := fmt.Sprintf("services:\n  web:\n    image: nginx:${TAG_%d}\n", i)
				r := Load(Input{Name: "development", WorkingDir: dir, Files: []*source.File{source.ParseYAML(path, []byte(content))}})
				got[i] = nil
				for _, p := range r.Problems {
					got[i] = append(got[i], p.Message)
				}
			}
		}()
	}
	wg.Wait()
	for i, msgs := range got {
		want := fmt.Sprintf("variable TAG_%d is not set", i)
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], want) {
			t.Errorf("load %d: %q, want one %q", i, msgs, want)
		}
	}
}

// An unset variable in a block scalar (plane's minio entrypoint) is found
// at the variable, not at the `>` that opens the scalar: three variables
// of one entrypoint are three places.
func TestUnsetVariableInBlockScalar(t *testing.T) {
	content := "services:\n  minio:\n    image: minio/minio:RELEASE.2025-04-22T22-12-26Z\n    entrypoint: >\n" +
		"      /bin/sh -c \"\n      mkdir -p /export/${BUCKET} &&\n      mc alias set m http://localhost:9000 ${ACCESS_KEY} $SECRET_KEY\n      \"\n"
	checkUnsetAt(t, content, map[string]source.Range{
		"BUCKET":     {Start: source.Pos{Line: 6, Col: 24}, End: source.Pos{Line: 6, Col: 33}},
		"ACCESS_KEY": {Start: source.Pos{Line: 7, Col: 44}, End: source.Pos{Line: 7, Col: 57}},
		"SECRET_KEY": {Start: source.Pos{Line: 7, Col: 58}, End: source.Pos{Line: 7, Col: 69}},
	})
}

// checkUnsetAt loads content and wants a finding for each unset variable
// of want, at its range, and no other.
func checkUnsetAt(t *testing.T, content string, want map[string]source.Range) {
	t.Helper()
	r := Load(Input{Name: "development", WorkingDir: t.TempDir(), Files: []*source.File{source.ParseYAML("/p/compose.yaml", []byte(content))}})
	for _, p := range r.Problems {
		name := strings.Fields(p.Message)[1]
		if w, ok := want[name]; !ok || p.Range != w {
			t.Errorf("%s at %v, want %v", p.Message, p.Range, w)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v", want)
	}
}

// collector.substitute gives what compose-go's substitution gives, and notes
// the unset variables compose-go would have logged, no more, no less.
func TestSubstituteNotesWhatComposeGoLogs(t *testing.T) {
	env := map[string]string{"SET": "v", "EMPTY": ""}
	mapping := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	for _, tmpl := range []string{
		"plain", "$UNSET", "${UNSET}", "$SET ${SET} $UNSET ${UNSET2}", "$$UNSET", "$${UNSET}",
		"${UNSET:-x}", "${UNSET-x}", "${UNSET:+x}", "${UNSET+x}", "${SET:+$UNSET}", "${UNSET:-${UNSET2}}",
		"${EMPTY}", "${EMPTY:-x}", "${UNSET:?needed}", "${UNSET?}", "${SET}${UNSET}x${UNSET}", "${", "${UNSET",
		"a${SET}b$UNSET-c", "${UNSET_A}_${UNSET_B}",
	} {
		var want, got string
		var wantErr, gotErr error
		logged := captureWarnings(func(*collector) { want, wantErr = template.Substitute(tmpl, mapping) })
		noted := captureWarnings(func(c *collector) { got, gotErr = c.substitute(tmpl, mapping) })
		if got != want || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%q: %q, %v; compose-go: %q, %v", tmpl, got, gotErr, want, wantErr)
		}
		if !slices.Equal(noted, logged) {
			t.Errorf("%q: warnings %q; compose-go logs %q", tmpl, noted, logged)
		}
	}
}

// Two unset variables of one line (BookWyrm's redis command) are two
// places, each at its variable.
func TestUnsetVariablesOfOneLine(t *testing.T) {
	content := "services:\n  redis:\n    image: redis:7.2.1\n    command: redis-server --requirepass ${PASS} --port ${PORT}\n"
	checkUnsetAt(t, content, map[string]source.Range{
		"PASS": {Start: source.Pos{Line: 4, Col: 41}, End: source.Pos{Line: 4, Col: 48}},
		"PORT": {Start: source.Pos{Line: 4, Col: 56}, End: source.Pos{Line: 4, Col: 63}},
	})
}
