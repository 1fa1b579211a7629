# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks, plans and check-mode predictions for the storage layer's S3 buckets.

Pure functions of inventory data (and of what s3_bucket_info read): the checks run before any AWS call,
the plan turns one ``storage_buckets`` entry into the settings the modules take, and the drift compares
that plan with a bucket as it is, so check mode can say what a real run would change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

ENCRYPTIONS = ("sse-s3", "sse-kms")
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
# A bucket name after ${AWS::AccountId} and ${AWS::Region} are filled in (the longest region is 14 characters).
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
PLACEHOLDERS = {"${AWS::AccountId}": "123456789012", "${AWS::Region}": "ap-southeast-2", "${AWS::Partition}": "aws"}
DEFAULTS = {
    "encryption": "sse-s3",
    "versioning": False,
    "public_read": False,
    "public_read_prefixes": [],
    "prefixes": [],
    "cors": [],
    "expire": [],
    "transient": False,
    "log_delivery": [],
    "tags": {},
}
# Services that may write their logs into a bucket (log_delivery). Application Load Balancers deliver access logs
# as Elastic Load Balancing's account of the region, in the regions opened before August 2022, and as the
# log delivery service principal in the later ones (AWS, "Access logs for your Application Load Balancer").
LOG_DELIVERY_SERVICES = ("alb",)
ELB_LOG_ACCOUNTS = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
    "us-west-2": "797873946194", "af-south-1": "098369216593", "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580", "ap-south-1": "718504428378", "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864", "ca-central-1": "985666609251", "eu-central-1": "054676820928",
    "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
    "eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225",
    "sa-east-1": "507241528517", "us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
}
ELB_LOG_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"


def _fill(text, account_id, region, partition="aws"):
    for token, value in (("${AWS::AccountId}", account_id), ("${AWS::Region}", region),
                         ("${AWS::Partition}", partition)):
        text = text.replace(token, str(value))
    return text


def _prefix_errors(where, prefix):
    if not isinstance(prefix, str) or not prefix or prefix.startswith("/") or not prefix.endswith("/"):
        return ["{0}: {1!r} must be a key prefix without a leading slash and ending in / (e.g. uploads/users/)".format(
            where, prefix)]
    return []


