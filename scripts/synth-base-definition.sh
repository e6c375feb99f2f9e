#!/usr/bin/env bash
# Synthesizes the pipeline definition of a checkout of another commit (pr.yml: the pull request's base
# branch) with that checkout's own `mlops pipeline synth`, borrowing this checkout's node_modules.
# Exits non-zero, with the reason on stderr, when the other commit cannot synthesize one (e.g. it predates
# `mlops pipeline synth`), so callers can say there is nothing to compare.
#
# usage: scripts/synth-base-definition.sh <checkout> <output.json> [mlops pipeline synth options...]
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <checkout> <output.json> [mlops pipeline synth options...]" >&2
  exit 2
fi
checkout=$1
out=$(realpath -m "$2")
shift 2

if [ ! -f "$checkout/bin/mlops.js" ]; then
  echo "$checkout has no bin/mlops.js: it cannot synthesize a pipeline definition" >&2
  exit 1
fi
[ -e "$checkout/node_modules" ] || ln -s "$PWD/node_modules" "$checkout/node_modules"
mkdir -p "$(dirname "$out")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$checkout" && node bin/mlops.js pipeline synth --out "$out" "$@") > "$log" 2>&1; then
  echo "$checkout could not synthesize a pipeline definition:" >&2
  cat "$log" >&2
  exit 1
fi
