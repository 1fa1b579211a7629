#!/usr/bin/env bash
# The applications under files/app and their own tests:
# - the lattice stack's two FastAPI services (app, consumer): their pinned requirements in .cache/apps-venv,
#   rebuilt only when a requirements file or the Python changes; pytest.
# - the webapp stack's Node apps (backend: NestJS, frontend: Next.js): `npm ci` from the lock file into
#   .cache/node-apps/<app>-<hash of Node version and lock file>, reused while the hash holds; the sources are
#   copied beside those node_modules (the checkout never gets a node_modules, dist or .next), then the
#   production build (`nest build`, `next build`) and the tests: the backend's jest unit and e2e suites (the e2e
#   suite starts a throwaway MariaDB: Debian's mariadb-server), the frontend's vitest suite and a smoke test of
#   `next start` serving the build.
# Extra arguments go to both pytest runs (e.g. -x, -k health). APPS=python or APPS=node runs one half.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
apps=files/app
which_apps=${APPS:-all}
failed=0

python_apps() {
  local venv=$root/.cache/apps-venv
  local python=${PYTHON:-python3}
  local requirements=(
    "$apps/app/requirements.txt" "$apps/app/requirements-test.txt"
    "$apps/consumer/requirements.txt" "$apps/consumer/requirements-test.txt"
  )
  local key
  key=$({ "$python" -c 'import sys; print(sys.version)'; cat "${requirements[@]}"; } | sha256sum | cut -c1-16)
  local stamp=$venv/.requirements-$key

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

  local app
  for app in app consumer; do
    echo "== $apps/$app"
    (cd "$apps/$app" && PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@") || failed=1
  done
}

# Print the directory holding an app's sources beside node_modules installed from its lock file.
node_workdir() {
  local app=$1
  local src=$apps/$app
  local cache=$root/.cache/node-apps
  if grep -q '"resolved":' "$src/package-lock.json"; then
    echo "apps: $src/package-lock.json names registry URLs (\"resolved\"); regenerate it with omit-lockfile-registry-resolved=true" >&2
    return 1
  fi
  local key
  key=$({ node --version; cat "$src/package.json" "$src/package-lock.json"; } | sha256sum | cut -c1-16)
  local work=$cache/$app-$key
  mkdir -p "$cache"
  exec 8>"$cache/$app.lock"
  flock 8
  if [ ! -e "$work/.installed" ]; then
    echo "apps: npm ci for $app ($key)" >&2
    find "$cache" -mindepth 1 -maxdepth 1 -name "$app-*" -exec rm -rf {} +
    mkdir -p "$work"
    cp "$src/package.json" "$src/package-lock.json" "$work/"
    (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
    touch "$work/.installed"
  fi
  flock -u 8
  # Fresh sources every run: everything but the installed node_modules goes, then the app is copied over.
  find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .installed -exec rm -rf {} + || return 1
  tar -C "$src" --exclude=./node_modules --exclude=./dist --exclude=./.next --exclude='./*.tsbuildinfo' -cf - . |
    tar -C "$work" -xf - || return 1
  echo "$work"
}

node_apps() {
  if ! command -v node >/dev/null || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
    echo "apps: the Node apps need Node.js >= 20 and npm (found: $(node --version 2>/dev/null || echo none))" >&2
    failed=1
    return
  fi
  export CI=true NO_COLOR=1 FORCE_COLOR=0 NEXT_TELEMETRY_DISABLED=1
  export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  local work started=$SECONDS

  echo "== $apps/backend"
  if work=$(node_workdir backend); then
    (cd "$work" && npm run --silent build && npm test --silent) || failed=1
  else
    failed=1
  fi

  echo "== $apps/frontend"
  if work=$(node_workdir frontend); then
    (cd "$work" && npm test --silent && npm run --silent build && npm run --silent test:smoke) || failed=1
  else
    failed=1
  fi
  echo "apps: Node apps took $((SECONDS - started))s"
}

case $which_apps in
  all) python_apps "$@"; node_apps ;;
  python) python_apps "$@" ;;
  node) node_apps ;;
  *) echo "apps: APPS must be all, python or node, got $which_apps" >&2; exit 2 ;;
esac
exit "$failed"
