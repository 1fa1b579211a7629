# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage layer on the emulator: a bucket holding only the prefixes it was made with goes without the
confirmation, and bad input is refused before any AWS call. The uploads bucket's life cycle (converge, re-run,
check, public read of the image prefixes, kept by tear-down while it holds data) runs in test_webapp_stack.py."""

from __future__ import annotations

import pytest

INVENTORY = "inventories/webapp"
ONLY = ("--tags", "storage")
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}


def buckets(s3) -> list[str]:
    return [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


# The inventory's load balancer writes its access logs to this entry, and site.yml checks every layer's input
# up front, so a storage_buckets override has to keep it.
ALB_LOGS = {"name": "alb-logs", "encryption": "sse-s3", "log_delivery": [{"service": "alb", "prefix": "web"}]}


def test_a_bucket_with_only_its_prefixes_goes_without_the_confirmation(playbook, aws):
    scratch = {**ADMIN, "storage_buckets": [{"name": "scratch", "prefixes": ["a/", "b/"], "encryption": "sse-kms"}, ALB_LOGS]}
    made = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=scratch)
    assert made.returncode == 0, made.failure_messages()
    s3 = aws.client("s3")
    rules = s3.get_bucket_encryption(Bucket="webapp-scratch-123456789012")["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms" and rules[0]["BucketKeyEnabled"]
    assert s3.get_bucket_versioning(Bucket="webapp-scratch-123456789012").get("Status") is None

    down = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=scratch)
    assert down.returncode == 0, down.failure_messages()
    assert buckets(s3) == []
    again = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=scratch)
    assert again.returncode == 0 and again.changed == 0, again.changed_tasks()


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ({"name": "u", "cors": [{"allowed_origins": ["*"], "allowed_methods": ["GET"]}]},
         "storage_buckets[0] (u).cors[0].allowed_origins: '*' is not an origin"),
        ({"name": "u", "public_read": True},
         "storage_buckets[0] (u).public_read_prefixes: public_read is true, so name the prefixes"),
        ({"name": "u", "prefixes": ["/uploads"]}, "storage_buckets[0] (u).prefixes[0]: '/uploads' must be a key prefix"),
        ({"name": "u", "bucket_name": "Uploads_Bucket"}, "storage_buckets[0] (u).bucket_name: 'Uploads_Bucket' is not an S3 bucket name"),
        ({"name": "u", "expire": [{"prefix": "tmp/", "days": 0}]}, "storage_buckets[0] (u).expire[0].days: 0 is not a positive"),
    ],
    ids=["world-cors", "public-without-prefixes", "leading-slash", "bucket-name", "zero-days"],
)
def test_bad_input_fails_before_any_aws_call(refused, bucket, expected):
    refused({**ADMIN, "storage_buckets": [bucket, ALB_LOGS]}, expected, inventory=INVENTORY)
