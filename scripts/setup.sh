#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: the Debian ML libraries (the same XGBoost and
# scikit-learn as SageMaker's containers) and the npm packages. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(python3-xgboost python3-sklearn python3-pandas python3-boto3 awscli)
probe='import xgboost, sklearn, pandas, boto3'
# MLOPS_PYTHON: a Python that already has them (pr.yml sets it to setup-python's, see requirements.txt).
# awscli: AWS CLI v2 (/usr/bin/aws), one of the clients the conformance test judges the local AWS with.
if ! "${MLOPS_PYTHON:-/usr/bin/python3}" -c "$probe" >/dev/null 2>&1 || [ ! -x /usr/bin/aws ]; then
  # Root installs directly; a user with passwordless sudo (GitHub's hosted runners) through sudo.
  as_root=()
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); fi
  if { [ "$(id -u)" = 0 ] || [ ${#as_root[@]} -gt 0 ]; } && command -v apt-get >/dev/null; then
    echo "setup: installing ${debs[*]} with apt-get" >&2
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "setup: missing the Python ML libraries or AWS CLI v2; run: sudo apt-get install -y ${debs[*]}" >&2
    exit 1
  fi
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# Node 24 (what `runs.using: node24` promises) and Node 20 for the bundle tests (test/bundle/node-runtimes.ts):
# whichever of the two is not the Node running this script is unpacked from the npm package
# node-<platform>-<arch> into node_modules/.node<major>. Not a dependency: its `node` bin would shadow the
# machine's Node for every npm script.
running_major=$(node -p 'process.versions.node.split(".")[0]')
for version in 24.22.3 20.20.2; do
  major=${version%%.*}
  dir=node_modules/.node$major
  if [ "$major" = "$running_major" ] || "$dir/bin/node" --version 2>/dev/null | grep -qx "v$version"; then continue; fi
  package="node-$(node -p 'process.platform + "-" + process.arch')@$version"
  echo "setup: Node $version (npm package $package) into $dir" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$package" >/dev/null)
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tmp"/node-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
done
