# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What fastapi_service leaves running on the consumer and app hosts, asked of the running system."""

from __future__ import annotations

from conftest import PORT, UNITS

testinfra_hosts = ["ansible://lattice-consumer", "ansible://lattice-app"]


def unit(host) -> str:
    return UNITS[host.backend.get_hostname()]


def show(host, name: str, *properties: str) -> dict[str, str]:
    output = host.check_output(f"systemctl show {name} --property={','.join(properties)}")
    return dict(line.split("=", 1) for line in output.splitlines())


def test_unit_is_enabled_and_running(host) -> None:
    service = host.service(unit(host))
    assert service.is_enabled
    assert service.is_running


def test_service_runs_as_its_own_user_without_a_shell(host) -> None:
    name = unit(host)
    pid = show(host, name, "MainPID")["MainPID"]
    assert host.check_output(f"ps -o user= -p {pid}") == name
    user = host.user(name)
    assert user.shell == "/usr/sbin/nologin"
    assert user.uid < 1000


def test_listens_on_the_app_port(host) -> None:
    assert host.socket(f"tcp://0.0.0.0:{PORT}").is_listening


def test_environment_file_is_root_only(host) -> None:
    env = host.file(f"/etc/{unit(host)}/env")
    assert env.user == "root" and env.group == "root"
    assert env.mode == 0o600


def test_unit_restarts_on_failure_and_is_sandboxed(host) -> None:
    properties = show(
        host, unit(host), "Restart", "ProtectSystem", "ProtectHome", "NoNewPrivileges", "PrivateTmp",
        "PrivateDevices", "CapabilityBoundingSet", "EnvironmentFiles",
    )  # fmt: skip
    assert properties["Restart"] == "on-failure"
    assert properties["ProtectSystem"] == "strict"
    assert properties["ProtectHome"] == "yes"
    assert properties["NoNewPrivileges"] == "yes"
    assert properties["PrivateTmp"] == "yes"
    assert properties["PrivateDevices"] == "yes"
    assert properties["CapabilityBoundingSet"] == ""
    assert properties["EnvironmentFiles"].startswith(f"/etc/{unit(host)}/env ")


def test_code_is_read_only_to_the_service_and_has_no_tests(host) -> None:
    root = f"/opt/{unit(host)}"
    assert host.file(f"{root}/main.py").user == "root"
    assert host.file(f"{root}/main.py").mode == 0o644
    assert host.file(f"{root}/venv/bin/uvicorn").is_file
    for left_out in ("tests", "pytest.ini", "requirements-test.txt", "__pycache__"):
        assert not host.file(f"{root}/{left_out}").exists, left_out
    write = host.run(f"runuser -u {unit(host)} -- touch {root}/probe")
    assert write.rc != 0


def test_health_answers_on_the_host(host) -> None:
    assert host.check_output(f"curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{PORT}/health") == "200"
