# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dynamodb_table_protection: behaviour on moto in process (with the emulator's fixes, so UpdateTable changes
the key as AWS does); the exact calls, their order and the waits on a botocore Stubber."""

from __future__ import annotations

import time

import boto3
import moto_fixes
import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.blueprint.aws.plugins.modules import dynamodb_table_protection as module
from botocore.stub import Stubber
from moto import mock_aws

REGION = "us-east-1"
TABLE = "users"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:123456789012:table/{TABLE}"
KEY_ARN = f"arn:aws:kms:{REGION}:123456789012:key/0e5c2a4b-8f7d-4b1e-9c3a-6d2f1e0b9a87"
WRITES = ("Create", "Update", "Delete", "Put", "Tag", "Untag", "Restore")
PROTECTED = {"point_in_time_recovery": True, "deletion_protection": True, "encryption": "aws_managed"}


class ModuleExit(Exception):
    """exit_json or fail_json was called; ``result`` is what the module returned."""

    def __init__(self, result: dict, failed: bool):
        super().__init__(result.get("msg", ""))
        self.result = result
        self.failed = failed


class Recorder:
    """The API operations the clients were asked for, in order."""

    def __init__(self, *clients):
        self.operations: list[str] = []
        for client in clients:
            client.meta.events.register(f"before-call.{client.meta.service_model.endpoint_prefix}.*", self._record)

    def _record(self, model, **_kwargs):
        self.operations.append(model.name)

    @property
    def writes(self) -> list[str]:
        return [name for name in self.operations if name.startswith(WRITES)]


def client(service: str):
    return boto3.client(service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(autouse=True)
def no_emulator(monkeypatch):
    """Unit tests never reach a real endpoint, even from a shell pointed at the emulator."""
    for name in ("AWS_ENDPOINT_URL", "AWS_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """Waits and retries poll at once."""
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


@pytest.fixture
def run(monkeypatch):
    """run(args, clients={"dynamodb": ..., "kms": ...}, check_mode=False, diff=False) -> ModuleExit."""

    def exit_json(_self, **kwargs):
        raise ModuleExit(kwargs, failed=False)

    def fail_json(_self, **kwargs):
        raise ModuleExit(kwargs, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

    def run_module(args: dict, clients: dict, check_mode: bool = False, diff: bool = False) -> ModuleExit:
        monkeypatch.setattr(AnsibleAWSModule, "client", lambda _self, service, **_kw: clients[service])
        full_args = dict(args, region=REGION, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(full_args), pytest.raises(ModuleExit) as outcome:
            module.main()
        return outcome.value

    return run_module


@pytest.fixture
def aws():
    """dynamodb and kms clients on in-process moto (with the emulator's fixes), a users table, a Recorder."""
    moto_fixes.apply()
    with mock_aws():
        clients = {"dynamodb": client("dynamodb"), "kms": client("kms")}
        clients["dynamodb"].create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        clients["recorder"] = Recorder(clients["dynamodb"], clients["kms"])
        yield clients


def state(aws) -> dict:
    """What moto holds: (PITR status, period), deletion protection, SSE description."""
    table = aws["dynamodb"].describe_table(TableName=TABLE)["Table"]
    pitr = aws["dynamodb"].describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"
    ]
    return {
        "pitr": (pitr["PointInTimeRecoveryStatus"], pitr.get("RecoveryPeriodInDays")),
        "deletion_protection": table["DeletionProtectionEnabled"],
        "sse": table.get("SSEDescription"),
    }


def aws_managed_key_arn(aws) -> str:
    return aws["kms"].describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]


# --- moto: the table's life ------------------------------------------------------------------------------


def test_check_mode_predicts_and_changes_nothing(run, aws):
    before = state(aws)

    outcome = run(dict(PROTECTED, name=TABLE), aws, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"] == {
        "before": {"point_in_time_recovery": False, "recovery_period_days": None, "deletion_protection": False,
                   "encryption": "aws_owned", "kms_key_arn": None},
        "after": {"point_in_time_recovery": True, "recovery_period_days": 35, "deletion_protection": True,
                  "encryption": "aws_managed", "kms_key_arn": None},
    }  # fmt: skip
    assert outcome.result["table"]["arn"] == TABLE_ARN
    assert aws["recorder"].writes == []
    # Check mode never describes alias/aws/dynamodb: on AWS that call creates the key.
    assert "DescribeKey" not in aws["recorder"].operations
    assert state(aws) == before


