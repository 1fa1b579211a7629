#!/usr/bin/env bash
# Every gate of `make test`. Three lanes run side by side (the emulator integration tests, the molecule
# scenarios, and the static gates) because each lane spends much of its time waiting on I/O.
# Each gate's log lands in tests/output/gates/; a failed gate's tail is printed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

out=tests/output/gates
rm -rf "$out"
mkdir -p "$out"
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg" ANSIBLE_NOCOLOR=1 PY_COLORS=0

if ! host_env=$(.venv/bin/python tests/harness/hostenv.py); then
  echo "run-gates: the test-host environment is not ready (make image)" >&2
  exit 1
fi
eval "$host_env"

gate() {
  local name=$1
  shift
  local started=$SECONDS
  "$@" >"$out/$name.log" 2>&1
  local rc=$?
  echo "$rc $((SECONDS - started))" >"$out/$name.rc"
  return 0
}

lane_integration() {
  # Two workers, each with its own emulator (the session fixture), once the other lanes have freed the cores.
  # worksteal: the whole-stack tests are collected first (conftest.py); while one worker runs the lattice life
  # cycle, the other takes the rest of the queue instead of waiting behind a fixed share of it.
  gate integration pytest -q -p no:cacheprovider -n 2 --dist worksteal --durations=20 tests/integration
}
lane_molecule() {
  gate molecule molecule test --all
}
lane_static() {
  gate unit pytest -q -p no:cacheprovider -n 2 tests/unit
  gate apps tests/apps.sh
  gate ansible-lint ansible-lint --profile production --nocolor
  gate sanity tests/sanity.sh
  gate changelog antsibull-changelog lint
  gate build ansible-galaxy collection build --force --output-path "$out"
}

started=$SECONDS
lane_integration &
lane_molecule &
lane_static &
wait

failed=0
passed_tests=0
failed_tests=0
echo
echo "== gates (wall clock $((SECONDS - started))s)"
for rc_file in "$out"/*.rc; do
  name=$(basename "$rc_file" .rc)
  read -r rc seconds <"$rc_file"
  if [ "$rc" = 0 ]; then
    printf '  %-14s ok      %4ss\n' "$name" "$seconds"
  else
    printf '  %-14s FAILED  %4ss (exit %s)\n' "$name" "$seconds" "$rc"
    failed=$((failed + 1))
  fi
  # Sum pytest's closing lines (unit, integration, testinfra inside molecule).
  while read -r count; do passed_tests=$((passed_tests + count)); done < <(grep -hoE '[0-9]+ passed' "$out/$name.log" | grep -oE '[0-9]+')
  while read -r count; do failed_tests=$((failed_tests + count)); done < <(grep -hoE '[0-9]+ (failed|error)' "$out/$name.log" | grep -oE '[0-9]+')
done
for rc_file in "$out"/*.rc; do
  name=$(basename "$rc_file" .rc)
  read -r rc _seconds <"$rc_file"
  if [ "$rc" != 0 ]; then
    echo
    echo "== $name failed; last lines of $out/$name.log:"
    tail -n 60 "$out/$name.log"
  fi
done
echo
if [ "$failed" -gt 0 ]; then
  failed_tests=$((failed_tests > 0 ? failed_tests : failed))
fi
echo "total: $passed_tests passed, $failed_tests failed"
[ "$failed" -eq 0 ]
