#!/usr/bin/env bash
# Migrate, load the demo city and serve it with gunicorn plus the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SETTINGS_MODULE=chuangwen.settings
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export DEBUG="${DEBUG:-0}"
# The demo is served over plain http on the loopback address.
export CHUANGWEN_HTTPS="${CHUANGWEN_HTTPS:-0}"
BIN=.venv/bin
PORT="${PORT:-8000}"

$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py collectstatic --noinput -v0
$BIN/python manage.py load_demo

$BIN/python manage.py worker &
worker=$!
$BIN/gunicorn -c python:chuangwen.gunicorn_conf chuangwen.wsgi:application --bind "127.0.0.1:${PORT}" --workers "${WEB_WORKERS:-3}" \
  --access-logfile - --graceful-timeout 10 &
web=$!

stop() {
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "演示城市已启动:http://127.0.0.1:${PORT}/  (Ctrl-C 停止)"
# Stop everything as soon as either process ends on its own.
wait -n "$web" "$worker" || true
