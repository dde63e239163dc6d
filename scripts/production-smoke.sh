#!/usr/bin/env bash
# The production profile, end to end: PostgreSQL, Redis (cache, sessions, task queue), gunicorn
# with 3 workers and `accord worker`. Builds a fresh database `accord_prod_smoke`, serves it on
# 127.0.0.1:8765, checks /healthz, the login, the API with a token and a background task, then
# stops both processes. Exits non-zero, saying what failed, on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ACCORD="${ACCORD:-$PWD/.venv/bin/accord}"
PORT=8765
BASE="http://127.0.0.1:$PORT"
DB=accord_prod_smoke
REDIS_DB=7 # a Redis database of its own: the smoke run empties it
WORK="$(mktemp -d)"
SERVE_PID=""
WORKER_PID=""

say() { echo "production-smoke: $*"; }
fail() {
  echo "production-smoke: FAILED: $*" >&2
  for log in "$WORK"/serve.log "$WORK"/worker.log; do
    if [ -s "$log" ]; then
      echo "--- last lines of $(basename "$log") ---" >&2
      tail -n 25 "$log" >&2
    fi
  done
  exit 1
}
# stop PID SECONDS: SIGTERM, then wait; STOPPED is its exit status, or "timeout" (then killed).
STOPPED=""
stop() {
  local pid="$1" limit="$2"
  STOPPED=0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$((limit * 10))"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    STOPPED=timeout
  fi
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  [ "$STOPPED" = timeout ] || STOPPED=$status
}
cleanup() {
  if [ -n "$WORKER_PID" ]; then stop "$WORKER_PID" 5; fi
  if [ -n "$SERVE_PID" ]; then stop "$SERVE_PID" 5; fi
  if [ -n "${KEEP_SMOKE_LOGS:-}" ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ -x "$ACCORD" ] || fail "no $ACCORD: run \`make install\` first"

# Services: PostgreSQL and Redis, started when they are not running.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || fail "PostgreSQL is not running on 127.0.0.1:5432"
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || fail "Redis is not running on 127.0.0.1:6379"

say "fresh database $DB, Redis database $REDIS_DB"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

export DJANGO_SETTINGS_MODULE=accord.settings.production
export ACCORD_DATA_DIR="$WORK/data"
export ACCORD_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export ACCORD_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export ACCORD_SECRET_KEY
ACCORD_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ACCORD_ALLOWED_HOSTS=127.0.0.1,localhost
unset ACCORD_DEBUG ACCORD_WORKERS

"$ACCORD" migrate --no-input -v 0 || fail "accord migrate"
"$ACCORD" load-demo >/dev/null || fail "accord load-demo"
PASSWORD="smoke-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
echo "$PASSWORD" | "$ACCORD" createuser smoke --role viewer --password-stdin >/dev/null \
  || fail "accord createuser"
TOKEN="$("$ACCORD" token create smoke 2>/dev/null | tail -n 1)"
[ -n "$TOKEN" ] || fail "accord token create printed no token"

say "starting accord serve (3 workers) and accord worker"
"$ACCORD" serve --host 127.0.0.1 --port "$PORT" --workers 3 >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
"$ACCORD" worker >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

status=""
for _ in $(seq 1 60); do
  kill -0 "$SERVE_PID" 2>/dev/null || fail "accord serve exited"
  status="$(curl -s -o "$WORK/health.json" -w '%{http_code}' --max-time 5 "$BASE/healthz" || true)"
  [ "$status" = 200 ] && break
  sleep 1
done
[ "$status" = 200 ] || fail "/healthz answered ${status:-nothing} within 60 s: $(cat "$WORK/health.json" 2>/dev/null)"
python3 - "$WORK/health.json" <<'PY' || fail "/healthz: $(cat "$WORK/health.json")"
import json, sys
body = json.load(open(sys.argv[1]))
assert body["status"] == "ok", body
assert body["database"]["engine"] == "postgresql", body
assert body["cache"]["backend"] == "RedisCache", body
assert body["tasks"]["backend"] == "RQBackend", body
PY
say "/healthz is ok: $(cat "$WORK/health.json")"

workers="$(pgrep -P "$SERVE_PID" | wc -l)"
[ "$workers" = 3 ] || fail "gunicorn runs $workers workers, not 3"

# The login page, then a login whose session every worker knows (sessions in Redis + database).
JAR="$WORK/cookies"
status="$(curl -s -c "$JAR" -o "$WORK/login.html" -w '%{http_code}' --max-time 10 "$BASE/login/")"
[ "$status" = 200 ] || fail "GET /login/ answered $status"
CSRF="$(awk '$6 == "csrftoken" {print $7}' "$JAR")"
[ -n "$CSRF" ] || fail "the login page set no CSRF cookie"
status="$(curl -s -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code}' --max-time 10 \
  -H "Referer: $BASE/login/" --data-urlencode "csrfmiddlewaretoken=$CSRF" \
  --data-urlencode "username=smoke" --data-urlencode "password=$PASSWORD" "$BASE/login/")"
[ "$status" = 302 ] || fail "logging in answered $status, not a redirect"
for _ in 1 2 3 4 5 6; do
  status="$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/")"
  [ "$status" = 200 ] || fail "the dashboard answered $status to a logged-in user"
