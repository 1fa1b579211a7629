# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice stack's compute layer on the emulator: converge, re-run, check, the aws_ec2 inventory, tear down."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYERS = ("--tags", "network,security,loadbalancer,compute")
NEWEST_DEBIAN = "ami-0de12b00000000002"  # the newer of the two Debian 12 images the emulator carries
LIVE = ["pending", "running", "stopping", "stopped"]


def stack_instances(ec2) -> list[dict]:
    reservations = ec2.describe_instances(
        Filters=[
            {"Name": "tag:blueprint:stack", "Values": ["lattice"]},
            {"Name": "instance-state-name", "Values": LIVE},
        ]
    )["Reservations"]
    return [instance for reservation in reservations for instance in reservation["Instances"]]


def tags_of(resource: dict) -> dict:
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def latest_template_data(ec2, name: str) -> dict:
    versions = ec2.describe_launch_template_versions(LaunchTemplateName=name, Versions=["$Latest"])
    return versions["LaunchTemplateVersions"][0]["LaunchTemplateData"]


def inventory_list(aws, source: str) -> dict:
    """`ansible-inventory --list` over an inventory source of this checkout, pointed at the emulator."""
    env = dict(os.environ)
    env.update(aws.env)
    env.update({"ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"})
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-inventory"), "-i", source, "--list"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    # Values computed by an inventory plugin are listed as {"__ansible_unsafe": value}.
    return json.loads(result.stdout, object_hook=lambda obj: obj.get("__ansible_unsafe", obj) if len(obj) == 1 else obj)


