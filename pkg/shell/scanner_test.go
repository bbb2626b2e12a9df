package shell

import (
	"strings"
	"testing"
)

func TestMatchMigration(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		want bool
	}{
		{"python manage.py migrate", true},
		{"python /code/manage.py migrate --noinput", true},
		{"./manage.py migrate_schemas --shared", true},
		{"django-admin migrate --settings=server.settings", true},
		{"python -m django migrate", true},
		{"poetry run python manage.py migrate", true},
		{"alembic -c alembic.ini upgrade head", true},
		{"python -m alembic upgrade head", true},
		{"flask --app app db upgrade", true},
		{"bin/rails db:migrate", true},
		{"bundle exec rake db:migrate", true},
		{"rails db:prepare", true},
		{"npx prisma migrate deploy", true},
		{"prisma db push", true},
		{"php artisan migrate --force", true},
		{"php artisan migrate:fresh --seed", true},
		{"npx sequelize-cli db:migrate", true},
		{"knex migrate:latest", true},
		{"goose -dir db/migrations postgres $DSN up", true},
		{"migrate -path /migrations -database $DATABASE_URL up", true},
		{"dbmate up", true},
		{"flyway -url=jdbc:x migrate", true},
		{"liquibase update", true},
		{"diesel migration run", true},
		{"sqlx migrate run", true},
		{"npx typeorm migration:run -d dist/data-source.js", true},
		{"php bin/console doctrine:migrations:migrate --no-interaction", true},
		{"mix ecto.migrate", true},
		{"atlas migrate apply --url $URL", true},
		{"kong migrations up", true},

		{"python manage.py migrate --check", false},
		{"python manage.py migrate --plan", false},
		{"python manage.py showmigrations", false},
		{"python manage.py makemigrations --check --dry-run", false},
		{"python manage.py runserver 0.0.0.0:8000", false},
		{"alembic current", false},
		{"flask run", false},
		{"rails db:migrate:status", false},
		{"prisma generate", false},
		{"php artisan migrate:status", false},
		{"knex migrate:make add_users", false},
		{"goose status", false},
		{"kong migrations list", false},
		{"gunicorn server.wsgi", false},
	} {
		_, _, got := MatchMigration(strings.Fields(tc.cmd))
		if got != tc.want {
			t.Errorf("MatchMigration(%q) = %v, want %v", tc.cmd, got, tc.want)
		}
	}
}

func TestCommandStart(t *testing.T) {
	for _, tc := range []struct {
		cmd, prog string
	}{
		{"exec gunicorn app", "gunicorn"},
		{"env -i A=1 B=2 python manage.py migrate", "python"},
		{"tini -s -- /entrypoint.sh web", "/entrypoint.sh"},
		{"gosu app python manage.py migrate", "python"},
		{"wait-for-it db:5432 -t 30 -- ./start.sh", "./start.sh"},
		{"timeout 30s sh -c x", "sh"},
		{"DJANGO_ENV=production python manage.py migrate", "python"},
		{"wait-for-it db:5432", ""},
	} {
		words := strings.Fields(tc.cmd)
		i := commandStart(words)
		got := ""
		if i < len(words) {
			got = words[i]
		}
		if got != tc.prog {
			t.Errorf("commandStart(%q) = %q, want %q", tc.cmd, got, tc.prog)
		}
	}
}

func TestScannerScript(t *testing.T) {
	files := map[string]string{
		"/p/entrypoint.sh": "#!/bin/bash\nset -e\n\nrun_migrations() {\n  python manage.py migrate\n}\n\ncase \"$1\" in\n  web) run_migrations; exec gunicorn app ;;\n  worker) exec celery worker ;;\n  *) exec \"$@\" ;;\nesac\n",
		"/p/tool.py":       "#!/usr/bin/env python\nimport os\nos.system('python manage.py migrate')\n",
		"/p/broken.sh":     "#!/bin/sh\nif [ ; then\necho hi\nalembic upgrade head\n",
	}
	scan := func(argv ...string) []Hit {
		s := &Scanner{
			Resolve: func(p string) string {
				p = "/p/" + strings.TrimPrefix(strings.TrimPrefix(p, "./"), "/p/")
				if _, ok := files[p]; ok {
					return p
				}
				return ""
			},
			Read:  func(abs string) []byte { return []byte(files[abs]) },
			Match: MatchMigration,
		}
		return s.ScanArgv(argv)
	}
	if h := scan("./entrypoint.sh", "web"); len(h) != 1 || h[0].File != "/p/entrypoint.sh" || h[0].Line != 5 || h[0].Text != "python manage.py migrate" {
		t.Errorf("entrypoint.sh web: %+v", h)
	}
	if h := scan("./entrypoint.sh", "worker"); len(h) != 0 {
		t.Errorf("entrypoint.sh worker: %+v", h)
	}
	// exec "$@" runs the compose command, which the rule reads on its own:
	// the hit is on the argv, not in the script.
	if h := scan("./entrypoint.sh", "python", "manage.py", "migrate"); len(h) != 1 || h[0].File != "" || h[0].ArgIdx != 3 {
		t.Errorf(`exec "$@": %+v`, h)
	}
	if h := scan("./tool.py"); len(h) != 0 {
		t.Errorf("a Python script is not read as shell: %+v", h)
	}
	if h := scan("sh", "broken.sh"); len(h) != 1 || h[0].Line != 4 {
		t.Errorf("a script that does not parse is read line by line: %+v", h)
	}
	if h := scan("bash", "-lc", "cd /app && python manage.py migrate && exec gunicorn"); len(h) != 1 || h[0].ArgIdx != 2 || h[0].File != "" {
		t.Errorf("bash -lc body: %+v", h)
	}
}
