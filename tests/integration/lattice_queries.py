# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the emulator holds for the lattice stack, asked with boto3 in the terms the inventory uses
(tests/integration/test_lattice_stack.py reads these)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NEWEST_DEBIAN = "ami-0de12b00000000002"  # the newer of the two Debian 12 images the emulator carries
LIVE = ["pending", "running", "stopping", "stopped"]
TABLE = "lattice-users"


def live_nat_gateways(ec2) -> list[dict]:
    gateways = ec2.describe_nat_gateways()["NatGateways"]
    return [gateway for gateway in gateways if gateway["State"] in ("pending", "available")]


def stack_groups(ec2) -> dict[str, dict]:
    groups = ec2.describe_security_groups(Filters=[{"Name": "tag:blueprint:stack", "Values": ["lattice"]}])
    return {group["GroupName"]: group for group in groups["SecurityGroups"]}


def stack_albs(elbv2) -> dict[str, dict]:
    return {lb["LoadBalancerName"]: lb for lb in elbv2.describe_load_balancers()["LoadBalancers"]}


def stack_target_groups(elbv2) -> dict[str, dict]:
    return {tg["TargetGroupName"]: tg for tg in elbv2.describe_target_groups()["TargetGroups"]}


def listeners_by_port(elbv2, alb: dict) -> dict[int, dict]:
    found = elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    return {listener["Port"]: listener for listener in found}


def attributes(elbv2, alb: dict) -> dict[str, str]:
    found = elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]
    return {attribute["Key"]: attribute["Value"] for attribute in found}


def import_certificate(acm) -> str:
    """A self-signed certificate in the emulator's ACM, as a stand-in for an issued one."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "consumer.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256())
    )  # fmt: skip
    return acm.import_certificate(
        Certificate=certificate.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()),
    )["CertificateArn"]  # fmt: skip


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


def protection(aws) -> dict:
    """What the emulator holds for the users table, as the inventory states it."""
    dynamodb = aws.client("dynamodb")
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    pitr = dynamodb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"
    ]
    key_arn = table.get("SSEDescription", {}).get("KMSMasterKeyArn")
    return {
        "key_schema": [(key["AttributeName"], key["KeyType"]) for key in table["KeySchema"]],
        "attributes": {item["AttributeName"]: item["AttributeType"] for item in table["AttributeDefinitions"]},
        "billing_mode": table["BillingModeSummary"]["BillingMode"],
        "point_in_time_recovery": (pitr["PointInTimeRecoveryStatus"], pitr.get("RecoveryPeriodInDays")),
        "deletion_protection": table["DeletionProtectionEnabled"],
        "key_manager": aws.client("kms").describe_key(KeyId=key_arn)["KeyMetadata"]["KeyManager"] if key_arn else None,
    }


def tables(aws) -> list[str]:
    return aws.client("dynamodb").list_tables()["TableNames"]
