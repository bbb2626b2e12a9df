package services

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestHealthcheck(t *testing.T) {
	for _, tc := range []struct {
		h    *types.HealthCheckConfig
		want bool
	}{
		{nil, false},
		{&types.HealthCheckConfig{Test: []string{"CMD", "true"}}, true},
		{&types.HealthCheckConfig{Test: []string{"NONE"}}, false},
		{&types.HealthCheckConfig{Test: []string{"CMD", "true"}, Disable: true}, false},
		{&types.HealthCheckConfig{}, false},
	} {
		if got := HasHealthcheck(tc.h); got != tc.want {
			t.Errorf("HasHealthcheck(%+v) = %v", tc.h, got)
		}
	}
	proj := project(map[string]string{
		"/project/a/Dockerfile": "FROM python AS base\nHEALTHCHECK CMD curl -f http://localhost/\nFROM base\n",
		"/project/b/Dockerfile": "FROM a\nHEALTHCHECK NONE\n",
	})
	for _, tc := range []struct {
		svc        types.ServiceConfig
		has, known bool
	}{
		{built("a", "/project/a", ""), true, true}, // inherited from the stage it is built FROM
		{built("b", "/project/b", ""), false, true},
		{built("c", "/project/c", ""), false, false},
		{image("d", "postgres"), false, false},
	} {
		if has, known := DockerfileHealthcheck(proj, tc.svc); has != tc.has || known != tc.known {
			t.Errorf("%s: DockerfileHealthcheck = %v %v, want %v %v", tc.svc.Name, has, known, tc.has, tc.known)
		}
	}
}
