# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time a converge and a no-op re-run of the network and security layers on the emulator, and count API calls.

Usage: .venv/bin/python benchmarks/converge.py [--stack lattice] [--tags network,security]

Prints wall-clock seconds per run, AWS API calls per run (from the emulator's access log) and calls per
managed resource (the resources counted from the emulator's state after the converge).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))

import boto3  # noqa: E402
import emulator  # noqa: E402  pylint: disable=wrong-import-position

ACCESS_LINE = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) (\S+) HTTP/1\.[01]" \d{3}')
REGION = "ap-northeast-2"


def api_calls(log_path: str) -> int:
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        return sum(1 for line in handle if ACCESS_LINE.search(line) and "/moto-api/" not in line)


def managed_resources(url: str) -> dict[str, int]:
    """What the stack owns, counted from the emulator's state."""
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    ec2 = session.client("ec2", endpoint_url=url)
    iam = session.client("iam", endpoint_url=url)
    vpcs = [vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc.get("IsDefault")]
    in_vpcs = [{"Name": "vpc-id", "Values": vpcs}]
    counts = {
        "vpcs": len(vpcs),
        "subnets": len(ec2.describe_subnets(Filters=in_vpcs)["Subnets"]),
        "internet_gateways": len(ec2.describe_internet_gateways(
            Filters=[{"Name": "attachment.vpc-id", "Values": vpcs}])["InternetGateways"]),
        "nat_gateways": len([n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] == "available"]),
        "elastic_ips": len(ec2.describe_addresses()["Addresses"]),
        "route_tables": len([t for t in ec2.describe_route_tables(Filters=in_vpcs)["RouteTables"]
                             if not any(a.get("Main") for a in t["Associations"])]),
        "vpc_endpoints": len(ec2.describe_vpc_endpoints()["VpcEndpoints"]),
        "security_groups": len([g for g in ec2.describe_security_groups(Filters=in_vpcs)["SecurityGroups"]
                                if g["GroupName"] != "default"]),
        "iam_roles": len(iam.list_roles()["Roles"]),
        "instance_profiles": len(iam.list_instance_profiles()["InstanceProfiles"]),
    }
    counts["iam_inline_policies"] = sum(
        len(iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]) for role in iam.list_roles()["Roles"])
    return counts


def converge(env: dict, stack: str, tags: str) -> tuple[float, int]:
    started = time.monotonic()
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", f"inventories/{stack}", "site.yml",
         "--tags", tags],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"converge failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    changed = re.search(r"localhost\s*:\s*ok=\d+\s+changed=(\d+)", result.stdout)
    return elapsed, int(changed.group(1)) if changed else -1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", default="lattice")
    parser.add_argument("--tags", default="network,security")
    args = parser.parse_args()

    port = emulator.free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile(prefix="blueprint-bench-", suffix=".log") as log:
        server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "harness", "emulator.py"), "--port",
                                   str(port), "--no-bridge"], stdout=log, stderr=subprocess.STDOUT)
        try:
            emulator.wait_ready(url)
            env = dict(os.environ, **emulator.endpoint_environment(url, REGION),
                       ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_DEPRECATION_WARNINGS="false")
            calls_before = api_calls(log.name)
            first_seconds, first_changed = converge(env, args.stack, args.tags)
            calls_first = api_calls(log.name) - calls_before
            resources = managed_resources(url)
            calls_before = api_calls(log.name)
            second_seconds, second_changed = converge(env, args.stack, args.tags)
            calls_second = api_calls(log.name) - calls_before
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(resources.values())
    print(f"stack {args.stack}, tags {args.tags}, {os.cpu_count()} cores")
    print(f"managed resources: {total} ({', '.join(f'{k} {v}' for k, v in resources.items())})")
    print(f"converge:       {first_seconds:7.1f} s  {calls_first:5d} API calls  {calls_first / total:5.2f} calls/resource"
          f"  changed={first_changed}")
    print(f"no-op re-run:   {second_seconds:7.1f} s  {calls_second:5d} API calls  {calls_second / total:5.2f} calls/resource"
          f"  changed={second_changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
