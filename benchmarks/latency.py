# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Latency of the lattice stack's CRUD path at N concurrent clients: through the consumer, and straight to the app.

Usage (the apps' venv has the HTTP client; tests/apps.sh builds it):
    .cache/apps-venv/bin/python benchmarks/latency.py [--clients 100] [--seconds 20]
    .cache/apps-venv/bin/python benchmarks/latency.py --consumer-url http://HOST:8000 --app-url http://HOST:8000

Without URLs it starts what it measures on this machine: the emulator (tests/harness/emulator.py, with the
repository's .venv), the users table, the app service (app-server) and the consumer (consumer-app) pointed at it,
each a uvicorn process from the apps' venv, and first measures the same cycle straight to the emulator's
DynamoDB with boto3 (the ceiling: the emulator is one Python process). Each client loops over one user's life: POST, GET, PUT, GET,
DELETE, so every request touches DynamoDB. Prints p50, p95, p99, mean, requests per second and errors per
target, and the consumer-to-app ratio: the cost of the extra hop. Seed 004's bar is p95 < 1 s, mean < 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack

import httpx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "ap-northeast-2"
TABLE = "benchmark-users"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"latency: {url} did not answer within {timeout:.0f}s")


def start(stack: ExitStack, argv: list[str], env: dict[str, str], cwd: str = ROOT) -> None:
    log = stack.enter_context(tempfile.TemporaryFile())
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    stack.callback(process.wait, 30)
    stack.callback(process.terminate)


def dynamodb_ceiling(endpoint_url: str, clients: int, seconds: float) -> dict:
    """The same CRUD cycle straight to DynamoDB with boto3 from ``clients`` threads: what the services can't beat."""
    import threading

    import boto3
    from botocore.config import Config

    client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=REGION, aws_access_key_id="testing",
                          aws_secret_access_key="testing", config=Config(max_pool_connections=clients))
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    def timed(call, **kwargs) -> None:
        started = time.perf_counter()
        call(TableName=TABLE, **kwargs)
        latencies.append(time.perf_counter() - started)

    def loop() -> None:
        while time.monotonic() < stop_at:
            key = {"user_id": {"S": uuid.uuid4().hex}}
            timed(client.put_item, Item={**key, "name": {"S": "Kim Minji"}})
            timed(client.get_item, Key=key, ConsistentRead=True)
            timed(client.update_item, Key=key, UpdateExpression="SET age = :a",
                  ExpressionAttributeValues={":a": {"N": "32"}})
            timed(client.get_item, Key=key, ConsistentRead=True)
            timed(client.delete_item, Key=key)

    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _client in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(latencies, [], time.monotonic() - started)


def start_local_stack(stack: ExitStack, workers: int) -> tuple[str, str, str]:
    """The emulator, the table, the app and the consumer on loopback ports; returns their URLs."""
    emulator_port, app_port, consumer_port = free_port(), free_port(), free_port()
    emulator_url = f"http://127.0.0.1:{emulator_port}"
    start(stack, [os.path.join(ROOT, ".venv", "bin", "python"), "tests/harness/emulator.py", "--no-bridge",
                  "--port", str(emulator_port)], dict(os.environ))
    wait_for(emulator_url + "/moto-api/")

    aws = {"AWS_ENDPOINT_URL": emulator_url, "AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing"}
    import boto3  # the apps' venv has it (the app service's own dependency)

    dynamodb = boto3.client("dynamodb", endpoint_url=emulator_url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}])

    uvicorn = os.path.join(os.path.dirname(sys.executable), "uvicorn")
    common = ["--host", "127.0.0.1", "--no-access-log", "--timeout-keep-alive", "65", "--workers", str(workers),
              "--log-level", "warning"]
    start(stack, [uvicorn, "main:app", "--port", str(app_port), *common],
          {**os.environ, **aws, "USERS_TABLE": TABLE}, cwd=os.path.join(ROOT, "files", "app", "app"))
    app_url = f"http://127.0.0.1:{app_port}"
    start(stack, [uvicorn, "main:app", "--port", str(consumer_port), *common],
          {**os.environ, "APP_SERVICE_URL": app_url}, cwd=os.path.join(ROOT, "files", "app", "consumer"))
    consumer_url = f"http://127.0.0.1:{consumer_port}"
    wait_for(app_url + "/health")
    wait_for(consumer_url + "/health")
    return consumer_url, app_url, emulator_url