def storage_errors(buckets, name_prefix="blueprint", var="storage_buckets"):
    """Every problem with ``storage_buckets``, as messages naming the variable and the entry; empty when valid."""
    if not isinstance(buckets, list):
        return ["{0}: must be a list of buckets".format(var)]
    errors = []
    seen = {}
    for index, raw in enumerate(buckets):
        where = "{0}[{1}]".format(var, index)
        if not isinstance(raw, dict) or not raw.get("name"):
            errors.append("{0}: needs at least a name".format(where))
            continue
        bucket = dict(DEFAULTS, **raw)
        where = "{0}[{1}] ({2})".format(var, index, bucket["name"])
        if bucket["name"] in seen:
            errors.append("{0}.name: {1!r} is already used by {2}[{3}]".format(where, bucket["name"], var, seen[bucket["name"]]))
        seen.setdefault(bucket["name"], index)
        name = bucket.get("bucket_name") or "{0}-{1}-${{AWS::AccountId}}".format(name_prefix, bucket["name"])
        filled = name
        for token, value in PLACEHOLDERS.items():
            filled = filled.replace(token, value)
        if not BUCKET_NAME.match(filled) or ".." in filled or filled.startswith("xn--"):
            errors.append("{0}.bucket_name: {1!r} is not an S3 bucket name (3-63 lower-case letters, digits, dots and "
                          "hyphens, starting and ending with a letter or digit; the account id counts 12)".format(where, name))
        if bucket["encryption"] not in ENCRYPTIONS:
            errors.append("{0}.encryption: {1!r} is not one of {2}".format(where, bucket["encryption"], ", ".join(ENCRYPTIONS)))
        elif bucket.get("kms_key_id") and bucket["encryption"] != "sse-kms":
            errors.append("{0}.kms_key_id: only for encryption sse-kms".format(where))
        for position, prefix in enumerate(bucket["prefixes"] or []):
            errors.extend(_prefix_errors("{0}.prefixes[{1}]".format(where, position), prefix))
        for position, prefix in enumerate(bucket["public_read_prefixes"] or []):
            errors.extend(_prefix_errors("{0}.public_read_prefixes[{1}]".format(where, position), prefix))
        if bucket["public_read"] and not bucket["public_read_prefixes"]:
            errors.append("{0}.public_read_prefixes: public_read is true, so name the prefixes anyone may read "
                          "(never the whole bucket)".format(where))
        for position, rule in enumerate(bucket["cors"] or []):
            at = "{0}.cors[{1}]".format(where, position)
            if not isinstance(rule, dict) or not rule.get("allowed_origins") or not rule.get("allowed_methods"):
                errors.append("{0}: needs allowed_origins and allowed_methods".format(at))
                continue
            for origin in rule["allowed_origins"]:
                if origin == "*" or not re.match(r"^https?://[^/\s]+$", str(origin)):
                    errors.append("{0}.allowed_origins: {1!r} is not an origin such as https://app.example.com "
                                  "(no path, no wildcard for the whole web)".format(at, origin))
            for method in rule["allowed_methods"]:
                if str(method).upper() not in CORS_METHODS:
                    errors.append("{0}.allowed_methods: {1!r} is not one of {2}".format(at, method, ", ".join(CORS_METHODS)))
        for position, rule in enumerate(bucket["expire"] or []):
            at = "{0}.expire[{1}]".format(where, position)
            if not isinstance(rule, dict):
                errors.append("{0}: must be a dict with prefix and days".format(at))
                continue
            # An empty prefix is the whole bucket (a bucket of transient objects).
            if rule.get("prefix") != "":
                errors.extend(_prefix_errors(at + ".prefix", rule.get("prefix")))
            if not str(rule.get("days", "")).isdigit() or int(rule["days"]) < 1:
                errors.append("{0}.days: {1!r} is not a positive number of days".format(at, rule.get("days")))
        for position, grant in enumerate(bucket["log_delivery"] or []):
            at = "{0}.log_delivery[{1}]".format(where, position)
            if not isinstance(grant, dict) or grant.get("service") not in LOG_DELIVERY_SERVICES:
                errors.append("{0}: needs a service, one of {1}".format(at, ", ".join(LOG_DELIVERY_SERVICES)))
                continue
            prefix = grant.get("prefix", "")
            if not isinstance(prefix, str) or prefix.startswith("/") or prefix.endswith("/") or "AWSLogs" in prefix:
                errors.append("{0}.prefix: {1!r} must be the load balancer's access_logs.prefix: no leading or "
                              "trailing slash, no AWSLogs (empty for none)".format(at, prefix))
            # Elastic Load Balancing writes access logs encrypted with SSE-S3 only.
            if bucket["encryption"] != "sse-s3":
                errors.append("{0}: load balancers write access logs only to buckets encrypted with sse-s3, "
                              "not {1!r}".format(at, bucket["encryption"]))
        if not isinstance(bucket["tags"], dict):
            errors.append("{0}.tags: must be a dict".format(where))
    return errors


