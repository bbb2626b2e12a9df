package envvars

import (
	"testing"

	"github.com/composelint/composelint/pkg/source"
)

func TestKeyRange(t *testing.T) {
	f := source.New("/x/.env", []byte("# DB_HOST=commented\nDB_HOSTNAME=x\n  export DB_HOST = a\nDB_HOST=b\nOTHER=DB_HOST=c\n"))
	r, ok := keyRange(f, "DB_HOST")
	if !ok || r.Start.Line != 4 || r.Start.Col != 1 || r.End.Col != 8 {
		t.Errorf("got %v %v, want line 4, columns 1-8", r, ok)
	}
	f = source.New("/x/.env", []byte("  export DB_HOST = a\n"))
	if r, ok := keyRange(f, "DB_HOST"); !ok || r.Start.Col != 10 || r.End.Col != 17 {
		t.Errorf("got %v %v, want columns 10-17", r, ok)
	}
	if _, ok := keyRange(source.New("/x/.env", []byte("DB_HOSTS=a\n")), "DB_HOST"); ok {
		t.Error("DB_HOSTS matched DB_HOST")
	}
}
