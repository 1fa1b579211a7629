# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage layer's checks, plans and check-mode drift."""

from __future__ import annotations

import json

from ansible_collections.blueprint.aws.plugins.filter.storage import (
    storage_drift,
    storage_errors,
    storage_keep,
    storage_plan,
)

UPLOADS = {"name": "uploads", "prefixes": ["uploads/users/", "uploads/temp/"], "versioning": True,
           "public_read_prefixes": ["uploads/users/"],
           "cors": [{"allowed_origins": ["https://app.example.com"], "allowed_methods": ["get", "PUT"]}],
           "expire": [{"prefix": "uploads/temp/", "days": "7"}]}  # fmt: skip


def test_a_valid_bucket_has_no_errors():
    assert storage_errors([UPLOADS], "webapp") == []


def test_errors_name_the_variable_entry_and_field():
    errors = storage_errors([UPLOADS, dict(UPLOADS, public_read=True, public_read_prefixes=[], encryption="sse-c")], "webapp")
    assert "storage_buckets[1].name: 'uploads' is already used by storage_buckets[0]" in errors[0].replace(" (uploads)", "")
    assert any(error.startswith("storage_buckets[1] (uploads).encryption: 'sse-c'") for error in errors)
    assert any(error.startswith("storage_buckets[1] (uploads).public_read_prefixes") for error in errors)


def test_a_long_prefix_with_the_account_id_is_too_long_for_a_bucket_name():
    errors = storage_errors([{"name": "x" * 50}], "webapp")
    assert errors and "is not an S3 bucket name" in errors[0]


def test_plan_fills_in_the_account_and_keeps_the_bucket_private():
    [plan] = storage_plan([UPLOADS], "webapp", "123456789012", "ap-northeast-2", {"Stack": "webapp"})
    assert plan["bucket_name"] == "webapp-uploads-123456789012"
    assert plan["public_access"] == dict.fromkeys(
        ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"), True)
    assert [statement["Sid"] for statement in plan["policy"]["Statement"]] == ["DenyInsecureTransport"]
    assert plan["cors"] == [{"allowed_origins": ["https://app.example.com"], "allowed_methods": ["GET", "PUT"]}]
    assert plan["expire"] == [{"id": "expire-uploads-temp", "prefix": "uploads/temp/", "days": 7}]
    assert plan["tags"]["blueprint:bucket"] == "uploads" and plan["tags"]["Stack"] == "webapp"


def test_public_read_opens_only_the_named_prefixes():
    [plan] = storage_plan([dict(UPLOADS, public_read=True)], "webapp", "1", "r")
    read = plan["policy"]["Statement"][1]
    assert read["Resource"] == ["arn:aws:s3:::webapp-uploads-1/uploads/users/*"]
    assert plan["public_access"]["block_public_acls"] and not plan["public_access"]["block_public_policy"]


def _info(plan):
    """A bucket as s3_bucket_info reads it once the plan is applied."""
    return {
        "bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}},
        "bucket_versioning": {"Status": "Enabled"},
        "public_access_block": {"PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}},
        "bucket_policy": {"Policy": json.dumps(plan["policy"])},
        "bucket_cors": {"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["PUT", "GET"]}]},
        "bucket_lifecycle_configuration": {"Rules": [
            {"ID": "expire-uploads-temp", "Filter": {"Prefix": "uploads/temp/"}, "Expiration": {"Days": 7}}]},
        "bucket_tagging": dict(plan["tags"]),
    }  # fmt: skip


def test_drift_is_empty_for_a_converged_bucket_and_names_each_change():
    [plan] = storage_plan([UPLOADS], "webapp", "1", "r")
    assert storage_drift(plan, _info(plan)) == []
    assert storage_drift(plan, {}) == ["create webapp-uploads-1"]
    [opened] = storage_plan([dict(UPLOADS, public_read=True, expire=[{"prefix": "uploads/temp/", "days": 1}])],
                            "webapp", "1", "r")
    changes = storage_drift(opened, _info(plan))
    assert [change.split(":")[0] for change in changes] == ["public access block", "policy", "lifecycle"]


def test_keep_a_bucket_with_data_or_history():
    [plan] = storage_plan([UPLOADS], "webapp", "1", "r")
    assert storage_keep(plan, ["uploads/users/", "uploads/temp/"]) == ""
    assert "uploads/users/a.png" in storage_keep(plan, ["uploads/users/", "uploads/users/a.png"])
    assert "versioning is enabled" in storage_keep(plan, [], "Enabled")


def test_a_transient_bucket_expires_every_object_and_goes_without_the_confirmation():
    transfers = {"name": "ssm-transfers", "transient": True, "expire": [{"prefix": "", "days": 1}]}
    assert storage_errors([transfers], "lattice") == []
    [plan] = storage_plan([transfers], "lattice", "123456789012", "ap-northeast-2")
    assert plan["bucket_name"] == "lattice-ssm-transfers-123456789012"
    assert plan["expire"] == [{"id": "expire-all", "prefix": "", "days": 1}]
    assert storage_keep(plan, ["i-0123/tmp/AnsiballZ_setup.py"]) == ""
    # Only an explicit empty prefix means the whole bucket; a missing one is still an error.
    [error] = storage_errors([dict(transfers, expire=[{"days": 1}])], "lattice")
    assert error.startswith("storage_buckets[0] (ssm-transfers).expire[0].prefix:")


def test_log_delivery_lets_the_regions_load_balancers_write_under_their_prefix_only():
    logs = {"name": "logs", "log_delivery": [{"service": "alb", "prefix": "web"}]}
    assert storage_errors([logs], "webapp") == []
    [seoul] = storage_plan([logs], "webapp", "123456789012", "ap-northeast-2")
    statement = seoul["policy"]["Statement"][-1]
    assert statement == {
        "Sid": "AlbAccessLogsWeb", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::600734575887:root"},
        "Action": "s3:PutObject", "Resource": "arn:aws:s3:::webapp-logs-123456789012/web/AWSLogs/123456789012/*"}
    # Regions opened since August 2022 have no Elastic Load Balancing account: the service principal writes.
    [newer] = storage_plan([dict(logs, log_delivery=[{"service": "alb"}])], "webapp", "123456789012", "eu-central-2")
    statement = newer["policy"]["Statement"][-1]
    assert statement["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert statement["Resource"] == "arn:aws:s3:::webapp-logs-123456789012/AWSLogs/123456789012/*"
    # As AWS echoes it, the policy is no drift.
    drift = storage_drift(seoul, {"bucket_policy": json.dumps(seoul["policy"])})
    assert drift and not [change for change in drift if change.startswith("policy")]


def test_log_delivery_is_refused_for_an_unknown_service_a_bad_prefix_or_kms():
    errors = storage_errors([{"name": "logs", "encryption": "sse-kms",
                              "log_delivery": [{"service": "alb", "prefix": "web/"}, {"service": "cloudfront"}]}],
                            "webapp")
    assert "storage_buckets[0] (logs).log_delivery[0].prefix: 'web/' must be the load balancer's access_logs.prefix" \
        in " ".join(errors)
    assert any(error.startswith("storage_buckets[0] (logs).log_delivery[0]: load balancers write access logs only "
                                "to buckets encrypted with sse-s3") for error in errors)
    assert "storage_buckets[0] (logs).log_delivery[1]: needs a service, one of alb" in errors
