# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts about the controller that test hosts must share.

Nothing here names a registry, mirror or address: every value is read from
the machine's own apt, pip and npm configuration, or from /proc.
"""

from __future__ import annotations

import configparser
import glob
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

# Linux capability numbers (include/uapi/linux/capability.h), as Docker spells them.
CAPABILITY_NAMES = [
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
]  # fmt: skip


def bounding_capabilities(status_text: str | None = None) -> list[str]:
    """Return the capabilities in this process's bounding set, by Docker name.

    ``privileged: true`` asks for every capability the engine knows, and fails
    where the bounding set lacks one; asking for exactly this list works everywhere.
    """
    if status_text is None:
        with open("/proc/self/status", encoding="ascii") as handle:
            status_text = handle.read()
    match = re.search(r"^CapBnd:\s*([0-9a-fA-F]+)$", status_text, re.MULTILINE)
    if not match:
        raise ValueError("no CapBnd line in /proc/self/status")
    mask = int(match.group(1), 16)
    return [name for bit, name in enumerate(CAPABILITY_NAMES) if mask & (1 << bit)]


@dataclass
class AptSource:
    """One apt source entry: a URI with its suites and components."""

    uri: str
    suites: list[str]
    components: list[str]
    signed_by: str = ""


def _parse_deb822(text: str) -> list[AptSource]:
    sources = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, _colon, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        for uri in fields.get("uris", "").split():
            sources.append(
                AptSource(uri, fields.get("suites", "").split(), fields.get("components", "").split(),
                          fields.get("signed-by", ""))
            )
    return sources


def _parse_one_line(text: str) -> list[AptSource]:
    sources = []
    for line in text.splitlines():
        line = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
        if len(line) >= 3 and line[0] == "deb":
            sources.append(AptSource(line[1], [line[2]], line[3:]))
    return sources


def apt_sources(root: str = "/etc/apt") -> list[AptSource]:
    """Every enabled binary apt source of this machine."""
    found: list[AptSource] = []
    one_line = [os.path.join(root, "sources.list")] + sorted(glob.glob(os.path.join(root, "sources.list.d", "*.list")))
    for path in one_line:
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                found += _parse_one_line(handle.read())
    for path in sorted(glob.glob(os.path.join(root, "sources.list.d", "*.sources"))):
        with open(path, encoding="utf-8") as handle:
            found += _parse_deb822(handle.read())
    return found


def distribution_sources(codename: str, sources: list[AptSource] | None = None) -> list[AptSource]:
    """The entries serving the distribution itself (codename, -updates, -security), main component."""
    wanted = {codename, f"{codename}-updates", f"{codename}-security"}
    picked = []
    for source in apt_sources() if sources is None else sources:
        suites = [suite.rstrip("/") for suite in source.suites if suite.rstrip("/") in wanted]
        if suites and "main" in source.components:
            picked.append(AptSource(source.uri, suites, ["main"], source.signed_by))
    return picked


def archive_mirror(codename: str, sources: list[AptSource] | None = None) -> str:
    """The URI that serves ``codename`` itself, for debootstrap."""
    for source in distribution_sources(codename, sources):
        if codename in source.suites:
            return source.uri
    raise LookupError(f"no apt source of this machine serves '{codename} main'; debootstrap needs one")


def render_deb822(sources: list[AptSource]) -> str:
    """Sources in deb822 form, signed by the distribution's keyring."""
    stanzas = []
    for source in sources:
        stanzas.append(
            "Types: deb\nURIs: {0}\nSuites: {1}\nComponents: {2}\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n".format(
                source.uri, " ".join(source.suites), " ".join(source.components)
            )
        )
    return "\n".join(stanzas)


@dataclass
class PackageIndexes:
    """Where pip and npm install from on this machine (network indexes only)."""

    pip_index_url: str = ""
    pip_extra_index_urls: list[str] = field(default_factory=list)
    pip_trusted_hosts: list[str] = field(default_factory=list)
    npm_registry: str = ""


