#!/usr/bin/env bash
# The demo: molecule/<STACK>'s converge kept running. The cloud layers converge on the embedded emulator,
# systemd test hosts play the EC2 instances, and a live CRUD round trip goes through the stack's front door
# (lattice: the consumer; webapp: nginx on the frontend host).
#   demo.sh up STACK         create the hosts and the emulator if needed, converge, print outputs, CRUD
#   demo.sh down STACK [...] run teardown.yml on the demo's emulator (extra args go to ansible-playbook)
#   demo.sh stop STACK       remove the test hosts and stop the emulator (its state is lost)
# State lives in .run/molecule-STACK (MOLECULE_EPHEMERAL_DIRECTORY), apart from `make test`'s; the
# containers share their names with the test's, so `make test` replaces a running demo's hosts.
set -euo pipefail
cd "$(dirname "$0")/../.."

run_dir=$PWD/.run
python=.venv/bin/python
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"

use_scenario() {
  stack=${1:?stack name}
  if [ ! -d "molecule/$stack" ]; then
    echo "demo: no molecule/$stack scenario" >&2
    exit 2
  fi
  export MOLECULE_EPHEMERAL_DIRECTORY=$run_dir/molecule-$stack
  mkdir -p "$MOLECULE_EPHEMERAL_DIRECTORY"
  outputs=$run_dir/$stack-outputs.json
  log=$run_dir/$stack-converge.log
  eval "$("$python" tests/harness/hostenv.py)"
  unset AWS_ENDPOINT_URL AWS_URL AWS_PROFILE AWS_DEFAULT_PROFILE
}

summary() {
  "$python" - "$outputs" "$log" <<'PY'
import json, re, sys
data = json.load(open(sys.argv[1]))
# The converge is the log's last playbook run (create and prepare come first on a fresh demo).
text = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[2]).read()).rsplit("PLAY RECAP", 1)[-1]
recaps = re.findall(r"([\w.-]+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", text)
print("\n== stack outputs ==")
for key, value in data["outputs"].items():
    print(f"  {key}: {value}")
for name, vpc in data.get("network", {}).items():
    print(f"\n== VPC {name}: {vpc['vpc_id']} {vpc['cidr']}")
    for line in vpc["subnets"]:
        print(f"  subnet {line}")
    for line in vpc["nat_gateways"]:
        print(f"  nat    {line}")
changed = sum(int(recap[2]) for recap in recaps)
print(f"\n== converge: {changed} changed, {sum(int(r[4]) for r in recaps)} failed over {len(recaps)} hosts"
      + (" (nothing to do: the stack is as the inventory says)" if recaps and changed == 0 else ""))
PY
}