def test_protect_then_rerun_changes_nothing(run, aws):
    first = run(dict(PROTECTED, name=TABLE), aws, diff=True)

    assert not first.failed and first.result["changed"], first.result
    assert aws["recorder"].writes == ["UpdateTable", "UpdateContinuousBackups", "UpdateTable"]
    key_arn = aws_managed_key_arn(aws)
    assert first.result["table"] == {
        "name": TABLE, "arn": TABLE_ARN, "status": "ACTIVE", "point_in_time_recovery": True,
        "recovery_period_days": 35, "deletion_protection": True, "encryption": "aws_managed",
        "kms_key_arn": key_arn, "sse_status": "ENABLED",
    }  # fmt: skip
    assert state(aws) == {
        "pitr": ("ENABLED", 35),
        "deletion_protection": True,
        "sse": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key_arn},
    }

    aws["recorder"].operations.clear()
    second = run(dict(PROTECTED, name=TABLE), aws, diff=True)

    assert not second.failed and not second.result["changed"]
    assert aws["recorder"].writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]


def test_deletion_protection_keeps_the_table_until_turned_off(run, aws):
    run({"name": TABLE, "deletion_protection": True}, aws)
    with pytest.raises(aws["dynamodb"].exceptions.ClientError, match="DeletionProtectionEnabled"):
        aws["dynamodb"].delete_table(TableName=TABLE)

    outcome = run({"name": TABLE, "deletion_protection": False}, aws)

    assert outcome.result["changed"] and outcome.result["table"]["deletion_protection"] is False
    aws["dynamodb"].delete_table(TableName=TABLE)


def test_customer_key_by_alias_then_by_arn_then_back_to_aws_owned(run, aws):
    key = aws["kms"].create_key(Description="users data")["KeyMetadata"]
    aws["kms"].create_alias(AliasName="alias/users-data", TargetKeyId=key["KeyId"])
    args = {"name": TABLE, "encryption": "customer_managed", "kms_key_id": "alias/users-data"}

    first = run(args, aws)

    assert first.result["changed"]
    assert (first.result["table"]["encryption"], first.result["table"]["kms_key_arn"]) == (
        "customer_managed", key["Arn"])  # fmt: skip
    assert state(aws)["sse"]["KMSMasterKeyArn"] == key["Arn"]

    # The same key by its ARN is no change.
    aws["recorder"].operations.clear()
    assert not run(dict(args, kms_key_id=key["Arn"]), aws).result["changed"]
    assert aws["recorder"].writes == []

    back = run({"name": TABLE, "encryption": "aws_owned"}, aws, diff=True)

    assert back.result["changed"]
    assert back.result["diff"]["before"]["kms_key_arn"] == key["Arn"]
    assert back.result["table"]["encryption"] == "aws_owned" and back.result["table"]["kms_key_arn"] is None
    assert state(aws)["sse"] is None


def test_switching_from_a_customer_key_to_the_aws_managed_key(run, aws):
    key = aws["kms"].create_key(Description="users data")["KeyMetadata"]
    run({"name": TABLE, "encryption": "customer_managed", "kms_key_id": key["KeyId"]}, aws)

    check = run({"name": TABLE, "encryption": "aws_managed"}, aws, check_mode=True, diff=True)
    assert check.result["changed"]
    assert check.result["diff"]["after"]["encryption"] == "aws_managed"
    assert state(aws)["sse"]["KMSMasterKeyArn"] == key["Arn"]

    outcome = run({"name": TABLE, "encryption": "aws_managed"}, aws)

    assert outcome.result["table"]["kms_key_arn"] == aws_managed_key_arn(aws)
    assert not run({"name": TABLE, "encryption": "aws_managed"}, aws).result["changed"]


def test_recovery_period_changes_in_place_and_goes_with_recovery(run, aws):
    run({"name": TABLE, "point_in_time_recovery": True}, aws)
    aws["recorder"].operations.clear()

    week = run({"name": TABLE, "point_in_time_recovery": True, "recovery_period_days": 7}, aws, diff=True)

    assert week.result["changed"] and aws["recorder"].writes == ["UpdateContinuousBackups"]
    assert week.result["diff"]["before"]["recovery_period_days"] == 35
    assert week.result["table"]["recovery_period_days"] == 7 and state(aws)["pitr"] == ("ENABLED", 7)
    # Recovery on without a period keeps the one it has.
    assert not run({"name": TABLE, "point_in_time_recovery": True}, aws).result["changed"]

    off = run({"name": TABLE, "point_in_time_recovery": False}, aws)

    assert off.result["table"]["point_in_time_recovery"] is False
    assert off.result["table"]["recovery_period_days"] is None
    assert state(aws)["pitr"][0] == "DISABLED"


