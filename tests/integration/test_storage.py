# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The webapp stack's storage layer on the emulator: the uploads bucket converged, re-run, checked, opened for
public reads of its image prefixes only when asked, and kept by tear-down while it holds data."""

from __future__ import annotations

import json

import pytest

INVENTORY = "inventories/webapp"
ONLY = ("--tags", "storage")
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}
BUCKET = "webapp-uploads-123456789012"
PREFIXES = ["uploads/channels/", "uploads/stories/", "uploads/temp/", "uploads/users/"]


def bucket_state(s3, bucket: str = BUCKET) -> dict:
    """What the emulator holds for a bucket, in the terms the inventory uses."""
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    return {
        "encryption": encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "versioning": s3.get_bucket_versioning(Bucket=bucket).get("Status"),
        "ownership": s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]["ObjectOwnership"],
        "public_access_block": block,
        "policy": {statement["Sid"]: statement for statement in policy["Statement"]},
        "cors": s3.get_bucket_cors(Bucket=bucket)["CORSRules"],
        "lifecycle": [(rule["ID"], rule["Filter"]["Prefix"], rule["Expiration"]["Days"]) for rule in lifecycle],
        "keys": sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])),
    }


def buckets(s3) -> list[str]:
    return [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def test_converge_rerun_check_public_read_and_teardown(playbook, aws):
    s3 = aws.client("s3")
    first = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert first.returncode == 0, first.failure_messages() or first.stderr[-2000:]

    state = bucket_state(s3)
    assert (state["encryption"], state["versioning"], state["ownership"]) == ("AES256", "Enabled", "BucketOwnerEnforced")
    assert all(state["public_access_block"].values()) and len(state["public_access_block"]) == 4
    assert list(state["policy"]) == ["DenyInsecureTransport"]
    deny = state["policy"]["DenyInsecureTransport"]
    assert (deny["Effect"], deny["Action"], deny["Condition"]) == ("Deny", "s3:*", {"Bool": {"aws:SecureTransport": "false"}})
    assert sorted(deny["Resource"]) == [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
    [cors] = state["cors"]
    assert cors["AllowedOrigins"] == ["https://webapp.example.com"]
    assert sorted(cors["AllowedMethods"]) == ["GET", "HEAD", "POST", "PUT"]
    assert state["lifecycle"] == [("expire-uploads-temp", "uploads/temp/", 7)]
    assert state["keys"] == PREFIXES
    tags = {tag["Key"]: tag["Value"] for tag in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    assert (tags["blueprint:stack"], tags["blueprint:bucket"], tags["Name"]) == ("webapp", "uploads", BUCKET)
    published = first.task_results("Publish the names and ARNs of the buckets")[-1]["ansible_facts"]
    assert published == {"storage_bucket_names": {"uploads": BUCKET}, "storage_bucket_arns": {"uploads": f"arn:aws:s3:::{BUCKET}"}}

    second = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert second.returncode == 0, second.failure_messages()
    assert second.changed == 0, second.changed_tasks()

    # Check mode with public read and a shorter expiry predicts both and alters nothing.
    opened = {**ADMIN, "webapp_uploads_public_read": True, "webapp_uploads_temp_days": 1}
    check = playbook("site.yml", *ONLY, "--check", "--diff", inventory=INVENTORY, extra_vars=opened)
    assert check.returncode == 0, check.failure_messages()
    [predicted] = check.task_results("Predict what converging each bucket")[0]["results"]
    assert predicted["changed"]
    for change in ("public access block", "policy: statements ['DenyInsecureTransport'] -> "
                   "['DenyInsecureTransport', 'PublicReadOfTheseKeysOnly']", "lifecycle: expire uploads/temp/ after 1"):
        assert change in predicted["msg"]
    assert bucket_state(s3) == state

    # Public read opens the image prefixes only, and the public access block just enough for a bucket policy.
    public = playbook("site.yml", *ONLY, inventory=INVENTORY, extra_vars=opened)
    assert public.returncode == 0, public.failure_messages()
    state = bucket_state(s3)
    assert state["public_access_block"] == {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                            "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    read = state["policy"]["PublicReadOfTheseKeysOnly"]
    assert (read["Effect"], read["Principal"], read["Action"]) == ("Allow", "*", "s3:GetObject")
    assert sorted(read["Resource"]) == [f"arn:aws:s3:::{BUCKET}/uploads/{prefix}/*" for prefix in ("channels", "stories", "users")]
    assert state["lifecycle"] == [("expire-uploads-temp", "uploads/temp/", 1)]

    # Tear-down keeps a bucket with data and says which variable would delete it.
    s3.put_object(Bucket=BUCKET, Key="uploads/users/42.png", Body=b"png")
    kept = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars=ADMIN)
    assert kept.returncode == 0, kept.failure_messages()
    assert kept.changed == 0, kept.changed_tasks()
    [notice] = kept.task_results("Keep the buckets that hold data")[0]["results"]
    assert "blueprint_confirm_data_destruction=true" in notice["msg"] and BUCKET in notice["msg"]
    assert buckets(s3) == [BUCKET]

    down = playbook("teardown.yml", *ONLY, inventory=INVENTORY, extra_vars={**ADMIN, "blueprint_confirm_data_destruction": True})
    assert down.returncode == 0, down.failure_messages()
    assert buckets(s3) == []
    published = down.task_results("Publish the names and ARNs of the buckets")[-1]["ansible_facts"]
    assert published == {"storage_bucket_names": {}, "storage_bucket_arns": {}}


def test_a_bucket_with_only_its_prefixes_goes_without_the_confirmation(playbook, aws):
    scratch = {**ADMIN, "storage_buckets": [{"name": "scratch", "prefixes": ["a/", "b/"], "encryption": "sse-kms"}]}
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
    refused({**ADMIN, "storage_buckets": [bucket]}, expected, inventory=INVENTORY)
