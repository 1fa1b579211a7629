# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator carries the images the playbooks look up (Debian 12) and keeps emulated instances out of inventories."""

from __future__ import annotations

import boto3
import emulator
from moto import mock_aws


def test_seeded_debian_images_answer_the_compute_layers_lookup_in_every_region():
    emulator.seed_amis()
    assert emulator.seed_amis() == []  # once only
    with mock_aws():
        for region in ("ap-northeast-2", "us-east-1"):
            ec2 = boto3.client("ec2", region_name=region)
            images = ec2.describe_images(
                Owners=["136693071363"],
                Filters=[{"Name": "name", "Values": ["debian-12-amd64-*"]}, {"Name": "state", "Values": ["available"]},
                         {"Name": "architecture", "Values": ["x86_64"]}],
            )["Images"]  # fmt: skip
            newest = max(images, key=lambda image: image["CreationDate"])
            assert len(images) == 2
            assert newest["ImageId"] == "ami-0de12b00000000002"
            assert newest["RootDeviceName"] == "/dev/xvda" and newest["RootDeviceType"] == "ebs"
        # moto's own images stay.
        assert ec2.describe_images(Owners=["amazon"])["Images"]


def test_emulator_runs_leave_dynamic_inventory_configs_out_of_directory_loads(tmp_path):
    """An inventory directory's aws_ec2.yml is skipped (no API call, no emulated hosts); naming it with -i reads it."""
    import json  # pylint: disable=import-outside-toplevel
    import os  # pylint: disable=import-outside-toplevel
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel

    env = emulator.endpoint_environment("http://127.0.0.1:9", "ap-northeast-2")
    assert env["ANSIBLE_INVENTORY_IGNORE_REGEX"] == emulator.INVENTORY_IGNORE_REGEX
    (tmp_path / "hosts.yml").write_text("all:\n  hosts:\n    static: {}\n")
    # Unreachable endpoint: were the plugin config read, the run would fail (strict) or hang on retries.
    (tmp_path / "aws_ec2.yml").write_text("plugin: amazon.aws.aws_ec2\nregions: [ap-northeast-2]\nstrict: true\n")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", str(tmp_path), "--list"]
    strict = dict(os.environ, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true", AWS_MAX_ATTEMPTS="1")
    result = subprocess.run(command, env=dict(strict, **env), capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert list(json.loads(result.stdout)["_meta"]["hostvars"]) == ["static"]
    env.pop("ANSIBLE_INVENTORY_IGNORE_REGEX")
    result = subprocess.run(command, env=dict(strict, **env), capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode != 0 and "aws_ec2.yml" in result.stderr
