# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The embedded AWS emulator: a moto server on loopback, reachable from test hosts too.

One process serves every address it binds, so the controller (127.0.0.1) and the
systemd test hosts (the Docker bridge address) see the same state.

Usage: emulator.py [--port N] [--no-bridge] [--port-file PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


# Images the playbooks find by owner and name pattern, which moto's bundled image list lacks: Debian 12
# (the compute layer's default lookup, owner 136693071363, name debian-12-amd64-*). Two releases, so the
# newest-match rule is exercised; every region's backend loads them.
SEEDED_AMIS = [
    {
        "ami_id": ami_id, "name": f"debian-12-amd64-{release}", "description": f"Debian 12 (release {release})",
        "owner_id": "136693071363", "creation_date": created, "state": "available", "public": True,
        "architecture": "x86_64", "virtualization_type": "hvm", "hypervisor": "xen", "image_type": "machine",
        "platform": None, "root_device_type": "ebs", "root_device_name": "/dev/xvda", "sriov": "simple",
        "image_location": f"136693071363/debian-12-amd64-{release}",
    }
    for ami_id, release, created in (
        ("ami-0de12b00000000001", "20250210-2019", "2025-02-10T20:19:00.000Z"),
        ("ami-0de12b00000000002", "20250610-2134", "2025-06-10T21:34:00.000Z"),
    )
]  # fmt: skip


# Dynamic inventory configs an emulator run leaves out of inventory directories (see endpoint_environment).
INVENTORY_IGNORE_REGEX = r"aws_ec2\.ya?ml$"


def seed_amis() -> list[str]:
    """Add SEEDED_AMIS to moto's image list (before any EC2 backend exists); returns the ids added."""
    from moto.ec2.models import amis  # pylint: disable=import-outside-toplevel

    known = {image["ami_id"] for image in amis.AMIS}
    added = [dict(image) for image in SEEDED_AMIS if image["ami_id"] not in known]
    amis.AMIS.extend(added)
    return [image["ami_id"] for image in added]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def bridge_address(interface: str = "docker0") -> str:
    """The host's address on the Docker bridge, or '' when there is no bridge."""
    result = subprocess.run(["ip", "-4", "-o", "addr", "show", interface], capture_output=True, text=True, check=False)
    for field in result.stdout.split():
        if "/" in field and field[0].isdigit():
            return field.split("/")[0]
    return ""


def endpoint_environment(url: str, region: str = "us-east-1") -> dict[str, str]:
    """The standard settings that point boto3, the AWS CLI and amazon.aws at ``url``.

    Instances on the emulator are records, not machines that answer SSH: an inventory directory's
    ``aws_ec2.yml`` (the dynamic inventory for real AWS) is left out of directory loads, so plays never try
    to reach them and inventory parsing makes no API call. Name the file with ``-i`` to read it anyway.
    """
    env = dict(FAKE_CREDENTIALS)
    env.update({"AWS_ENDPOINT_URL": url, "AWS_URL": url, "AWS_DEFAULT_REGION": region, "AWS_REGION": region})
    env["ANSIBLE_INVENTORY_IGNORE_REGEX"] = INVENTORY_IGNORE_REGEX
    return env


def wait_ready(url: str, timeout: float = 30.0) -> None:
    """Block until the emulator answers its own API, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the emulator at {url} did not answer within {timeout:.0f}s")
        time.sleep(0.2)


def reset(url: str) -> None:
    """Forget every resource: fresh state for the next test."""
    request = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def serve(port: int, bridge: bool) -> list:
    """Start one threaded moto server per address; all share moto's in-process backends."""
    from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import moto_fixes  # pylint: disable=import-outside-toplevel
    import moto_lattice  # pylint: disable=import-outside-toplevel

    moto_fixes.apply()
    moto_lattice.apply()
    seed_amis()
    hosts = ["127.0.0.1"]
    address = bridge_address() if bridge else ""
    if address:
        hosts.append(address)
    servers = []
    for host in hosts:
        server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        server.start()
        servers.append(server)
    return servers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--no-bridge", action="store_true", help="serve loopback only")
    parser.add_argument("--port-file", help="write the chosen port here once ready")
    args = parser.parse_args()
    port = args.port or free_port()
    servers = serve(port, bridge=not args.no_bridge)
    url = f"http://127.0.0.1:{port}"
    wait_ready(url)
    if args.port_file:
        with open(args.port_file, "w", encoding="ascii") as handle:
            handle.write(f"{port}\n")
    print(json.dumps({"ready": url, "bridge": bridge_address() if not args.no_bridge else ""}), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.stop()
    if args.port_file and os.path.exists(args.port_file):
        os.remove(args.port_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