def test_converge_rerun_check_inventory_and_teardown(playbook, aws, tmp_path):
    ec2 = aws.client("ec2")
    autoscaling = aws.client("autoscaling")
    key_dir = tmp_path / "keys" / "lattice"
    keys = {"compute_key_dir": str(key_dir)}

    first = playbook("site.yml", *LAYERS, extra_vars=keys)
    assert first.returncode == 0, first.failure_messages() or first.stderr

    # The key pair: generated here, outside the repository, private half 0600 in a 0700 directory; EC2
    # holds the public half only.
    private_key = key_dir / "bastion"
    assert not str(private_key.resolve()).startswith(ROOT + os.sep)
    assert stat.S_IMODE(private_key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    pairs = ec2.describe_key_pairs(KeyNames=["lattice-bastion"], IncludePublicKey=True)["KeyPairs"]
    local_public = (key_dir / "bastion.pub").read_text().split()[:2]
    assert pairs[0]["KeyType"] == "ed25519" and pairs[0]["PublicKey"].split()[:2] == local_public

    # Launch templates: newest Debian 12, t3.micro, IMDSv2 required, encrypted gp3 root volume, Role tags.
    groups = {g["GroupName"]: g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    for name, group, role in (
        ("bastion", "bastion", "bastion"),
        ("consumer", "consumer-server", "consumer"),
        ("app", "app-server", "app"),
    ):
        data = latest_template_data(ec2, f"lattice-{name}")
        assert data["ImageId"] == NEWEST_DEBIAN and data["InstanceType"] == "t3.micro"
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        assert data["MetadataOptions"]["HttpPutResponseHopLimit"] == 1
        assert data["BlockDeviceMappings"] == [
            {
                "DeviceName": "/dev/xvda",
                "Ebs": {"Encrypted": True, "DeleteOnTermination": True, "VolumeSize": 8, "VolumeType": "gp3"},
            }
        ]
        assert data["SecurityGroupIds"] == [groups[f"lattice-{group}"]]
        instance_tags = next(spec["Tags"] for spec in data["TagSpecifications"] if spec["ResourceType"] == "instance")
        assert {"Key": "Role", "Value": role} in instance_tags
    assert latest_template_data(ec2, "lattice-app")["IamInstanceProfile"]["Arn"].endswith(
        ":instance-profile/lattice-app-dynamodb"
    )
    assert "IamInstanceProfile" not in latest_template_data(ec2, "lattice-consumer")
    user_data = base64.b64decode(latest_template_data(ec2, "lattice-app")["UserData"]).decode()
    assert "systemctl enable --now amazon-ssm-agent" in user_data and "amazon-ssm-ap-northeast-2" in user_data

    # The bastion: in the consumer VPC's first public subnet, IMDSv2 required, encrypted root volume, and the
    # Elastic IP (the seed's fixed address) associated and tagged for it.
    instances = stack_instances(ec2)
    bastion = next(i for i in instances if tags_of(i).get("blueprint:instance") == "bastion")
    assert tags_of(bastion)["Role"] == "bastion" and tags_of(bastion)["Name"] == "lattice-bastion"
    assert bastion["MetadataOptions"]["HttpTokens"] == "required"
    assert bastion["KeyName"] == "lattice-bastion" and bastion["ImageId"] == NEWEST_DEBIAN
    subnet = ec2.describe_subnets(SubnetIds=[bastion["SubnetId"]])["Subnets"][0]
    assert subnet["CidrBlock"] == "172.168.0.0/24"
    volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [bastion["InstanceId"]]}])
    root = next(v for v in volumes["Volumes"] if v["Attachments"][0]["Device"] == "/dev/xvda")
    assert root["Encrypted"] and root["VolumeType"] == "gp3"
    address = ec2.describe_addresses(Filters=[{"Name": "tag:blueprint:instance", "Values": ["bastion"]}])["Addresses"]
    assert len(address) == 1 and address[0]["InstanceId"] == bastion["InstanceId"]
    eip = address[0]["PublicIp"]

    # The groups: 2/6/2 with ELB health checks over the private subnets, in the loadbalancer layer's target groups.
    by_name = {g["AutoScalingGroupName"]: g for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]}
    assert sorted(by_name) == ["lattice-app", "lattice-consumer"]
    elbv2 = aws.client("elbv2")
    for name, target_group, cidrs in (
        ("consumer", "lattice-consumer-app", {"172.168.2.0/24", "172.168.3.0/24"}),
        ("app", "lattice-app-server", {"10.0.2.0/24", "10.0.3.0/24"}),
    ):
        group = by_name[f"lattice-{name}"]
        assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (2, 6, 2)
        assert group["HealthCheckType"] == "ELB" and group["HealthCheckGracePeriod"] == 1200
        assert group["LaunchTemplate"]["LaunchTemplateName"] == f"lattice-{name}"
        arns = group["TargetGroupARNs"]
        assert [tg["TargetGroupName"] for tg in elbv2.describe_target_groups(TargetGroupArns=arns)["TargetGroups"]] == [
            target_group
        ]
        subnets = ec2.describe_subnets(SubnetIds=group["VPCZoneIdentifier"].split(","))["Subnets"]
        assert {s["CidrBlock"] for s in subnets} == cidrs
        assert len(group["Instances"]) == 2
        assert {tag["Key"]: (tag["Value"], tag["PropagateAtLaunch"]) for tag in group["Tags"]}["Role"] == (name, True)
    consumer_tags = {tag["Key"]: tag["Value"] for tag in by_name["lattice-consumer"]["Tags"]}
    assert consumer_tags["blueprint:ssh-jump"] == eip
    assert "blueprint:ssh-jump" not in {tag["Key"] for tag in by_name["lattice-app"]["Tags"]}
    roles = sorted(tags_of(i).get("Role") for i in instances)
    assert roles == ["app", "app", "bastion", "consumer", "consumer"]

    # What the layer publishes for the next ones and the outputs.
    published = first.task_results("Publish key pairs, launch template ids")[0]["ansible_facts"]
    assert published["compute_instance_ids"] == {"bastion": bastion["InstanceId"]}
    assert published["compute_public_ips"] == {"bastion": eip}
    assert published["compute_private_ips"] == {"bastion": bastion["PrivateIpAddress"]}
    assert published["compute_autoscaling_group_names"] == {"consumer": "lattice-consumer", "app": "lattice-app"}
    assert sorted(published["compute_launch_template_ids"]) == ["app", "bastion", "consumer"]
    key_facts = first.task_results("Publish each key pair in EC2")[0]["results"][-1]["ansible_facts"]
    assert key_facts["compute_key_pairs"] == {
        "bastion": {"key_name": "lattice-bastion", "private_key_path": str(private_key)}
    }

    # The aws_ec2 inventory groups the instances by Role and says how to reach each.
    inventory = inventory_list(aws, "inventories/lattice/aws_ec2.yml")
    hostvars = inventory["_meta"]["hostvars"]
    members = {group: sorted(inventory.get(group, {}).get("hosts", [])) for group in ("bastion", "consumer", "app")}
    assert members["bastion"] == [f"bastion-{bastion['InstanceId']}"]
    assert len(members["consumer"]) == 2 and len(members["app"]) == 2
    assert all(host.startswith("consumer-i-") for host in members["consumer"])
    assert sorted(inventory["lattice"]["hosts"]) == sorted(sum(members.values(), []))
    assert hostvars[members["bastion"][0]]["ansible_host"] == eip
    for host in members["consumer"]:
        assert hostvars[host]["ansible_host"].startswith("172.168.")
        assert f'admin@{eip}"' in hostvars[host]["ansible_ssh_common_args"]
        assert "-i ~/.ssh/blueprint/lattice/bastion" in hostvars[host]["ansible_ssh_common_args"]
    for host in members["app"]:
        assert hostvars[host]["ansible_connection"] == "amazon.aws.aws_ssm"
        assert hostvars[host]["ansible_aws_ssm_instance_id"] == host.removeprefix("app-")
    # Loaded with its directory under the emulator's environment, it stays out: plays never try emulated hosts.
    assert list(inventory_list(aws, "inventories/lattice")["_meta"]["hostvars"]) == ["localhost"]

    second = playbook("site.yml", "--tags", "compute", extra_vars=keys)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # Check mode on the converged stack reports nothing (the groups included, which the module alone would not).
    unchanged = playbook("site.yml", "--tags", "compute", "--check", extra_vars=keys)
    assert unchanged.returncode == 0, unchanged.failure_messages()
    assert unchanged.changed == 0, unchanged.changed_tasks()

    # Check mode with a bigger root volume: the templates would take a new version and the groups would follow;
    # nothing else is reported, and nothing changes.
    check = playbook(
        "site.yml", "--tags", "compute", "--check", "--diff", extra_vars={**keys, "compute_root_volume_size": 10}
    )
    assert check.returncode == 0, check.failure_messages()
    assert sorted(task.split(" [")[0].split(" : ")[-1] for task in check.changed_tasks()) == [
        "Ensure each auto scaling group runs its launch template in its subnets and target groups",
        "Ensure each launch template requires IMDSv2 and encrypts its root volume",
    ]
    assert latest_template_data(ec2, "lattice-app")["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 8
    assert (
        ec2.describe_launch_templates(LaunchTemplateNames=["lattice-app"])["LaunchTemplates"][0]["LatestVersionNumber"]
        == 1
    )

    down = playbook("teardown.yml", "--tags", "compute", extra_vars=keys)
    assert down.returncode == 0, down.failure_messages()
    assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert stack_instances(ec2) == []
    assert ec2.describe_addresses(Filters=[{"Name": "tag-key", "Values": ["blueprint:instance"]}])["Addresses"] == []
    assert ec2.describe_launch_templates()["LaunchTemplates"] == []
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert private_key.exists()  # the controller's copy stays (README)
    # The layers under it are untouched: their teardown is theirs.
    assert len([v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]) == 2


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        (
            {
                "compute_autoscaling_groups": [
                    {
                        "name": "consumer",
                        "launch_template": "consumer",
                        "vpc": "consumer",
                        "min_size": 3,
                        "max_size": 2,
                        "target_groups": ["consumer-app"],
                    }
                ]
            },
            "compute_autoscaling_groups[0] (consumer): min_size 3 > max_size 2",
        ),
        (
            {"compute_launch_templates": [{"name": "x", "security_groups": ["nope"]}]},
            "compute_launch_templates[0] (x).security_groups: no security group named nope",
        ),
        ({"compute_key_dir": "{{ playbook_dir }}/keys"}, "compute_key_dir"),
    ],
    ids=["asg-min-above-max", "unknown-security-group", "keys-in-the-repository"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused(extra_vars, expected)
