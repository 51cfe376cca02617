#!/usr/bin/env bash
# Rebuild the upgrade fixtures in tests/fixtures/releases/ from the earlier releases' own code, on SQLite and on a
# throwaway PostgreSQL (run it under .ci/with-postgres, which sets TEST_DATABASE_URL):
#   bash .ci/with-postgres bash tools/make_release_fixtures.sh 7042bd6 b09440d a645432
# For each release: <sha>.sqlite.sql.gz (sqlite3 .dump), <sha>.pg.sql.gz (pg_dump --inserts) and <sha>.<db>.json
# (the form one respondent sent with that release). A new release adds its commit here and in tests/test_upgrades.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/fixtures/releases"
py="$root/.venv/bin/python"
export SECRET_KEY=$(cat "$out/SECRET_KEY")
: "${TEST_DATABASE_URL:?run under .ci/with-postgres}"
pg_url=${TEST_DATABASE_URL/postgresql+psycopg:/postgresql:}
for sha in "$@"; do
  work=$(mktemp -d); trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true' EXIT
  git -C "$root" worktree add --detach "$work/src" "$sha" >/dev/null
  (cd "$work/src" && "$root/.venv/bin/pybabel" compile -d translations >/dev/null 2>&1 || true)
  (cd "$work/src" && SURVEYAPP_INSTANCE="$work/instance" DATABASE_URL="sqlite:///$work/release.db" \
     "$py" "$root/tools/make_release_fixture.py" "$out/$sha.sqlite.json")
  sqlite3 "$work/release.db" .dump | gzip -9n > "$out/$sha.sqlite.sql.gz"
  psql -q "$pg_url" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
  (cd "$work/src" && SURVEYAPP_INSTANCE="$work/instance" DATABASE_URL="$TEST_DATABASE_URL" \
     "$py" "$root/tools/make_release_fixture.py" "$out/$sha.pg.json")
  pg_dump --inserts --no-owner --no-privileges "$pg_url" | gzip -9n > "$out/$sha.pg.sql.gz"
  git -C "$root" worktree remove --force "$work/src"
  if [ "$sha" = 7042bd6 ]; then
    # A 2026.11.0 file that 2026.12.1 (a645432) stopped half-way on, as its upgrade left it.
    git -C "$root" worktree add --detach "$work/broken" a645432 >/dev/null
    zcat "$out/$sha.sqlite.sql.gz" | sqlite3 "$work/half.db"
    (cd "$work/broken" && SURVEYAPP_INSTANCE="$work/instance" DATABASE_URL="sqlite:///$work/half.db" \
       "$py" -m flask --app app db upgrade >/dev/null 2>&1) && { echo "expected 2026.12.1 to fail"; exit 1; }
    sqlite3 "$work/half.db" .dump | gzip -9n > "$out/$sha-interrupted.sqlite.sql.gz"
    git -C "$root" worktree remove --force "$work/broken"
  fi
  rm -rf "$work"
  echo "release $sha: $(ls -s --block-size=K "$out/$sha".* | tr '\n' ' ')"
done
