#!/usr/bin/env bash
# The lattice stack's two FastAPI services (files/app/app and files/app/consumer): install their pinned
# requirements into .cache/apps-venv, rebuilt only when a requirements file or the Python changes, and run
# both test suites. Extra arguments go to both pytest runs (e.g. -x, -k health).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
apps=files/app
venv=$root/.cache/apps-venv
python=${PYTHON:-python3}

requirements=(
  "$apps/app/requirements.txt" "$apps/app/requirements-test.txt"
  "$apps/consumer/requirements.txt" "$apps/consumer/requirements-test.txt"
)
key=$({ "$python" -c 'import sys; print(sys.version)'; cat "${requirements[@]}"; } | sha256sum | cut -c1-16)
stamp=$venv/.requirements-$key

mkdir -p "$(dirname "$venv")"
# Gates may run side by side: one builds the venv, the others wait for it.
exec 9>"$venv.lock"
flock 9
if [ ! -e "$stamp" ]; then
  echo "apps: building $venv ($key)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet -r "$apps/app/requirements-test.txt" -r "$apps/consumer/requirements-test.txt"
  touch "$stamp"
fi
flock -u 9

export PYTHONDONTWRITEBYTECODE=1
failed=0
for app in app consumer; do
  echo "== $apps/$app"
  (cd "$apps/$app" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@") || failed=1
done
exit "$failed"
