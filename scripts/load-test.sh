#!/usr/bin/env bash
# Load test of glimpse serve on this machine: starts the server with the shipped shapes model on
# 127.0.0.1, warms it up, measures one client sending one image at a time, then CLIENTS clients for
# SECONDS with MALFORMED bad requests mixed in, and stops it with SIGTERM.
# Usage: scripts/load-test.sh [CLIENTS=16] [SECONDS=60] [MALFORMED=1000]
#   SERVE_OPTIONS="--max-wait-ms 40 ..." in the environment adds options to glimpse serve.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
clients=${1:-16}
seconds=${2:-60}
malformed=${3:-1000}
port=${PORT:-18080}
url="http://127.0.0.1:$port/"
images=("$root"/datasets/samples/shapes_*.png)
log=$(mktemp)

# shellcheck disable=SC2086
"$root/scripts/glimpse" serve --model "$root/pretrained/glimpse-shapes.zip" --port "$port" ${SERVE_OPTIONS:-} >"$log" 2>&1 &
server=$!
stop() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 600); do
  if curl -sf "${url}healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.5
done
curl -sf "${url}healthz" >/dev/null || { echo "the server did not come up" >&2; cat "$log" >&2; exit 1; }

client=(java "$root/scripts/LoadClient.java" "$url")
echo "== warm-up: 4 clients, 10 s (not counted)"
"${client[@]}" 4 10 0 "${images[@]}" | head -n 1
echo
echo "== one client, one image at a time, 20 s"
"${client[@]}" 1 20 0 "${images[@]}"
echo
echo "== $clients clients, $seconds s, $malformed malformed requests mixed in"
"${client[@]}" "$clients" "$seconds" "$malformed" "${images[@]}"
echo
echo "== batch sizes"
curl -s "${url}metrics" | grep -E '^glimpse_batch_size_(sum|count)|^glimpse_errors_total'
stop
trap - EXIT
echo
echo "== server log"
cat "$log"
rm -f "$log"
