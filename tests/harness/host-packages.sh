#!/usr/bin/env bash
# Install the Debian packages the harness needs (Docker engine, debootstrap, MariaDB for the webapp backend's
# tests) when they are missing.
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
# The webapp backend's e2e tests (tests/apps.sh) start a throwaway MariaDB server of their own: the server
# binaries only (mariadb-server-core, and mariadb-client-core for the my_print_defaults that mariadb-install-db
# runs), so no system service starts on the controller.
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server-core)
command -v my_print_defaults >/dev/null 2>&1 || missing+=(mariadb-client-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "host-packages: need ${missing[*]}; run as root or install them first" >&2
  exit 1
fi
echo "host-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
