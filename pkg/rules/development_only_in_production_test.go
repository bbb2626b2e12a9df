package rules

import "testing"

func TestDevonlyDevServer(t *testing.T) {
	for cmd, want := range map[string]string{
		"python manage.py runserver 0.0.0.0:8000": "Django's `runserver`",
		"python manage.py runserver_plus":         "Django's `runserver`",
		"gunicorn --reload app:wsgi":              "auto-reload, `--reload`",
		"/usr/local/bin/nodemon index.js":         "`nodemon`",
		"sh -c 'npm install && npm run dev'":      "`npm run dev`",
		"yarn run dev":                            "`yarn dev`",
		"pnpm dev":                                "`pnpm dev`",
		"next dev -p 3000":                        "`next dev`",
		"flask run --reload":                      "`flask run --debug`",
		"rails server --environment=development":  "`rails server -e development`",
		"bin/rails s -e development":              "`rails server -e development`",
		"gunicorn server.wsgi":                    "",
		"npm run build":                           "",
		"npm run develop-docs-build":              "",
		"next start":                              "",
		"flask run":                               "",
		"rails server -e production":              "",
		"rails console -e development":            "",
		"echo runserverless":                      "",
		"nginx -s reload":                         "",
	} {
		if got := devonlyDevServer([]string{cmd}); got != want {
			t.Errorf("devonlyDevServer(%q) = %q, want %q", cmd, got, want)
		}
	}
}