# A demo whose emulator or hosts are gone (the machine restarted, the engine was reset) can't be converged
# in place: molecule still thinks it is created and prepared, so it would skip both. Start it over.
demo_is_stale() {
  local state=$MOLECULE_EPHEMERAL_DIRECTORY/state.yml name endpoint
  grep -qs '^created: true' "$state" || return 1
  endpoint=$(sed -n 's/^endpoint_url *= *//p' "$MOLECULE_EPHEMERAL_DIRECTORY/aws-config" 2>/dev/null)
  # Any HTTP answer will do: the emulator's state dump (/moto-api/data.json) takes seconds on a full stack.
  if [ -z "$endpoint" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$endpoint/")" = 000 ]; then
    echo "demo: the emulator of the last demo is gone"
    return 0
  fi
  for name in $("$python" -c 'import sys, yaml; print(*(p["name"] for p in yaml.safe_load(open(sys.argv[1]))["platforms"]))' \
      "molecule/$stack/molecule.yml"); do
    if [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
      echo "demo: test host $name of the last demo is not running"
      return 0
    fi
  done
  return 1
}

host_address() {
  docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"
}

show() {
  echo "\$ curl $*"
  curl -sS -w '  [HTTP %{http_code}]\n' "$@"
}

round_trip_lattice() {
  local url id
  url="http://$(host_address lattice-consumer):8000"
  id=demo-$(date +%s)
  echo
  echo "== CRUD through consumer-app ($url) -> Lattice DNS name -> app-server -> DynamoDB =="
  show "$url/health"
  show -X POST -H 'Content-Type: application/json' \
    -d "{\"user_id\": \"$id\", \"name\": \"Kim Minji\", \"email\": \"minji@example.com\", \"age\": 31}" "$url/users"
  show "$url/users/$id"
  show -X PUT -H 'Content-Type: application/json' -d '{"age": 32}' "$url/users/$id"
  show -X DELETE "$url/users/$id"
  show "$url/users/$id"
}

# There is no ALB on this machine: the frontend's nginx sends /api/ to the backend, as the ALB's /api/* rule would.
round_trip_webapp() {
  local url id
  url="http://$(host_address webapp-frontend)"
  echo
  echo "== The site through nginx ($url) -> Next.js, and stories CRUD through nginx -> NestJS -> MariaDB over TLS =="
  echo "\$ curl -sS $url/ | grep -o '<title>.*</title>'"
  curl -sS "$url/" | grep -o '<title>[^<]*</title>' || echo "(no title in the page)"
  show "$url/api/health"
  id=$(curl -sS -X POST -H 'Content-Type: application/json' \
    -d '{"title": "Hello from make demo", "body": "Written through nginx and the API."}' "$url/api/stories" |
    "$python" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  echo "(created story $id)"
  show "$url/api/stories/$id"
  show -X PATCH -H 'Content-Type: application/json' -d '{"title": "Hello again from make demo"}' "$url/api/stories/$id"
  show -X DELETE "$url/api/stories/$id"
  show "$url/api/stories/$id"
}

case "${1:-}" in
  up)
    use_scenario "${2:-}"
    if ! declare -F "round_trip_$stack" >/dev/null; then
      echo "demo: the $stack stack has no demo yet (lattice and webapp have)" >&2
      exit 2
    fi
    if demo_is_stale; then
      echo "demo: starting over (its cloud state lived in the emulator, so nothing is lost that a converge won't rebuild)"
      if ! molecule destroy -s "$stack" >"$run_dir/$stack-destroy.log" 2>&1; then
        tail -n 40 "$run_dir/$stack-destroy.log" >&2
        exit 1
      fi
    fi
    # converge creates the hosts and runs prepare (the emulator) the first time, and only converges after.
    molecule converge -s "$stack" -- -e "outputs_file=$outputs" 2>&1 | tee "$log"
    summary
    "round_trip_$stack"
    echo
    echo "demo: the stack stays up. 'make demo STACK=$stack' again converges with no change; 'make teardown STACK=$stack'"
    echo "      tears the cloud layers down (CONFIRM_DATA=yes drops its data stores too); 'make demo-down STACK=$stack'"
    echo "      removes everything."
    ;;
  down)
    use_scenario "${2:-}"
    shift 2
    if [ ! -s "$MOLECULE_EPHEMERAL_DIRECTORY/aws-config" ]; then
      echo "demo: no demo is running; nothing to tear down"
      exit 0
    fi
    # The scenario's controller values (webapp: the admin network, the master password's source) come along;
    # aws_ec2.yml stays out, as in the emulator's environment: emulated instances answer no SSH.
    controller_vars=()
    if [ -f "molecule/$stack/host_vars/localhost.yml" ]; then
      controller_vars=(-e "@molecule/$stack/host_vars/localhost.yml")
    fi
    AWS_CONFIG_FILE=$MOLECULE_EPHEMERAL_DIRECTORY/aws-config AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
      ANSIBLE_INVENTORY_IGNORE_REGEX='aws_ec2\.ya?ml$' \
      ansible-playbook -i "inventories/$stack" teardown.yml "${controller_vars[@]}" "$@"
    ;;
  stop)
    use_scenario "${2:-}"
    molecule destroy -s "$stack"
    ;;
  *)
    sed -n '2,8p' "$0" >&2
    exit 2
    ;;
esac
