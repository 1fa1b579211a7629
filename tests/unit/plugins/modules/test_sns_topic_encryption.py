# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""sns_topic_encryption: the topic's life on moto in process; the exact write call on a botocore Stubber."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.blueprint.aws.plugins.modules import sns_topic_encryption as module
from botocore.stub import Stubber
from moto import mock_aws

REGION = "us-east-1"
TOPIC = "alerts"
TOPIC_ARN = f"arn:aws:sns:{REGION}:123456789012:{TOPIC}"


def client(service: str):
    return boto3.client(service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def run(run_module):
    """run(args, clients={"sns": ..., "kms": ...}, check_mode=False, diff=False) -> ModuleExit."""

    def run_sns(args: dict, clients: dict, check_mode: bool = False, diff: bool = False):
        return run_module(module, args, clients, check_mode=check_mode, diff=diff)

    return run_sns


@pytest.fixture
def aws():
    """sns and kms clients on in-process moto, the alerts topic and a customer managed key aliased alias/alerts."""
    with mock_aws():
        clients = {"sns": client("sns"), "kms": client("kms")}
        clients["sns"].create_topic(Name=TOPIC)
        key = clients["kms"].create_key(Description="alerts")["KeyMetadata"]
        clients["kms"].create_alias(AliasName="alias/alerts", TargetKeyId=key["KeyId"])
        clients["key"] = key
        yield clients


def key_of(aws) -> str | None:
    return aws["sns"].get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"].get("KmsMasterKeyId") or None


def test_check_mode_predicts_then_a_run_encrypts_and_a_second_changes_nothing(run, aws):
    predicted = run({"topic": TOPIC, "kms_key_id": "alias/alerts"}, aws, check_mode=True, diff=True)
    assert predicted.result["changed"] and key_of(aws) is None
    assert predicted.result["diff"] == {
        "before": {"arn": TOPIC_ARN, "encrypted": False, "kms_key_id": None},
        "after": {"arn": TOPIC_ARN, "encrypted": True, "kms_key_id": "alias/alerts"},
    }

    made = run({"topic": TOPIC, "kms_key_id": "alias/alerts"}, aws)
    assert made.result["changed"] and key_of(aws) == "alias/alerts"
    assert made.result["topic"] == {"arn": TOPIC_ARN, "encrypted": True, "kms_key_id": "alias/alerts"}

    again = run({"topic": TOPIC_ARN, "kms_key_id": "alias/alerts"}, aws)
    assert not again.result["changed"]


def test_another_spelling_of_the_same_key_is_no_change(run, aws):
    run({"topic": TOPIC, "kms_key_id": "alias/alerts"}, aws)

    by_arn = run({"topic": TOPIC, "kms_key_id": aws["key"]["Arn"]}, aws)

    assert not by_arn.result["changed"] and key_of(aws) == "alias/alerts"


def test_another_key_is_a_change_and_encrypted_false_turns_it_off(run, aws):
    run({"topic": TOPIC, "kms_key_id": "alias/alerts"}, aws)
    other = aws["kms"].create_key(Description="other")["KeyMetadata"]["KeyId"]

    moved = run({"topic": TOPIC, "kms_key_id": other}, aws)
    assert moved.result["changed"] and key_of(aws) == other

    off = run({"topic": TOPIC, "encrypted": False}, aws, diff=True)
    assert off.result["changed"] and key_of(aws) is None
    assert off.result["topic"] == {"arn": TOPIC_ARN, "encrypted": False, "kms_key_id": None}
    assert not run({"topic": TOPIC, "encrypted": False}, aws).result["changed"]


def test_without_a_key_the_aws_managed_key_is_used(run, aws):
    made = run({"topic": TOPIC}, aws)
    assert made.result["changed"] and key_of(aws) == "alias/aws/sns"


def test_a_missing_topic_fails_naming_it(run, aws):
    outcome = run({"topic": "nope"}, aws, check_mode=True)
    assert outcome.failed and "SNS topic 'nope' does not exist" in outcome.result["msg"]


def test_a_key_for_an_unencrypted_topic_is_refused_before_any_call(run):
    outcome = run({"topic": TOPIC, "encrypted": False, "kms_key_id": "alias/alerts"}, {})
    assert outcome.failed and outcome.result["msg"].startswith("kms_key_id:")


def test_the_write_is_one_set_topic_attributes_call():
    sns, kms = client("sns"), client("kms")
    with Stubber(sns) as stub:
        stub.add_response("get_topic_attributes", {"Attributes": {"TopicArn": TOPIC_ARN}}, {"TopicArn": TOPIC_ARN})
        stub.add_response(
            "set_topic_attributes",
            {},
            {"TopicArn": TOPIC_ARN, "AttributeName": "KmsMasterKeyId", "AttributeValue": "alias/alerts"},
        )
        current = module.get_topic_attributes(sns, TOPIC_ARN).get("KmsMasterKeyId")
        assert module.needs_change(kms, current, "alias/alerts")
        module.set_topic_attribute(sns, TOPIC_ARN, "KmsMasterKeyId", "alias/alerts")
        stub.assert_no_pending_responses()
