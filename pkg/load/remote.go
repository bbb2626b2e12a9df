package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/loader"
)

// RemoteInclude is the rule that reports an include of a remote project.
const RemoteInclude = "remote-include"

// isRemote tells the references compose-go would fetch: OCI artifacts and git
// repositories.
func isRemote(ref string) bool {
	return strings.HasPrefix(ref, "oci://") || strings.Contains(ref, "://") || strings.HasPrefix(ref, "git@")
}

// remoteStub stands in for remote resources: composelint never goes to the
// network, so an included remote project counts as one without services,
// and the rest of the environment still loads.
type remoteStub struct {
	seen func(ref string)
}

var (
	stubOnce sync.Once
	stubPath string
	stubErr  error
)

// stubFile is a compose file without services, written once per process.
func stubFile() (string, error) {
	stubOnce.Do(func() {
		dir, err := os.MkdirTemp("", "composelint-remote-")
		if err != nil {
			stubErr = err
			return
		}
		stubPath = filepath.Join(dir, "compose.yaml")
		stubErr = os.WriteFile(stubPath, []byte("services: {}\n"), 0o644)
	})
	return stubPath, stubErr
}

func (r remoteStub) Accept(path string) bool { return isRemote(path) }

func (r remoteStub) Load(_ context.Context, ref string) (string, error) {
	r.seen(ref)
	return stubFile()
}

func (r remoteStub) Dir(path string) string { return filepath.Dir(path) }

var _ loader.ResourceLoader = remoteStub{}