def _log_delivery_statement(arn, grant, account_id, region, partition):
    """Let the load balancers of this account write their access logs under the grant's prefix, and nothing else."""
    prefix = grant.get("prefix") or ""
    account = ELB_LOG_ACCOUNTS.get(region)
    principal = ({"AWS": "arn:{0}:iam::{1}:root".format(partition, account)} if account
                 else {"Service": ELB_LOG_SERVICE})
    return {
        "Sid": "AlbAccessLogs" + re.sub(r"[^A-Za-z0-9]", "", prefix.title()),
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": "{0}/{1}AWSLogs/{2}/*".format(arn, prefix + "/" if prefix else "", account_id),
    }


def _policy(arn, bucket, account_id="", region="", partition="aws"):
    statements = [{
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, arn + "/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]
    if bucket["public_read"]:
        statements.append({
            "Sid": "PublicReadOfTheseKeysOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": ["{0}/{1}*".format(arn, prefix) for prefix in bucket["public_read_prefixes"]],
        })
    for grant in bucket["log_delivery"] or []:
        statements.append(_log_delivery_statement(arn, grant, account_id, region, partition))
    return {"Version": "2012-10-17", "Statement": statements}


def _cors(rule):
    """One CORS rule as community.aws.s3_cors takes it (snake_case), without empty keys AWS would not echo."""
    out = {
        "allowed_origins": list(rule["allowed_origins"]),
        "allowed_methods": [str(method).upper() for method in rule["allowed_methods"]],
        "allowed_headers": list(rule.get("allowed_headers") or []),
        "expose_headers": list(rule.get("expose_headers") or []),
    }
    if rule.get("max_age_seconds") is not None:
        out["max_age_seconds"] = int(rule["max_age_seconds"])
    return {key: value for key, value in out.items() if value != []}


def storage_plan(buckets, name_prefix, account_id, region, tags=None, partition="aws"):
    """Each ``storage_buckets`` entry with its defaults, its name in AWS, ARN, policy, public access block,
    CORS rules (AWS shape), lifecycle rules and tags resolved."""
    plans = []
    for raw in buckets or []:
        bucket = dict(DEFAULTS, **raw)
        name = _fill(bucket.get("bucket_name") or "{0}-{1}-${{AWS::AccountId}}".format(name_prefix, bucket["name"]),
                     account_id, region, partition)
        arn = "arn:{0}:s3:::{1}".format(partition, name)
        public = bool(bucket["public_read"])
        merged_tags = dict(tags or {})
        merged_tags.update(bucket["tags"] or {})
        merged_tags.update({"Name": name, "blueprint:stack": name_prefix, "blueprint:bucket": bucket["name"]})
        plans.append({
            "name": bucket["name"],
            "bucket_name": name,
            "arn": arn,
            "encryption": "aws:kms" if bucket["encryption"] == "sse-kms" else "AES256",
            "kms_key_id": bucket.get("kms_key_id") or "",
            "versioning": bool(bucket["versioning"]),
            # Public read relaxes only what a bucket policy needs: ACLs stay blocked and ignored.
            "public_access": {
                "block_public_acls": True,
                "ignore_public_acls": True,
                "block_public_policy": not public,
                "restrict_public_buckets": not public,
            },
            "policy": _policy(arn, bucket, account_id, region, partition),
            "cors": [_cors(rule) for rule in bucket["cors"] or []],
            "expire": [{"id": "expire-" + (rule["prefix"].rstrip("/").replace("/", "-") or "all"),
                        "prefix": rule["prefix"], "days": int(rule["days"])} for rule in bucket["expire"] or []],
            "transient": bool(bucket["transient"]),
            "prefixes": list(bucket["prefixes"] or []),
            "tags": merged_tags,
        })
    return plans


def _lower_keys(value):
    """s3_bucket_info answers snake_case or CamelCase depending on the fact; compare in one spelling."""
    if isinstance(value, dict):
        return {re.sub(r"[_]", "", str(key)).lower(): _lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value


def storage_drift(plan, info):
    """What converging ``plan`` would change on the bucket ``info`` (an s3_bucket_info entry with its facts).

    Returns a list of readable changes; ``["create <name>"]`` when the bucket does not exist.
    """
    if not info:
        return ["create " + plan["bucket_name"]]
    changes = []
    encryption = _lower_keys(info.get("bucket_encryption") or {})
    encryption = encryption.get("serversideencryptionconfiguration", encryption)
    rules = encryption.get("rules") or [{}]
    default = rules[0].get("applyserversideencryptionbydefault") or {}
    if default.get("ssealgorithm") != plan["encryption"]:
        changes.append("encryption: {0} -> {1}".format(default.get("ssealgorithm"), plan["encryption"]))
    versioning = _lower_keys(info.get("bucket_versioning") or {}).get("status") == "Enabled"
    if versioning != plan["versioning"]:
        changes.append("versioning: {0} -> {1}".format(versioning, plan["versioning"]))
    block = _lower_keys(info.get("public_access_block") or {})
    block = block.get("publicaccessblockconfiguration", block)
    wanted = {key.replace("_", ""): value for key, value in plan["public_access"].items()}
    have = {key: block.get(key) for key in wanted}
    if have != wanted:
        changes.append("public access block: {0} -> {1}".format(
            json.dumps(have, sort_keys=True), json.dumps(wanted, sort_keys=True)))
    policy = info.get("bucket_policy") or {}
    if isinstance(policy, dict) and "Policy" in policy:
        policy = policy["Policy"]
    if isinstance(policy, str):
        policy = json.loads(policy) if policy else {}
    if _statements(policy) != _statements(plan["policy"]):
        changes.append("policy: statements {0} -> {1}".format(
            sorted(item.get("Sid", "") for item in policy.get("Statement", [])),
            sorted(item["Sid"] for item in plan["policy"]["Statement"])))
    cors = _lower_keys(info.get("bucket_cors") or {})
    cors_rules = cors.get("corsrules", []) if isinstance(cors, dict) else cors
    if _cors_key(cors_rules) != _cors_key(_lower_keys(plan["cors"])):
        changes.append("cors: {0} -> {1} rule(s)".format(len(cors_rules), len(plan["cors"])))
    lifecycle = _lower_keys(info.get("bucket_lifecycle_configuration") or {})
    have_rules = {(rule.get("id"), (rule.get("filter") or {}).get("prefix", rule.get("prefix")),
                   (rule.get("expiration") or {}).get("days")) for rule in lifecycle.get("rules", [])}
    for rule in plan["expire"]:
        if (rule["id"], rule["prefix"], rule["days"]) not in have_rules:
            changes.append("lifecycle: expire {0} after {1} day(s)".format(rule["prefix"], rule["days"]))
    tags = info.get("bucket_tagging") or {}
    if isinstance(tags, list):
        tags = {item.get("Key"): item.get("Value") for item in tags}
    if tags != plan["tags"]:
        changes.append("tags: {0} -> {1}".format(json.dumps(tags, sort_keys=True), json.dumps(plan["tags"], sort_keys=True)))
    return changes


def _statements(policy):
    out = []
    for statement in (policy or {}).get("Statement", []):
        resources = statement.get("Resource")
        out.append(json.dumps(dict(statement, Resource=sorted(resources if isinstance(resources, list) else [resources])),
                              sort_keys=True))
    return sorted(out)


def _cors_key(rules):
    out = []
    for rule in rules or []:
        out.append(json.dumps({key: sorted(value) if isinstance(value, list) else value for key, value in rule.items()
                               if key != "id" and value not in ([], None)}, sort_keys=True))
    return sorted(out)


def storage_keep(plan, keys, versioning_status=None):
    """Why tear-down without the confirmation keeps a bucket, or '' when it holds nothing but its empty prefixes
    or only transient objects (``transient: true``: module transfers, nothing anyone would miss)."""
    if plan.get("transient"):
        return ""
    data = [key for key in keys or [] if key not in plan["prefixes"]]
    if data:
        return "{0} object(s) such as {1}".format(len(data), data[0])
    if versioning_status in ("Enabled", "Suspended"):
        return "versioning is {0}, so earlier versions may hold data".format(versioning_status.lower())
    return ""


class FilterModule(object):
    """S3 bucket plans for the storage layer."""

    def filters(self):
        return {
            "storage_errors": storage_errors,
            "storage_plan": storage_plan,
            "storage_drift": storage_drift,
            "storage_keep": storage_keep,
        }
