#!/usr/bin/env bash
# Start the embedded job queue (a Huey consumer on its SQLite storage, or Redis when
# REDIS_URL is set) and the Flask development server; stop both together.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-5000}
.venv/bin/huey_consumer matchmaker.worker.huey --workers 2 --worker-type thread --logfile instance/huey.log &
consumer=$!
trap 'kill "$consumer" 2>/dev/null || true' EXIT INT TERM
echo "Job queue running (pid $consumer, log instance/huey.log)."
.venv/bin/flask --app app run --host "$host" --port "$port"
