# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the systemd test-host image with debootstrap, once per content hash.

No image can be pulled here, so the base image is made from Debian's own
packages, using the mirror this machine's apt already uses. It carries the
controller's CA trust store and package-index settings so test hosts install
from the same registries, behind the same TLS inspection, as the controller.

Usage: hostimage.py [--force]    (prints the image reference when ready)
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import machine  # noqa: E402  pylint: disable=wrong-import-position

IMAGE = "blueprint/debian-systemd"
RELEASE = "bookworm"
PACKAGES = [
    "systemd", "systemd-sysv", "dbus", "python3", "python3-apt", "sudo", "ca-certificates",
    "iproute2", "procps", "curl",
]  # fmt: skip
# Units that have no job inside a container and only slow or break its boot.
MASKED_UNITS = [
    "getty@tty1.service", "console-getty.service", "systemd-udevd.service", "systemd-udev-trigger.service",
    "systemd-remount-fs.service", "sys-kernel-debug.mount", "sys-kernel-tracing.mount", "dev-hugepages.mount",
    "systemd-modules-load.service", "apt-daily.timer", "apt-daily-upgrade.timer",
]  # fmt: skip
LABEL = "io.blueprint.content-hash"


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "blueprint-aws", "images")
    os.makedirs(path, exist_ok=True)
    return path


def image_recipe() -> dict:
    """Everything the image depends on; its hash names the image."""
    host_codename = machine.os_codename()
    sources = machine.distribution_sources(host_codename)
    for source in sources:
        source.suites = [suite.replace(host_codename, RELEASE, 1) for suite in source.suites]
    mirror = machine.archive_mirror(RELEASE, sources)
    # This file holds the build steps, package list and masked units; the rest of the recipe is data.
    with open(__file__, encoding="utf-8") as handle:
        own_text = handle.read()
    recipe = {
        "mirror": mirror,
        "sources": machine.render_deb822(sources),
        "pip_conf": machine.render_pip_conf(machine.package_indexes()),
        "npm_registry": machine.package_indexes().npm_registry,
        "certificates": machine.ca_certificates(),
    }
    recipe["hash"] = machine.fingerprint(
        own_text, recipe["mirror"], recipe["sources"], recipe["pip_conf"], recipe["npm_registry"],
        *recipe["certificates"],
    )  # fmt: skip
    return recipe


def docker(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], check=kwargs.pop("check", True), **kwargs)


def image_hash(reference: str) -> str:
    result = docker(
        "image", "inspect", "--format", "{{ index .Config.Labels \"%s\" }}" % LABEL, reference,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout.strip() if result.returncode == 0 else ""


def chroot(root: str, *command: str) -> None:
    subprocess.run(["chroot", root, *command], check=True, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})


def write(root: str, path: str, text: str, mode: int = 0o644) -> None:
    target = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(target, mode)


def build_rootfs(root: str, recipe: dict) -> None:
    """debootstrap the release, then give it the controller's trust store and indexes."""
    subprocess.run(
        ["debootstrap", "--variant=minbase", "--components=main", "--include=" + ",".join(PACKAGES),
         RELEASE, root, recipe["mirror"]],
        check=True,
    )  # fmt: skip
    os.remove(os.path.join(root, "etc/apt/sources.list"))
    write(root, "/etc/apt/sources.list.d/debian.sources", recipe["sources"])
    # Only what the distribution's bundle lacks: a TLS-inspecting proxy's CA, a corporate root.
    with open(os.path.join(root, "etc/ssl/certs/ca-certificates.crt"), encoding="ascii", errors="ignore") as handle:
        known = {certificate.strip() for certificate in machine.split_pem(handle.read())}
    extra = [certificate for certificate in recipe["certificates"] if certificate.strip() not in known]
    for number, certificate in enumerate(extra):
        write(root, f"/usr/local/share/ca-certificates/controller/ca-{number:04d}.crt", certificate)
    chroot(root, "update-ca-certificates", "--fresh")
    write(root, "/etc/pip.conf", recipe["pip_conf"])
    if recipe["npm_registry"]:
        write(root, "/etc/npmrc", f"registry={recipe['npm_registry']}\ncafile=/etc/ssl/certs/ca-certificates.crt\n")
    for unit in MASKED_UNITS:
        os.symlink("/dev/null", os.path.join(root, "etc/systemd/system", unit))
    # Each container must get its own machine id at boot.
    write(root, "/etc/machine-id", "")
    chroot(root, "apt-get", "clean")
    shutil.rmtree(os.path.join(root, "var/lib/apt/lists"), ignore_errors=True)
    os.makedirs(os.path.join(root, "var/lib/apt/lists/partial"), exist_ok=True)


def import_tarball(tarball: str, reference: str, content_hash: str) -> None:
    """Import the root file system, then add the metadata `docker import` cannot set (STOPSIGNAL)."""
    rootfs_reference = f"{IMAGE}-rootfs:{content_hash}"
    docker("import", tarball, rootfs_reference, stdout=subprocess.DEVNULL)
    dockerfile = "\n".join([
        f"FROM {rootfs_reference}", "ENV container=docker", "STOPSIGNAL SIGRTMIN+3",
        f"LABEL {LABEL}={content_hash}", 'CMD ["/lib/systemd/systemd"]', "",
    ])  # fmt: skip
    with tempfile.TemporaryDirectory() as context:
        with open(os.path.join(context, "Dockerfile"), "w", encoding="utf-8") as handle:
            handle.write(dockerfile)
        docker("build", "--quiet", "--tag", reference, context, stdout=subprocess.DEVNULL)
    docker("rmi", rootfs_reference, stdout=subprocess.DEVNULL, check=False)
    docker("tag", reference, f"{IMAGE}:{RELEASE}")


def ensure_image(force: bool = False) -> str:
    """Return the image reference, building or re-importing it only when needed."""
    recipe = image_recipe()
    reference = f"{IMAGE}:{RELEASE}-{recipe['hash']}"
    if not force and image_hash(reference) == recipe["hash"]:
        docker("tag", reference, f"{IMAGE}:{RELEASE}")
        return reference
    tarball = os.path.join(cache_dir(), f"debian-systemd-{RELEASE}-{recipe['hash']}.tar.gz")
    if force or not os.path.exists(tarball):
        work = tempfile.mkdtemp(prefix="blueprint-rootfs-", dir=cache_dir())
        try:
            root = os.path.join(work, "rootfs")
            build_rootfs(root, recipe)
            partial = tarball + ".partial"
            with gzip.open(partial, "wb", compresslevel=1) as archive:
                tar = subprocess.Popen(["tar", "-C", root, "--numeric-owner", "-cf", "-", "."], stdout=subprocess.PIPE)
                shutil.copyfileobj(tar.stdout, archive, 1 << 20)
                if tar.wait() != 0:
                    raise RuntimeError("tar of the root file system failed")
            os.replace(partial, tarball)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for stale in os.listdir(cache_dir()):
            if stale.endswith(".tar.gz") and stale != os.path.basename(tarball):
                os.remove(os.path.join(cache_dir(), stale))
    import_tarball(tarball, reference, recipe["hash"])
    return reference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when a cached image matches")
    args = parser.parse_args()
    print(ensure_image(force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