def _network_urls(value: str) -> list[str]:
    return [url for url in value.split() if url.startswith(("http://", "https://"))]


def package_indexes() -> PackageIndexes:
    """Read pip's and npm's configured indexes; local ``file://`` indexes are left out."""
    indexes = PackageIndexes()
    pip = shutil.which("pip3") or shutil.which("pip")
    if pip:
        listing = subprocess.run([pip, "config", "list"], capture_output=True, text=True, check=False).stdout
        for line in listing.splitlines():
            key, _equals, value = line.partition("=")
            value = value.strip().strip("'\"")
            name = key.rsplit(".", 1)[-1]
            if name == "index-url":
                indexes.pip_index_url = (_network_urls(value) or [""])[0]
            elif name == "extra-index-url":
                indexes.pip_extra_index_urls += _network_urls(value)
            elif name == "trusted-host":
                indexes.pip_trusted_hosts += value.split()
    npm = shutil.which("npm")
    if npm:
        registry = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True, check=False)
        indexes.npm_registry = (_network_urls(registry.stdout.strip()) or [""])[0]
    return indexes


def render_pip_conf(indexes: PackageIndexes) -> str:
    """A pip.conf for test hosts that mirrors the controller's network indexes."""
    config = configparser.ConfigParser()
    config["global"] = {"cert": "/etc/ssl/certs/ca-certificates.crt"}
    if indexes.pip_index_url:
        config["global"]["index-url"] = indexes.pip_index_url
    if indexes.pip_extra_index_urls:
        config["global"]["extra-index-url"] = " ".join(indexes.pip_extra_index_urls)
    if indexes.pip_trusted_hosts:
        config["global"]["trusted-host"] = " ".join(indexes.pip_trusted_hosts)
    lines = []
    for section in config.sections():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in config[section].items()]
    return "\n".join(lines) + "\n"


def split_pem(text: str) -> list[str]:
    """Each PEM certificate block in ``text``."""
    return re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", text, re.DOTALL)


def ca_certificates(bundle: str = "/etc/ssl/certs/ca-certificates.crt") -> list[str]:
    """The controller's trusted certificates, one PEM block each."""
    with open(bundle, encoding="ascii", errors="ignore") as handle:
        return split_pem(handle.read())


def fingerprint(*parts: str) -> str:
    """A short content hash over the given strings."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def os_codename() -> str:
    """This machine's Debian codename, for a test image of the same release."""
    with open("/etc/os-release", encoding="utf-8") as handle:
        match = re.search(r"^VERSION_CODENAME=\"?([a-z]+)", handle.read(), re.MULTILINE)
    return match.group(1) if match else "bookworm"


def engine_capabilities(wanted: list[str], image: str, docker: str = "docker") -> list[str]:
    """The subset of ``wanted`` that this Docker engine accepts in ``--cap-add``.

    Older engines reject capabilities newer than themselves (``unknown capability:
    "CAP_BPF"``), one per error, so create a container that never starts, drop each
    capability the engine names, and retry until it is accepted; then remove it.
    """
    usable = list(wanted)
    for _attempt in range(len(wanted) + 1):
        caps = [arg for name in usable for arg in ("--cap-add", name)]
        result = subprocess.run(
            [docker, "create", "--cap-drop", "ALL", *caps, image, "true"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode == 0:
            subprocess.run([docker, "rm", result.stdout.strip()], capture_output=True, check=False)
            return usable
        match = re.search(r'unknown capability: "?(?:CAP_)?([A-Z_]+)"?', result.stderr)
        if not match or match.group(1) not in usable:
            raise RuntimeError(f"docker create failed while probing capabilities: {result.stderr.strip()}")
        usable.remove(match.group(1))
    raise RuntimeError("the engine kept rejecting capabilities; giving up")
