package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decided is what discovery decided on a cookiecutter-django project in
// /p/site, linted from /p: both environments and one note.
func decided() Options {
	return Options{Cwd: "/p", Environments: []string{"development", "production"},
		Linted: []Environment{
			{Name: "development", Files: []string{"/p/site/local.yml"}},
			{Name: "production", Files: []string{"/p/site/production.yml"}},
		},
		Notes: []Note{{Msg: "production.yml is linted on its own; if it overlays docker-compose.yml",
			Config: "/p/site/.composelint.yaml", Line: "environments: {production: [docker-compose.yml, production.yml]}"}},
	}
}

const decidedNote = "production.yml is linted on its own; if it overlays docker-compose.yml, write in site/.composelint.yaml: " +
	"environments: {production: [docker-compose.yml, production.yml]}"

func TestTextSummaryNamesEnvironmentsAndNotes(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, nil, decided()); err != nil {
		t.Fatal(err)
	}
	want := "linted development (site/local.yml) and production (site/production.yml)\n" +
		"note: " + decidedNote + "\n" +
		"no problems found\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	o := decided()
	o.Quiet = true
	b.Reset()
	if err := Text(&b, nil, o); err != nil || b.Len() != 0 {
		t.Errorf("--quiet: %q, %v", b.String(), err)
	}
}

func TestJSONNamesEnvironmentsAndNotes(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil, decided()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Environments []jsonEnvironment `json:"environments"`
		Notes        []jsonNote        `json:"notes"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []jsonEnvironment{{Name: "development", Files: []string{"site/local.yml"}}, {Name: "production", Files: []string{"site/production.yml"}}}
	if diff := cmp.Diff(want, doc.Environments); diff != "" {
		t.Errorf("environments (-want +got):\n%s", diff)
	}
	if len(doc.Notes) != 1 || doc.Notes[0].Config != "site/.composelint.yaml" || !strings.HasPrefix(doc.Notes[0].Line, "environments: ") {
		t.Errorf("notes %+v", doc.Notes)
	}
	// Without discovery (no environments known) the keys are still there.
	b.Reset()
	if err := JSON(&b, nil, Options{}); err != nil || !strings.Contains(b.String(), `"environments": []`) || !strings.Contains(b.String(), `"notes": []`) {
		t.Errorf("empty run: %s %v", b.String(), err)
	}
}

func TestSARIFRunNamesEnvironmentsAndNotes(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, nil, decided()); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Level   string
					Message struct{ Text string }
				}
			}
			Properties struct{ Environments []jsonEnvironment }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Properties.Environments) != 2 || run.Properties.Environments[1].Files[0] != "site/production.yml" {
		t.Errorf("run properties %+v", run.Properties)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful ||
		len(run.Invocations[0].ToolExecutionNotifications) != 1 || run.Invocations[0].ToolExecutionNotifications[0].Message.Text != decidedNote {
		t.Errorf("invocations %+v", run.Invocations)
	}
}

func TestGitHubLogsEnvironmentsAndNotices(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, nil, decided()); err != nil {
		t.Fatal(err)
	}
	want := "::notice title=composelint::linted development (site/local.yml) and production (site/production.yml)\n" +
		"::notice title=composelint::" + decidedNote + "\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestJUnitSuiteProperties(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, nil, decided()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Properties []junitProperty `xml:"properties>property"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := []junitProperty{{"environment.development", "site/local.yml"}, {"environment.production", "site/production.yml"}, {"note", decidedNote}}
	if diff := cmp.Diff(want, doc.Suites[0].Properties); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
}
