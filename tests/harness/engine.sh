#!/usr/bin/env bash
# Start a Docker engine in the background when none answers, and wait until it does.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "engine: dockerd is not installed (make host-packages installs Debian's docker.io)" >&2
  exit 1
fi
log_dir="${XDG_CACHE_HOME:-$HOME/.cache}/blueprint-aws"
mkdir -p "$log_dir"
echo "engine: starting dockerd (log: $log_dir/dockerd.log)"
setsid nohup dockerd >"$log_dir/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 1 120); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 0.5
done
echo "engine: dockerd did not answer within 60s; last log lines:" >&2
tail -n 20 "$log_dir/dockerd.log" >&2
exit 1
