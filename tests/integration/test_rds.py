# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The webapp stack's RDS MySQL on the emulator: converge, re-run, check, and tear-down that keeps a final
snapshot and the password secret until the confirmation, then leaves nothing."""

from __future__ import annotations

import json

import pytest

INVENTORY = "inventories/webapp"
WITH_PREREQUISITES = ("--tags", "network,security,data")
ONLY = ("--tags", "data")
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}
CONFIRM = {**ADMIN, "blueprint_confirm_data_destruction": True}
DB = "webapp-main"


def leftovers(aws) -> dict[str, list]:
    rds, secrets = aws.client("rds"), aws.client("secretsmanager")
    return {
        "instances": [db["DBInstanceIdentifier"] for db in rds.describe_db_instances()["DBInstances"]],
        "snapshots": [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]],
        "subnet_groups": [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]],
        "parameter_groups": [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
                             if not g["DBParameterGroupName"].startswith("default")],
        "secrets": [s["Name"] for s in secrets.list_secrets()["SecretList"] if not s.get("DeletedDate")],
    }  # fmt: skip


def test_converge_rerun_check_and_teardown_with_and_without_data(playbook, aws):
    first = playbook("site.yml", *WITH_PREREQUISITES, inventory=INVENTORY, extra_vars=ADMIN)
    assert first.returncode == 0, first.failure_messages() or first.stderr[-2000:]

    rds, ec2 = aws.client("rds"), aws.client("ec2")
    [db] = rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"]
    assert (db["Engine"], db["EngineVersion"], db["DBInstanceClass"]) == ("mysql", "8.0", "db.t3.micro")
    assert (db["MultiAZ"], db["BackupRetentionPeriod"], db["StorageEncrypted"]) == (True, 7, True)
    assert (db["PubliclyAccessible"], db["DeletionProtection"]) == (False, True)
    assert sorted(db["EnabledCloudwatchLogsExports"]) == ["error", "slowquery"]
    assert (db["AllocatedStorage"], db["MaxAllocatedStorage"], db["StorageType"]) == (20, 100, "gp3")
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [groups["webapp-rds"]["GroupId"]]
    # Only the backend reaches MySQL, and the database reaches nothing.
    [rule] = groups["webapp-rds"]["IpPermissions"]
    assert (rule["FromPort"], rule["ToPort"], [pair["GroupId"] for pair in rule["UserIdGroupPairs"]], rule["IpRanges"]) == (
        3306, 3306, [groups["webapp-backend"]["GroupId"]], [])
    assert groups["webapp-rds"]["IpPermissionsEgress"] == []
    private = sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["CidrBlock"] in ("10.0.3.0/24", "10.0.4.0/24"))
    assert sorted(s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]) == private
    parameters = {p["ParameterName"]: p.get("ParameterValue") for p in rds.describe_db_parameters(DBParameterGroupName=DB)["Parameters"]}
    assert (parameters["slow_query_log"], parameters["long_query_time"], parameters["require_secure_transport"]) == ("1", "2", "1")

    # The password lives in Secrets Manager only; the facts carry the secret's ARN and the endpoint.
    published = first.task_results("Publish the endpoints and master secret ARNs")[-1]["ansible_facts"]
    assert published["data_rds_endpoints"] == {"main": {"address": db["Endpoint"]["Address"], "port": 3306}}
    secret_arn = published["data_rds_secret_arns"]["main"]
    credentials = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    assert credentials["username"] == "admin" and len(credentials["password"]) == 32
    assert credentials["password"] not in first.stdout + first.stderr

    second = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()
    again = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    assert again == credentials

    # Check mode with two weeks of backups reports a change and alters nothing.
    changed_instance = {"name": "main", "vpc": "webapp", "security_groups": ["rds"], "max_allocated_storage": 100,
                        "db_name": "webapp", "backup_retention_days": 14, "master_password": {"source": "generate"}}
    check = playbook("site.yml", *ONLY, "--check", inventory=INVENTORY,
                     extra_vars={**ADMIN, "data_rds_instances": [changed_instance]})
    assert check.returncode == 0, check.failure_messages()
    assert "Ensure each RDS instance runs encrypted" in " ".join(check.changed_tasks())
    assert rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]["BackupRetentionPeriod"] == 7

    # Without the confirmation the instance goes after a final snapshot; the snapshot and the secret stay.
    keep = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert keep.returncode == 0, keep.failure_messages()
    [notice] = keep.task_results("Say which final snapshots keep the data")[0]["results"]
    assert "blueprint_confirm_data_destruction=true" in notice["msg"]
    left = leftovers(aws)
    assert left["instances"] == [] and left["subnet_groups"] == [] and left["parameter_groups"] == []
    [snapshot] = left["snapshots"]
    assert snapshot.startswith(DB + "-final-") and left["secrets"] == [DB + "-master"]
    rerun = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert rerun.returncode == 0 and rerun.changed == 0, rerun.changed_tasks()

    gone = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=CONFIRM)
    assert gone.returncode == 0, gone.failure_messages()
    assert all(value == [] for value in leftovers(aws).values()), leftovers(aws)


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"webapp_db_master_password": {"source": "variable", "variable": "webapp_db_password"}},
         "data_rds_instances[0] (main).master_password.variable: webapp_db_password is not defined"),
        ({"webapp_db_master_password": {"source": "variable", "variable": "webapp_db_password"},
          "webapp_db_password": "has a space"},
         "data_rds_instances[0] (main).master_password.variable: the password in webapp_db_password must be 8 to 41"),
        ({"webapp_db_master_password": None}, "data_rds_instances[0] (main).master_password: say where the master password comes from"),
        ({"webapp_db_master_password": {"source": "secret"}}, "data_rds_instances[0] (main).master_password.secret: name the"),
    ],
    ids=["undefined-variable", "bad-password", "no-source", "secret-without-name"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    result = refused({**ADMIN, **extra_vars}, expected, inventory=INVENTORY)
    assert "has a space" not in result.stdout + result.stderr
