#!/usr/bin/env bash
# make loadtest: the production server (gunicorn, DEBUG off, collected static files) on 127.0.0.1
# with a fresh seeded database, Locust headless against it for a bounded time, then the figures.
#   LOADTEST_DATABASE_URL   the database (default: a fresh SQLite file in var/); a postgres://
#                           database is dropped and made again
#   LOADTEST_SECONDS        how long (default 30), LOADTEST_USERS (default 20), LOADTEST_PORT
#   LOADTEST_KILL=1         PostgreSQL only: kill every app connection twice a second meanwhile
set -euo pipefail
cd "$(dirname "$0")/../.."

port=${LOADTEST_PORT:-8107}
seconds=${LOADTEST_SECONDS:-30}
users=${LOADTEST_USERS:-20}
url=${LOADTEST_DATABASE_URL:-sqlite:///$PWD/var/loadtest.sqlite3}
mkdir -p var
if [[ "$url" == postgres* ]]; then
    db=${url##*/}
    psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
else
    rm -f var/loadtest.sqlite3 var/loadtest.sqlite3-wal var/loadtest.sqlite3-shm
fi
export DATABASE_URL=$url DEBUG=0 SECRET_KEY="loadtest-only-not-a-secret-$RANDOM$RANDOM"
export DJANGO_SETTINGS_MODULE=bench.loadtest.settings
# Every simulated client comes from 127.0.0.1: lift the per-address limits for this server only.
export API_ANON_RATE=100000000/min API_USER_RATE=100000000/min
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py load_seed >/dev/null
$py manage.py collectstatic --noinput -v0
$py manage.py shell -v0 -c "
from django.contrib.auth.models import Group, User
user, _ = User.objects.get_or_create(username='loadtest-desk', defaults={'is_staff': True})
user.groups.add(Group.objects.get(name='Fact-checkers'), Group.objects.get(name='Editors'))
"
export LOADTEST_TOKEN=$($py manage.py issue_token loadtest-desk --name loadtest 2>/dev/null)
export LOADTEST_ARTICLE_SLUG=$($py manage.py shell -v0 -c "from claims.models import Article; print(Article.objects.order_by('id').first().slug)")
ids() { $py manage.py shell -v0 -c "from claims.models import Claim; print(','.join(str(i) for i in Claim.objects.$1.values_list('id', flat=True)))"; }
export LOADTEST_CLAIM_IDS=$(ids "filter(review_state='published')")
export LOADTEST_DESK_CLAIM_IDS=$(ids "exclude(review_state='published')")

.venv/bin/gunicorn -c tracker/gunicorn.conf.py --bind "127.0.0.1:$port" --access-logfile /dev/null tracker.wsgi >var/loadtest-server.log 2>&1 &
server=$!
killer=
cleanup() {
    [ -n "$killer" ] && kill "$killer" 2>/dev/null
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

if [ "${LOADTEST_KILL:-0}" = 1 ]; then
    [[ "$url" == postgres* ]] || { echo "LOADTEST_KILL needs PostgreSQL"; exit 2; }
    (while true; do
        psql "${url%/*}/postgres" -qtAc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()" >>var/loadtest-kills.log
        sleep 0.5
    done) &
    killer=$!
    : >var/loadtest-kills.log
fi

echo "Locust: $users users for ${seconds}s against the production server on 127.0.0.1:$port ($(echo "$url" | sed 's/:[^:@]*@/@/'))"
.venv/bin/locust -f bench/loadtest/locustfile.py --headless --only-summary \
    -u "$users" -r "$users" -t "${seconds}s" --stop-timeout 5 \
    --host "http://127.0.0.1:$port" --csv var/loadtest --exit-code-on-error 0 >var/loadtest-locust.log 2>&1
if [ -n "$killer" ]; then
    kill "$killer" 2>/dev/null; killer=
    echo "connections killed: $(awk '{s += $1} END {print s + 0}' var/loadtest-kills.log)"
fi
$py bench/loadtest/report.py var/loadtest_stats.csv var/loadtest_failures.csv