def test_no_settings_only_reads(run, aws):
    outcome = run({"name": TABLE}, aws)

    assert not outcome.failed and not outcome.result["changed"]
    assert outcome.result["table"]["encryption"] == "aws_owned"
    assert aws["recorder"].writes == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_missing_table_fails_naming_it(run, aws, check_mode):
    outcome = run(dict(PROTECTED, name="nope"), aws, check_mode=check_mode)

    assert outcome.failed
    assert "DynamoDB table 'nope' does not exist" in outcome.result["msg"]
    assert aws["recorder"].writes == []


def test_unknown_customer_key_fails_naming_the_option(run, aws):
    outcome = run({"name": TABLE, "encryption": "customer_managed", "kms_key_id": "alias/nope"}, aws)

    assert outcome.failed
    assert "kms_key_id: there is no KMS key 'alias/nope'" in outcome.result["msg"]
    assert aws["recorder"].writes == []


def test_aws_managed_key_is_not_a_customer_key(run, aws):
    outcome = run({"name": TABLE, "encryption": "customer_managed", "kms_key_id": "alias/aws/dynamodb"}, aws)

    assert outcome.failed
    assert "is an AWS managed key; use encryption=aws_managed" in outcome.result["msg"]
    assert aws["recorder"].writes == []


# --- refused before any call ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        ({"recovery_period_days": 7}, "recovery_period_days requires point_in_time_recovery=true"),
        ({"point_in_time_recovery": False, "recovery_period_days": 7}, "requires point_in_time_recovery=true"),
        ({"point_in_time_recovery": True, "recovery_period_days": 36}, "between 1 and 35, not 36"),
        ({"point_in_time_recovery": True, "recovery_period_days": 0}, "between 1 and 35, not 0"),
        ({"kms_key_id": "alias/x"}, "kms_key_id requires encryption=customer_managed"),
        ({"encryption": "aws_managed", "kms_key_id": "alias/x"}, "kms_key_id requires encryption=customer_managed"),
        (
            {"encryption": "customer_managed"},
            "encryption is customer_managed but all of the following are missing: kms_key_id",
        ),
        ({"encryption": "aws_kms"}, "value of encryption must be one of"),
    ],
)
def test_bad_options_fail_before_any_call(run, args, message):
    dynamodb, kms = client("dynamodb"), client("kms")
    with Stubber(dynamodb), Stubber(kms):  # nothing queued: any call would fail the test
        outcome = run(dict(args, name=TABLE), {"dynamodb": dynamodb, "kms": kms})

    assert outcome.failed
    assert message in outcome.result["msg"]


# --- Stubber: exact calls, order and waits ----------------------------------------------------------------


def table(status: str = "ACTIVE", deletion_protection: bool = False, sse: dict | None = None) -> dict:
    answer = {"TableName": TABLE, "TableArn": TABLE_ARN, "TableStatus": status,
              "DeletionProtectionEnabled": deletion_protection}  # fmt: skip
    if sse is not None:
        answer["SSEDescription"] = sse
    return {"Table": answer}


def backups(enabled: bool = False, period: int | None = None) -> dict:
    pitr = {"PointInTimeRecoveryStatus": "ENABLED" if enabled else "DISABLED"}
    if period is not None:
        pitr["RecoveryPeriodInDays"] = period
    return {
        "ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": pitr}
    }


def key(manager: str = "CUSTOMER") -> dict:
    return {"KeyMetadata": {"KeyId": KEY_ARN.rsplit("/", 1)[1], "Arn": KEY_ARN, "KeyManager": manager}}


NAME = {"TableName": TABLE}
KMS_SSE = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}


@pytest.fixture
def stubbed():
    """dynamodb and kms clients with their Stubbers; every queued response must have been used."""
    dynamodb, kms = client("dynamodb"), client("kms")
    with Stubber(dynamodb) as ddb_stub, Stubber(kms) as kms_stub:
        yield {"dynamodb": dynamodb, "kms": kms}, ddb_stub, kms_stub
        ddb_stub.assert_no_pending_responses()
        kms_stub.assert_no_pending_responses()


