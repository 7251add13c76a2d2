#!/usr/bin/env bash
# Start the embedded job queue (a Huey consumer on its SQLite storage, or Redis when
# REDIS_URL is set) and the Flask development server; stop both together.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-5000}
instance=${INSTANCE_PATH:-instance}
mkdir -p "$instance"
.venv/bin/huey_consumer matchmaker.jobs.consumer.huey --workers 2 --worker-type thread --logfile "$instance/huey.log" &
consumer=$!
trap 'kill "$consumer" 2>/dev/null || true' EXIT INT TERM
sleep 1
if ! kill -0 "$consumer" 2>/dev/null; then
  echo "The job queue did not start; see $instance/huey.log." >&2
  exit 1
fi
echo "Job queue running (pid $consumer, log $instance/huey.log)."
.venv/bin/flask --app app run --host "$host" --port "$port"
