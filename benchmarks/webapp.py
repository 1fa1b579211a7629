# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throughput and latency of the webapp stack's two paths at N concurrent clients (seed 001).

Usage (the apps' venv has the HTTP client; tests/apps.sh builds it):
    .cache/apps-venv/bin/python benchmarks/webapp.py [--clients 100] [--seconds 20]
    .cache/apps-venv/bin/python benchmarks/webapp.py --site-url https://www.example.com --api-url https://www.example.com

Measures two things, one after the other, each for --seconds with --clients concurrent clients:
- `page`: GET / through nginx to Next.js (the page a browser loads first);
- `api read`: GET /api/stories?limit=20 through the NestJS backend to MySQL (a read of the stories the run
  creates first, so every request returns rows).
Without URLs it measures the molecule/webapp scenario's hosts (converge them first:
`molecule converge -s webapp`): nginx on webapp-frontend port 80, the backend on webapp-backend port 9999, their
addresses read from the Docker engine. With URLs it measures a deployed stack (the ALB or the domain: /api/* goes
to the backend there). Prints requests, requests per second, p50/p95/p99, mean and errors per path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from latency import report, summarise, wait_for  # noqa: E402  pylint: disable=wrong-import-position

SEED_STORIES = 20


def container_address(name: str) -> str:
    """A molecule host's address on the Docker bridge."""
    template = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"
    result = subprocess.run(["docker", "inspect", "-f", template, name], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise SystemExit(f"webapp: no running container {name}; run `molecule converge -s webapp` first, "
                         "or give --site-url and --api-url")
    return result.stdout.strip()


def seed_stories(api_url: str) -> None:
    """Enough rows for the read to return a full page."""
    with httpx.Client(timeout=30) as http:
        for number in range(SEED_STORIES):
            body = {"title": f"benchmark story {number}", "body": "Stories to read back under load."}
            response = http.post(api_url + "/api/stories", json=body)
            if response.status_code != 201:
                raise SystemExit(f"webapp: creating a story answered {response.status_code}: {response.text[:200]}")


async def client_loop(http: httpx.AsyncClient, url: str, stop_at: float, latencies: list[float],
                      errors: list[str]) -> None:
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            response = await http.get(url)
        except httpx.HTTPError as error:
            errors.append(type(error).__name__)
            continue
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            errors.append(str(response.status_code))


async def measure(url: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30, verify=True) as http:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(*(client_loop(http, url, stop_at, latencies, errors) for _client in range(clients)))
        elapsed = time.monotonic() - started
    return summarise(latencies, errors, elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each measurement")
    parser.add_argument("--site-url", help="base URL of the site (nginx, the ALB or the domain)")
    parser.add_argument("--api-url", help="base URL the backend answers /api/* on")
    args = parser.parse_args()
    site_url = (args.site_url or f"http://{container_address('webapp-frontend')}").rstrip("/")
    api_url = (args.api_url or f"http://{container_address('webapp-backend')}:9999").rstrip("/")
    wait_for(site_url + "/")
    wait_for(api_url + "/api/health")
    seed_stories(api_url)
    print(f"{args.clients} clients, {args.seconds:.0f} s each (machine: {os.cpu_count()} cores)")
    report("page", asyncio.run(measure(site_url + "/", args.clients, args.seconds)))
    report("api read", asyncio.run(measure(api_url + f"/api/stories?limit={SEED_STORIES}", args.clients, args.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