done
say "login page 200, logged in, dashboard 200 six times"

status="$(curl -s -o "$WORK/api.json" -w '%{http_code}' --max-time 10 \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/organizations/SCO/members")"
[ "$status" = 200 ] || fail "the API answered $status with a token"
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); assert b["count"] > 0, b' \
  "$WORK/api.json" || fail "the API listed no SCO members: $(head -c 300 "$WORK/api.json")"
status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/api/v1/organizations/SCO/members")"
[ "$status" = 401 ] || fail "the API answered $status without a token, not 401"
say "API 200 with a token, 401 without"

# A task enqueued from the command line is done by the running worker.
TASK_ID="$("$ACCORD" cleanup --background 2>/dev/null | tail -n 1)"
[ -n "$TASK_ID" ] || fail "accord cleanup --background printed no task id"
task_status=""
for _ in $(seq 1 30); do
  task_status="$("$ACCORD" shell -c "from django_tasks import default_task_backend as b; print(b.get_result('$TASK_ID').status)" 2>/dev/null | tail -n 1)"
  [ "$task_status" = SUCCESSFUL ] && break
  kill -0 "$WORKER_PID" 2>/dev/null || fail "accord worker exited"
  sleep 1
done
[ "$task_status" = SUCCESSFUL ] || fail "task $TASK_ID is ${task_status:-unknown} after 30 s, not done"
say "background task $TASK_ID done by the worker"

grep -q '"logger": "accord.access".*"path": "/api/v1/organizations/SCO/members".*"status": 200' \
  "$WORK/serve.log" || fail "no JSON access log line for the API request"
if grep -q Traceback "$WORK/serve.log"; then fail "a traceback in the server log"; fi

say "stopping (SIGTERM)"
stop "$WORKER_PID" 30
WORKER_PID=""
[ "$STOPPED" = 0 ] || fail "accord worker did not stop cleanly on SIGTERM (exit status $STOPPED)"
stop "$SERVE_PID" 40
SERVE_PID=""
[ "$STOPPED" = 0 ] || fail "accord serve did not stop cleanly on SIGTERM (exit status $STOPPED)"

# Without Redis: the same task through the database queue, run by a worker that then exits.
say "database task queue (no Redis)"
unset ACCORD_REDIS_URL
"$ACCORD" migrate --no-input -v 0 || fail "accord migrate without Redis (cache table)"
TASK_ID="$("$ACCORD" cleanup --background 2>/dev/null | tail -n 1)"
"$ACCORD" worker --batch -v 0 || fail "accord worker --batch on the database queue"
task_status="$("$ACCORD" shell -c "from django_tasks import default_task_backend as b; print(b.get_result('$TASK_ID').status)" 2>/dev/null | tail -n 1)"
[ "$task_status" = SUCCESSFUL ] || fail "database task $TASK_ID is ${task_status:-unknown}"

say "all checks passed"
