# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lattice stack's data layer on the emulator: converge, re-run, check, tear down with and without consent."""

from __future__ import annotations

LAYER = ("--tags", "data")
TABLE = "lattice-users"
CONFIRM = {"blueprint_confirm_data_destruction": True}


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


def test_converge_rerun_check_and_teardown(playbook, aws):
    first = playbook("site.yml", *LAYER)
    assert first.returncode == 0, first.failure_messages() or first.stderr
    assert first.changed > 0

    assert protection(aws) == {
        "key_schema": [("user_id", "HASH")],
        "attributes": {"user_id": "S"},
        "billing_mode": "PAY_PER_REQUEST",
        "point_in_time_recovery": ("ENABLED", 35),
        "deletion_protection": True,
        "key_manager": "AWS",  # the account's aws/dynamodb key
    }
    arn = aws.client("dynamodb").describe_table(TableName=TABLE)["Table"]["TableArn"]
    tags = {tag["Key"]: tag["Value"] for tag in aws.client("dynamodb").list_tags_of_resource(ResourceArn=arn)["Tags"]}
    assert {tags["blueprint:stack"], tags["blueprint:table"], tags["Name"]} == {"lattice", "users", TABLE}
    published = first.task_results("Publish the names and ARNs of the tables")[-1]["ansible_facts"]
    assert published == {"data_dynamodb_table_names": {"users": TABLE}, "data_dynamodb_table_arns": {"users": arn}}

    second = playbook("site.yml", *LAYER)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # Check mode with a week of recovery and no deletion protection predicts both, shows them, alters nothing.
    changed_table = {"name": "users", "table_name": TABLE, "hash_key": {"name": "user_id"},
                     "recovery_period_days": 7, "deletion_protection": False}  # fmt: skip
    check = playbook("site.yml", *LAYER, "--check", "--diff", extra_vars={"data_dynamodb_tables": [changed_table]})
    assert check.returncode == 0, check.failure_messages()
    [predicted] = check.task_results("keeps point-in-time recovery")[0]["results"]
    assert predicted["changed"]
    assert predicted["diff"]["before"]["deletion_protection"] is True
    assert (predicted["diff"]["after"]["deletion_protection"], predicted["diff"]["after"]["recovery_period_days"]) == (
        False, 7)  # fmt: skip
    assert protection(aws)["deletion_protection"] is True
    assert protection(aws)["point_in_time_recovery"] == ("ENABLED", 35)

    # Tear-down without the confirmation keeps the table, and says which variable would delete it.
    kept = playbook("teardown.yml", *LAYER)
    assert kept.returncode == 0, kept.failure_messages()
    assert kept.changed == 0, kept.changed_tasks()
    [notice] = kept.task_results("Keep the DynamoDB tables")
    assert "blueprint_confirm_data_destruction=true" in notice["msg"] and TABLE in notice["msg"]
    assert tables(aws) == [TABLE]

    down = playbook("teardown.yml", *LAYER, extra_vars=CONFIRM)
    assert down.returncode == 0, down.failure_messages()
    assert tables(aws) == []
    published = down.task_results("Publish the names and ARNs of the tables")[-1]["ansible_facts"]
    assert published == {"data_dynamodb_table_names": {}, "data_dynamodb_table_arns": {}}


def test_bad_input_fails_before_any_aws_call(refused):
    tables_in = [
        {"name": "users", "hash_key": {"name": "user_id"}},
        {"name": "users", "hash_key": {"name": "id"}, "range_key": {"name": "id"}, "encryption": "customer_managed"},
    ]
    refused(
        {"data_dynamodb_tables": tables_in},
        "data_dynamodb_tables[1] (users).range_key.name: 'id' is already the hash key",
        "data_dynamodb_tables[1] (users).kms_key_id: encryption customer_managed needs the KMS key",
        "data_dynamodb_tables: name 'users' is used by more than one table",
        args=LAYER,
    )