def test_waits_for_a_table_being_created_then_changes_one_thing_at_a_time(run, stubbed):
    clients, ddb, kms = stubbed
    ddb.add_response("describe_table", table("CREATING"), NAME)
    ddb.add_response("describe_continuous_backups", backups(), NAME)
    # Wait for the new table to be ACTIVE before the first change.
    ddb.add_response("describe_table", table("CREATING"), NAME)
    ddb.add_response("describe_table", table(), NAME)
    ddb.add_response("update_table", {}, dict(NAME, DeletionProtectionEnabled=True))
    ddb.add_response("describe_table", table("UPDATING", True), NAME)
    ddb.add_response("describe_table", table("ACTIVE", True), NAME)
    # A table just created cannot have backups enabled at once: the call is retried.
    ddb.add_client_error("update_continuous_backups", "ContinuousBackupsUnavailableException",
                         expected_params=dict(NAME, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}))  # fmt: skip
    ddb.add_response("update_continuous_backups", backups(True, 35),
                     dict(NAME, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}))  # fmt: skip
    ddb.add_response("describe_continuous_backups", backups(True, 35), NAME)
    ddb.add_response("update_table", {}, dict(NAME, SSESpecification={"Enabled": True, "SSEType": "KMS"}))
    # The change of key is under way (ENABLING) while the table is ACTIVE: wait for ENABLED.
    ddb.add_response("describe_table", table("ACTIVE", True, dict(KMS_SSE, Status="ENABLING")), NAME)
    ddb.add_response("describe_table", table("ACTIVE", True, KMS_SSE), NAME)
    # Read back.
    ddb.add_response("describe_table", table("ACTIVE", True, KMS_SSE), NAME)
    ddb.add_response("describe_continuous_backups", backups(True, 35), NAME)
    kms.add_response("describe_key", key("AWS"), {"KeyId": KEY_ARN})

    outcome = run(dict(PROTECTED, name=TABLE), clients)

    assert not outcome.failed, outcome.result
    assert outcome.result["changed"]
    assert outcome.result["table"]["encryption"] == "aws_managed"
    assert outcome.result["table"]["kms_key_arn"] == KEY_ARN


def test_customer_key_change_sends_the_key_and_the_period(run, stubbed):
    clients, ddb, kms = stubbed
    ddb.add_response("describe_table", table(deletion_protection=True), NAME)
    ddb.add_response("describe_continuous_backups", backups(True, 35), NAME)
    kms.add_response("describe_key", key(), {"KeyId": "alias/users-data"})
    spec = {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 14}
    ddb.add_response("update_continuous_backups", backups(True, 14), dict(NAME, PointInTimeRecoverySpecification=spec))
    ddb.add_response("describe_continuous_backups", backups(True, 14), NAME)
    sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY_ARN}
    ddb.add_response("update_table", {}, dict(NAME, SSESpecification=sse))
    ddb.add_response("describe_table", table("ACTIVE", True, KMS_SSE), NAME)
    ddb.add_response("describe_table", table("ACTIVE", True, KMS_SSE), NAME)
    ddb.add_response("describe_continuous_backups", backups(True, 14), NAME)
    kms.add_response("describe_key", key(), {"KeyId": KEY_ARN})

    outcome = run({"name": TABLE, "point_in_time_recovery": True, "recovery_period_days": 14, "deletion_protection": True,
                   "encryption": "customer_managed", "kms_key_id": "alias/users-data"}, clients, diff=True)  # fmt: skip

    assert not outcome.failed, outcome.result
    assert outcome.result["diff"] == {
        "before": {"point_in_time_recovery": True, "recovery_period_days": 35, "deletion_protection": True,
                   "encryption": "aws_owned", "kms_key_arn": None},
        "after": {"point_in_time_recovery": True, "recovery_period_days": 14, "deletion_protection": True,
                  "encryption": "customer_managed", "kms_key_arn": KEY_ARN},
    }  # fmt: skip


def test_without_wait_reports_the_prediction(run, stubbed):
    clients, ddb, _kms = stubbed
    ddb.add_response("describe_table", table(), NAME)
    ddb.add_response("describe_continuous_backups", backups(), NAME)
    ddb.add_response("update_table", {}, dict(NAME, DeletionProtectionEnabled=True))

    outcome = run({"name": TABLE, "deletion_protection": True, "wait": False}, clients)

    assert outcome.result["changed"] and outcome.result["table"]["deletion_protection"] is True


def test_a_change_that_never_settles_times_out(run, stubbed):
    clients, ddb, _kms = stubbed
    ddb.add_response("describe_table", table(), NAME)
    ddb.add_response("describe_continuous_backups", backups(), NAME)
    ddb.add_response("update_table", {}, dict(NAME, DeletionProtectionEnabled=True))
    ddb.add_response("describe_table", table("UPDATING", True), NAME)

    outcome = run({"name": TABLE, "deletion_protection": True, "wait_timeout": 0}, clients)

    assert outcome.failed
    assert "Timeout waiting for DynamoDB table 'users' to be ACTIVE after 0 seconds" in outcome.result["msg"]


def test_an_aws_error_fails_cleanly(run, stubbed):
    clients, ddb, _kms = stubbed
    ddb.add_client_error("describe_table", "AccessDeniedException", "not allowed", expected_params=NAME)

    outcome = run({"name": TABLE}, clients)

    assert outcome.failed
    assert "Failed to describe table" in outcome.result["msg"]
    assert outcome.result["error"]["code"] == "AccessDeniedException"
