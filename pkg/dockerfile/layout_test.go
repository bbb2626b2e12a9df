package dockerfile

import "testing"

func TestLayoutHostPath(t *testing.T) {
	dir := t.TempDir()
	l := Layout{Copies: []Copy{
		{Srcs: []string{dir + "/docker/start.sh"}, Dest: "/usr/local/bin/start-app.sh"},
		{Srcs: []string{dir + "/scripts/a.sh", dir + "/scripts/b.sh"}, Dest: "/opt/"},
	}}
	if got := l.HostPath("/usr/local/bin/start-app.sh"); len(got) != 1 || got[0] != dir+"/docker/start.sh" {
		t.Errorf("file copy: %q", got)
	}
	if got := l.HostPath("/opt/b.sh"); len(got) != 1 || got[0] != dir+"/scripts/b.sh" {
		t.Errorf("copy into a directory: %q", got)
	}
}