async def client_loop(http: httpx.AsyncClient, base: str, stop_at: float, latencies: list[float],
                      errors: list[str]) -> None:
    """One client: a user's whole life, over and over, until the clock says stop."""

    async def call(method: str, path: str, expect: int, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, base + path, **kwargs)
        except httpx.HTTPError as error:
            errors.append(f"{method} {type(error).__name__}")
            return None
        latencies.append(time.perf_counter() - started)
        if response.status_code != expect:
            errors.append(f"{method} {response.status_code}")
            return None
        return response

    while time.monotonic() < stop_at:
        user_id = uuid.uuid4().hex
        body = {"user_id": user_id, "name": "Kim Minji", "email": f"{user_id[:12]}@example.com", "age": 31}
        if await call("POST", "/users", 201, json=body) is None:
            continue
        await call("GET", f"/users/{user_id}", 200)
        await call("PUT", f"/users/{user_id}", 200, json={"age": 32})
        await call("GET", f"/users/{user_id}", 200)
        await call("DELETE", f"/users/{user_id}", 204)


async def measure(base: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(*(client_loop(http, base, stop_at, latencies, errors) for _client in range(clients)))
        elapsed = time.monotonic() - started
    return summarise(latencies, errors, elapsed)


def summarise(latencies: list[float], errors: list[str], elapsed: float) -> dict:
    ordered = sorted(latencies)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "mean": statistics.fmean(ordered) if ordered else float("nan"),
    }


def report(name: str, figures: dict) -> None:
    print(f"{name:<9} {figures['requests']:>7} req  {figures['rps']:>7.1f} req/s  "
          f"p50 {figures['p50'] * 1000:>7.1f} ms  p95 {figures['p95'] * 1000:>7.1f} ms  "
          f"p99 {figures['p99'] * 1000:>7.1f} ms  mean {figures['mean'] * 1000:>7.1f} ms  "
          f"errors {figures['errors']}" + (f" {figures['error_kinds']}" if figures["errors"] else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each measurement")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per local service")
    parser.add_argument("--consumer-url", help="measure a running consumer instead of starting one")
    parser.add_argument("--app-url", help="measure a running app service instead of starting one")
    args = parser.parse_args()

    with ExitStack() as stack:
        emulator_url = None
        if args.consumer_url and args.app_url:
            consumer_url, app_url = args.consumer_url.rstrip("/"), args.app_url.rstrip("/")
        elif args.consumer_url or args.app_url:
            parser.error("give both --consumer-url and --app-url, or neither")
        else:
            consumer_url, app_url, emulator_url = start_local_stack(stack, args.workers)
        print(f"{args.clients} clients, {args.seconds:.0f} s each, CRUD cycle POST GET PUT GET DELETE "
              f"(machine: {os.cpu_count()} cores)")
        if emulator_url:
            report("dynamodb", dynamodb_ceiling(emulator_url, args.clients, args.seconds))
        direct = asyncio.run(measure(app_url, args.clients, args.seconds))
        report("app", direct)
        through = asyncio.run(measure(consumer_url, args.clients, args.seconds))
        report("consumer", through)
        print(f"consumer/app: p50 x{through['p50'] / direct['p50']:.2f}, p95 x{through['p95'] / direct['p95']:.2f}, "
              f"mean x{through['mean'] / direct['mean']:.2f}")
        bar_met = through["p95"] < 1.0 and through["mean"] < 0.5 and through["errors"] == 0
        print(f"seed 004 bar (p95 < 1 s, mean < 500 ms, no errors) through the consumer: {'met' if bar_met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
