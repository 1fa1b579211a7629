# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the common role leaves running on every host of the stack, asked of the running system.

lattice-app also carries host additions (host_vars/lattice-app.yml: an extra package, an sshd setting, Amazon Time
Sync), so the layering of extras over the baseline is exercised; the other hosts take the defaults.
"""

from __future__ import annotations

import pytest

PACKAGES = [
    "ca-certificates", "curl", "gnupg", "jq", "less", "lsof", "rsync", "tzdata", "unzip",
    "chrony", "openssh-server", "unattended-upgrades",
]  # fmt: skip
AMAZON_TIME_SYNC = "169.254.169.123"
SSHD_BASELINE = {
    "permitrootlogin": "no",
    "passwordauthentication": "no",
    "kbdinteractiveauthentication": "no",
    "permitemptypasswords": "no",
    "x11forwarding": "no",
    "allowagentforwarding": "no",
    "maxauthtries": "3",
    "logingracetime": "30",
    "clientaliveinterval": "300",
    "clientalivecountmax": "2",
    "loglevel": "VERBOSE",
}


testinfra_hosts = ["ansible://lattice-bastion", "ansible://lattice-consumer", "ansible://lattice-app"]


def with_additions(host) -> bool:
    return host.backend.get_hostname() == "lattice-app"


def installed(host) -> set[str]:
    listing = host.check_output("dpkg-query -W -f '${Package} ${db:Status-Status}\\n'")
    return {name for name, _space, status in (line.partition(" ") for line in listing.splitlines()) if status == "installed"}


def test_packages_are_installed(host) -> None:
    have = installed(host)
    assert not set(PACKAGES) - have
    assert ("tree" in have) == with_additions(host)


@pytest.mark.parametrize("unit", ["chrony", "ssh", "apt-daily.timer", "apt-daily-upgrade.timer"])
def test_unit_is_enabled_and_running(host, unit: str) -> None:
    service = host.service(unit)
    assert service.is_enabled
    assert service.is_running


def test_sshd_answers_on_port_22(host) -> None:
    assert host.socket("tcp://0.0.0.0:22").is_listening
    banner = host.check_output("timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/22; head -c 8 <&3'")
    assert banner.startswith("SSH-2.0-")


def test_sshd_effective_configuration(host) -> None:
    """``sshd -T`` prints the configuration sshd actually applies, after every drop-in."""
    lines = host.check_output("/usr/sbin/sshd -T").splitlines()
    effective = dict(line.split(" ", 1) for line in lines if " " in line)
    assert {keyword: effective.get(keyword) for keyword in SSHD_BASELINE} == SSHD_BASELINE
    assert effective["maxsessions"] == ("4" if with_additions(host) else "10")


def test_chronyd_answers(host) -> None:
    tracking = host.run("chronyc -n tracking")
    assert tracking.rc == 0, tracking.stderr
    assert "Reference ID" in tracking.stdout


def test_chronyd_leaves_the_container_clock_alone(host) -> None:
    daemons = host.process.filter(comm="chronyd")
    assert daemons
    assert all("-x" in daemon.args.split() for daemon in daemons)


def test_chronyd_prefers_amazon_time_sync_on_ec2_only(host) -> None:
    sources = host.check_output("chronyc -n sources")
    assert (AMAZON_TIME_SYNC in sources) == with_additions(host)


def test_apt_runs_unattended_upgrades_daily(host) -> None:
    config = host.check_output("apt-config dump APT::Periodic")
    assert 'APT::Periodic::Update-Package-Lists "1";' in config
    assert 'APT::Periodic::Unattended-Upgrade "1";' in config


def test_unattended_upgrades_is_limited_to_the_security_origin(host) -> None:
    config = host.check_output("apt-config dump Unattended-Upgrade::Origins-Pattern")
    entries = [line for line in config.splitlines() if line.startswith("Unattended-Upgrade::Origins-Pattern::")]
    patterns = [entry.split('"')[1] for entry in entries]
    assert patterns == [
        "origin=Debian,codename=${distro_codename},label=Debian-Security",
        "origin=Debian,codename=${distro_codename}-security,label=Debian-Security",
    ]


def test_unattended_upgrades_selects_security_updates_only(host) -> None:
    """A dry run (downloads, installs nothing) shows which archives unattended-upgrades would take from.

    It costs ~15 s of CPU, and the configuration is the same on every host, so one host runs it.
    """
    if host.backend.get_hostname() != "lattice-consumer":
        pytest.skip("one dry run proves the shared configuration")
    run = host.run("unattended-upgrade --dry-run --debug")
    assert run.rc == 0, run.stderr
    output = run.stdout + run.stderr
    allowed = [line for line in output.splitlines() if line.startswith("Allowed origins are:")]
    assert allowed == [
        "Allowed origins are: origin=Debian,codename=bookworm,label=Debian-Security, "
        "origin=Debian,codename=bookworm-security,label=Debian-Security"
    ]
    taken = [line for line in output.splitlines() if line.startswith("Checking: ")]
    assert all("label:'Debian-Security'" in line for line in taken), taken


def test_clock_reads_utc(host) -> None:
    assert host.file("/etc/localtime").linked_to == "/usr/share/zoneinfo/Etc/UTC"
    assert host.check_output("date +%Z") == "UTC"
