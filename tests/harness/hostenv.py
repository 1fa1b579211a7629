# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment for molecule scenarios that boot systemd test hosts.

molecule substitutes ``${VAR}`` in molecule.yml from the environment, so the
values that depend on this machine (the image, the capabilities the engine can
grant, the cgroup mount) are computed here rather than written into the repo:

    eval "$(.venv/bin/python tests/harness/hostenv.py)"
    .venv/bin/molecule test -s default

``--check`` exits non-zero with the reason when the current environment does not
match (the scenarios run it as their dependency step).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import machine  # noqa: E402  pylint: disable=wrong-import-position

IMAGE = "blueprint/debian-systemd:bookworm"
REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION_LINK = os.path.join(".collections", "ansible_collections", "blueprint", "aws")


class HostEnvError(RuntimeError):
    """The engine or the image is missing, or the environment is stale."""


def _docker(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise HostEnvError("the docker CLI is not installed (run `make host-packages`)") from error


def engine_version() -> str:
    """The Docker engine's version; fails when no engine answers."""
    result = _docker("version", "--format", "{{.Server.Version}}")
    if result.returncode != 0 or not result.stdout.strip():
        raise HostEnvError(
            "no Docker engine answers (run `make engine` or tests/harness/engine.sh): " + result.stderr.strip()
        )
    return result.stdout.strip()


def require_image(image: str) -> None:
    """Fail unless ``image`` is present locally: test hosts are never pulled."""
    if _docker("image", "inspect", image).returncode != 0:
        raise HostEnvError(f"image {image} is missing; build it with `make image` (tests/harness/hostimage.py)")


def _cache_path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "blueprint-aws", "capabilities.json")


def usable_capabilities(image: str, version: str) -> list[str]:
    """The bounding set, less what this engine does not know; cached per engine version and bounding set."""
    bounding = machine.bounding_capabilities()
    key = f"{version} {','.join(bounding)}"
    path = _cache_path()
    try:
        with open(path, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key:
            return list(cached["capabilities"])
    except (OSError, ValueError, KeyError):
        pass
    usable = machine.engine_capabilities(bounding, image)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".partial", "w", encoding="utf-8") as handle:
        json.dump({"key": key, "capabilities": usable}, handle)
    os.replace(path + ".partial", path)
    return usable


def cgroup_volume() -> str:
    """systemd reads the host's cgroup v1 tree read-only; on the unified v2 tree it must write."""
    unified = subprocess.run(["stat", "-fc", "%T", "/sys/fs/cgroup"], capture_output=True, text=True, check=False)
    mode = "rw" if unified.stdout.strip() == "cgroup2fs" else "ro"
    return f"/sys/fs/cgroup:/sys/fs/cgroup:{mode}"


def npm_registry() -> str:
    """The controller's npm registry (``npm config get registry``), for test hosts that install from npm.

    Empty when npm is missing or names no network registry; scenarios that need it say so.
    """
    npm = shutil.which("npm")
    if not npm:
        return ""
    try:
        result = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    registry = result.stdout.strip() if result.returncode == 0 else ""
    return registry if registry.startswith(("http://", "https://")) else ""


def host_environment(image: str | None = None) -> dict[str, str]:
    """The variables molecule.yml expects, as strings."""
    image = image or os.environ.get("BLUEPRINT_HOST_IMAGE") or IMAGE
    version = engine_version()
    require_image(image)
    return {
        "BLUEPRINT_HOST_IMAGE": image,
        "BLUEPRINT_HOST_CAPABILITIES": json.dumps(usable_capabilities(image, version)),
        "BLUEPRINT_HOST_CGROUP_VOLUME": cgroup_volume(),
        "BLUEPRINT_HOST_CGROUPNS": "host",
        "BLUEPRINT_NPM_REGISTRY": npm_registry(),
    }


def check(environment: dict[str, str]) -> list[str]:
    """Each variable the current process environment lacks or has stale."""
    return [name for name, value in environment.items() if os.environ.get(name) != value]


def collection_resolves() -> bool:
    """Whether blueprint.aws resolves to this checkout through the .collections link (make setup)."""
    return os.path.isfile(os.path.join(REPOSITORY, COLLECTION_LINK, "galaxy.yml"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the current environment instead of printing it")
    parser.add_argument("--json", action="store_true", help="print a JSON object instead of shell exports")
    args = parser.parse_args()
    try:
        environment = host_environment()
    except HostEnvError as error:
        print(f"hostenv: {error}", file=sys.stderr)
        return 1
    if args.check:
        if not collection_resolves():
            print(
                f"hostenv: {COLLECTION_LINK} is missing; run `make setup`, or:\n"
                f"  mkdir -p {os.path.dirname(COLLECTION_LINK)} && ln -sfn ../../.. {COLLECTION_LINK}",
                file=sys.stderr,
            )
            return 1
        missing = check(environment)
        if missing:
            print(
                "hostenv: {0} not set or stale; run first:\n"
                '  eval "$(.venv/bin/python tests/harness/hostenv.py)"'.format(", ".join(missing)),
                file=sys.stderr,
            )
            return 1
        return 0
    if args.json:
        print(json.dumps(environment, indent=2))
        return 0
    for name, value in environment.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
