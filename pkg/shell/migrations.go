package shell

import (
	"path"
	"strings"
)

// MatchMigration is a Matcher of commands that run database migrations
// (`manage.py migrate`, `alembic upgrade`, `rails db:migrate`, …); checks
// and plans (`migrate --check`, `--plan`) do not count.
func MatchMigration(words []string) (start, end int, ok bool) {
	for i, w := range words {
		if m := migrators[strings.ToLower(path.Base(w))]; m != nil {
			if end, ok := m(words, i); ok {
				return 0, end, true
			}
		}
	}
	return 0, 0, false
}

// migrators match the words after the program words[i], by program name;
// each returns the end of the span that says "migrate".
var migrators = map[string]func(words []string, i int) (end int, ok bool){
	"manage.py":                djangoMigrate,
	"django-admin":             djangoMigrate,
	"django-admin.py":          djangoMigrate,
	"django":                   pythonMDjangoMigrate,
	"alembic":                  after("upgrade", 2),
	"flask":                    pair("db", "upgrade"),
	"rails":                    railsMigrate,
	"rake":                     railsMigrate,
	"prisma":                   prismaMigrate,
	"artisan":                  artisanMigrate,
	"sequelize":                after("db:migrate", 1),
	"sequelize-cli":            after("db:migrate", 1),
	"knex":                     after("migrate:latest", 1, "migrate:up"),
	"goose":                    after("up", 1, "up-by-one", "up-to"),
	"migrate":                  golangMigrate,
	"dbmate":                   after("up", 1, "migrate"),
	"flyway":                   after("migrate", 1),
	"liquibase":                after("update", 1),
	"diesel":                   pair("migration", "run"),
	"sqlx":                     pair("migrate", "run"),
	"typeorm":                  after("migration:run", 1),
	"typeorm-ts-node-commonjs": after("migration:run", 1),
	"typeorm-ts-node-esm":      after("migration:run", 1),
	"console":                  after("doctrine:migrations:migrate", 1),
	"mix":                      after("ecto.migrate", 1),
	"atlas":                    pair("migrate", "apply"),
	"kong":                     kongMigrate,
}

// subcommand returns the first word after i that is not an option, or -1.
func subcommand(words []string, i int) int {
	for j := i + 1; j < len(words); j++ {
		if !strings.HasPrefix(words[j], "-") {
			return j
		}
	}
	return -1
}

// find returns the index of the first of want at or after from, or -1.
func find(words []string, from int, want ...string) int {
	for j := from; j < len(words); j++ {
		for _, w := range want {
			if words[j] == w {
				return j
			}
		}
	}
	return -1
}

// hasFlag tells whether one of flags (or flag=value) is at or after from.
func hasFlag(words []string, from int, flags ...string) bool {
	for j := from; j < len(words); j++ {
		for _, f := range flags {
			if words[j] == f || strings.HasPrefix(words[j], f+"=") {
				return true
			}
		}
	}
	return false
}

// after matches a program followed (anywhere) by one of words; the span
// ends span words after it (alembic upgrade head: 2).
func after(word string, span int, more ...string) func([]string, int) (int, bool) {
	want := append([]string{word}, more...)
	return func(words []string, i int) (int, bool) {
		if j := find(words, i+1, want...); j > 0 {
			return min(j+span, len(words)), true
		}
		return 0, false
	}
}

// pair matches a program followed by first, then second right after it.
func pair(first, second string) func([]string, int) (int, bool) {
	return func(words []string, i int) (int, bool) {
		if j := find(words, i+1, first); j > 0 && j+1 < len(words) && words[j+1] == second {
			return j + 2, true
		}
		return 0, false
	}
}

func djangoMigrate(words []string, i int) (int, bool) {
	j := subcommand(words, i)
	if j > 0 && (words[j] == "migrate" || words[j] == "migrate_schemas") && !hasFlag(words, j, "--check", "--plan", "--list", "-l") {
		return j + 1, true
	}
	return 0, false
}

// pythonMDjangoMigrate: python -m django migrate.
func pythonMDjangoMigrate(words []string, i int) (int, bool) {
	if i == 0 || words[i-1] != "-m" {
		return 0, false
	}
	if j := subcommand(words, i); j > 0 && words[j] == "migrate" && !hasFlag(words, j, "--check", "--plan") {
		return j + 1, true
	}
	return 0, false
}

func railsMigrate(words []string, i int) (int, bool) {
	for j := i + 1; j < len(words); j++ {
		if strings.HasPrefix(words[j], "db:migrate") && words[j] != "db:migrate:status" || words[j] == "db:prepare" || words[j] == "db:setup" {
			return j + 1, true
		}
	}
	return 0, false
}

func prismaMigrate(words []string, i int) (int, bool) {
	j := subcommand(words, i)
	if j > 0 && j+1 < len(words) {
		if (words[j] == "migrate" && (words[j+1] == "deploy" || words[j+1] == "dev")) || (words[j] == "db" && words[j+1] == "push") {
			return j + 2, true
		}
	}
	return 0, false
}

func artisanMigrate(words []string, i int) (int, bool) {
	j := subcommand(words, i)
	if j > 0 && (words[j] == "migrate" || strings.HasPrefix(words[j], "migrate:") && words[j] != "migrate:status" && words[j] != "migrate:install") {
		return j + 1, true
	}
	return 0, false
}

// golangMigrate: migrate -path … -database … up, as the program itself.
func golangMigrate(words []string, i int) (int, bool) {
	if i != 0 {
		return 0, false
	}
	return after("up", 1)(words, i)
}

func kongMigrate(words []string, i int) (int, bool) {
	j := subcommand(words, i)
	if j > 0 && words[j] == "migrations" && j+1 < len(words) && (words[j+1] == "up" || words[j+1] == "bootstrap" || words[j+1] == "finish") {
		return j + 2, true
	}
	return 0, false
}
