#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: the Debian ML libraries (the same XGBoost and
# scikit-learn as SageMaker's containers) and the npm packages. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(python3-xgboost python3-sklearn python3-pandas python3-boto3 awscli)
probe='import xgboost, sklearn, pandas, boto3'
# awscli: AWS CLI v2 (/usr/bin/aws), one of the clients the conformance test judges the local AWS with.
if ! /usr/bin/python3 -c "$probe" >/dev/null 2>&1 || [ ! -x /usr/bin/aws ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${debs[*]} with apt-get" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "setup: missing Python ML libraries; run: sudo apt-get install -y ${debs[*]}" >&2
    exit 1
  fi
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
