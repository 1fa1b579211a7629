#!/usr/bin/env bash
# The demo: a long-lived emulator on loopback (and the Docker bridge), and a stack converged on it.
#   demo.sh up STACK         start the emulator if needed, converge, print the outputs
#   demo.sh down STACK [...] tear the stack down (extra args go to ansible-playbook)
#   demo.sh stop             stop the emulator (its state is lost)
set -euo pipefail
cd "$(dirname "$0")/../.."

run_dir=.run
pid_file=$run_dir/emulator.pid
port_file=$run_dir/emulator.port
python=.venv/bin/python
mkdir -p "$run_dir"

emulator_alive() {
  [ -f "$pid_file" ] && [ -f "$port_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

start_emulator() {
  if emulator_alive; then
    return 0
  fi
  rm -f "$port_file"
  setsid nohup "$python" tests/harness/emulator.py --port-file "$port_file" >"$run_dir/emulator.log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  for _ in $(seq 1 100); do
    [ -s "$port_file" ] && return 0
    kill -0 "$(cat "$pid_file")" 2>/dev/null || break
    sleep 0.2
  done
  echo "demo: the emulator did not start; see $run_dir/emulator.log" >&2
  tail -n 20 "$run_dir/emulator.log" >&2
  exit 1
}

use_emulator() {
  local url
  url="http://127.0.0.1:$(cat "$port_file")"
  eval "$("$python" -c "
import sys; sys.path.insert(0, 'tests/harness'); import emulator, shlex
for key, value in emulator.endpoint_environment('$url', 'ap-northeast-2').items():
    print(f'export {key}={shlex.quote(value)}')
")"
  echo "demo: emulator at $url (state lives until 'make demo-down')"
}

case "${1:-}" in
  up)
    stack=${2:?stack name}
    start_emulator
    use_emulator
    export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_DEPRECATION_WARNINGS=false
    .venv/bin/ansible-playbook -i "inventories/$stack" site.yml -e "outputs_file=$PWD/$run_dir/$stack-outputs.json" \
      | tee "$run_dir/$stack-converge.log"
    "$python" - "$run_dir/$stack-outputs.json" "$run_dir/$stack-converge.log" <<'PY'
import json, re, sys
data = json.load(open(sys.argv[1]))
recap = re.search(r"localhost\s*:\s*ok=(\d+)\s+changed=(\d+).*failed=(\d+)", open(sys.argv[2]).read())
print("\n== stack outputs ==")
for key, value in data["outputs"].items():
    print(f"  {key}: {value}")
for name, vpc in data["network"].items():
    print(f"\n== VPC {name}: {vpc['vpc_id']} {vpc['cidr']}")
    for line in vpc["subnets"]:
        print(f"  subnet {line}")
    for line in vpc["nat_gateways"]:
        print(f"  nat    {line}")
if recap:
    print(f"\n== converge: {recap.group(2)} changed, {recap.group(3)} failed"
          + (" (nothing to do: the stack is as the inventory says)" if recap.group(2) == "0" else ""))
PY
    ;;
  down)
    stack=${2:?stack name}
    shift 2
    if ! emulator_alive; then
      echo "demo: no demo emulator is running; nothing to tear down"
      exit 0
    fi
    use_emulator
    .venv/bin/ansible-playbook -i "inventories/$stack" teardown.yml "$@"
    ;;
  stop)
    if emulator_alive; then
      kill "$(cat "$pid_file")" && echo "demo: emulator stopped"
    fi
    rm -f "$pid_file" "$port_file"
    ;;
  *)
    sed -n '2,6p' "$0" >&2
    exit 2
    ;;
esac
