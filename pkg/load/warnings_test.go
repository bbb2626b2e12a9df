package load

import (
	"fmt"
	"strings"
	"sync"
	"testing"

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
