# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The webapp stack (seed 001) on the emulator, cloud side, in one life cycle: a converge of every layer into an
existing public hosted zone (the certificate issued once its validation records are there, HTTP redirecting to
HTTPS, /api/* to the backend's target group, the name an alias of the ALB with a health check, both tiers' groups
registered, RDS MySQL Multi-AZ with its password in Secrets Manager only, the uploads bucket, the alarms and dashboard), a re-run that changes
nothing, a --check that predicts the data and storage changes and alters nothing, the uploads' public read, a
tear-down that keeps the final snapshot, the secret and the bucket holding data, and a confirmed one that leaves
nothing but the zone. Bad input is refused before any AWS call (more in test_rds.py and test_storage.py)."""

from __future__ import annotations

import json

import pytest

INVENTORY = "inventories/webapp"
ADMIN = {"webapp_admin_cidrs": ["198.51.100.7/32"]}
ZONE = "example.com"
DOMAIN = "webapp.example.com"
DB = "webapp-main"
BUCKET = "webapp-uploads-123456789012"
LOG_BUCKET = "webapp-alb-logs-123456789012"
PREFIXES = ["uploads/channels/", "uploads/stories/", "uploads/temp/", "uploads/users/"]


def zone_records(route53, zone_id: str) -> list[dict]:
    return route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]


def data_leftovers(aws) -> dict[str, list]:
    rds, secrets = aws.client("rds"), aws.client("secretsmanager")
    return {
        "instances": [db["DBInstanceIdentifier"] for db in rds.describe_db_instances()["DBInstances"]],
        "snapshots": [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]],
        "subnet_groups": [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]],
        "parameter_groups": [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
                             if not g["DBParameterGroupName"].startswith("default")],
        "secrets": [s["Name"] for s in secrets.list_secrets()["SecretList"] if not s.get("DeletedDate")],
        "buckets": [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]],
    }  # fmt: skip


def cors_rules(s3, bucket: str) -> list:
    try:
        return s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchCORSConfiguration":
            return []
        raise


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
        "cors": cors_rules(s3, bucket),
        "lifecycle": [(rule["ID"], rule["Filter"]["Prefix"], rule["Expiration"]["Days"]) for rule in lifecycle],
        "keys": sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])),
    }


def assert_rds(aws, converge) -> dict:
    """The database as seed 001 has it; returns its master credentials, read from Secrets Manager."""
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
    published = converge.task_results("Publish the endpoints and master secret ARNs")[-1]["ansible_facts"]
    assert published["data_rds_endpoints"] == {"main": {"address": db["Endpoint"]["Address"], "port": 3306}}
    secret_arn = published["data_rds_secret_arns"]["main"]
    credentials = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
    assert credentials["username"] == "admin" and len(credentials["password"]) == 32
    assert credentials["password"] not in converge.stdout + converge.stderr
    return {"arn": secret_arn, **credentials}


def assert_uploads_bucket(s3, converge) -> dict:
    """The uploads bucket as seed 001 has it, private by default; returns its state."""
    state = bucket_state(s3)
    assert (state["encryption"], state["versioning"], state["ownership"]) == ("AES256", "Enabled", "BucketOwnerEnforced")
    assert all(state["public_access_block"].values()) and len(state["public_access_block"]) == 4
    assert list(state["policy"]) == ["DenyInsecureTransport"]
    deny = state["policy"]["DenyInsecureTransport"]
    assert (deny["Effect"], deny["Action"], deny["Condition"]) == ("Deny", "s3:*", {"Bool": {"aws:SecureTransport": "false"}})
    assert sorted(deny["Resource"]) == [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
    [cors] = state["cors"]
    assert cors["AllowedOrigins"] == [f"https://{DOMAIN}"]
    assert sorted(cors["AllowedMethods"]) == ["GET", "HEAD", "POST", "PUT"]
    assert state["lifecycle"] == [("expire-uploads-temp", "uploads/temp/", 7)]
    assert state["keys"] == PREFIXES
    tags = {tag["Key"]: tag["Value"] for tag in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    assert (tags["blueprint:stack"], tags["blueprint:bucket"], tags["Name"]) == ("webapp", "uploads", BUCKET)
    published = converge.task_results("Publish the names and ARNs of the buckets")[-1]["ansible_facts"]
    assert published == {"storage_bucket_names": {"uploads": BUCKET, "alb-logs": LOG_BUCKET},
                         "storage_bucket_arns": {"uploads": f"arn:aws:s3:::{BUCKET}", "alb-logs": f"arn:aws:s3:::{LOG_BUCKET}"}}
    return state


def assert_access_logs(elbv2, s3, alb) -> None:
    """The ALB writes its access logs under web/ of the alb-logs bucket, which lets Seoul's Elastic Load Balancing
    account put objects there and nowhere else, and expires them."""
    attributes = {a["Key"]: a["Value"] for a in
                  elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]}
    assert (attributes["access_logs.s3.enabled"], attributes["access_logs.s3.bucket"], attributes["access_logs.s3.prefix"]) == (
        "true", LOG_BUCKET, "web")
    logs = bucket_state(s3, LOG_BUCKET)
    assert (logs["encryption"], logs["ownership"], logs["keys"], logs["cors"]) == ("AES256", "BucketOwnerEnforced", [], [])
    assert all(logs["public_access_block"].values()) and sorted(logs["policy"]) == ["AlbAccessLogsWeb", "DenyInsecureTransport"]
    write = logs["policy"]["AlbAccessLogsWeb"]
    assert (write["Effect"], write["Principal"], write["Action"], write["Resource"]) == (
        "Allow", {"AWS": "arn:aws:iam::600734575887:root"}, "s3:PutObject",
        f"arn:aws:s3:::{LOG_BUCKET}/web/AWSLogs/123456789012/*")
    assert logs["lifecycle"] == [("expire-all", "", 90)]


ALARMS = ["alb-5xx", "api-5xx", "api-latency", "backend-cpu", "backend-unhealthy", "frontend-cpu", "frontend-unhealthy",
          "rds-connections", "rds-cpu", "rds-storage"]
TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:webapp-alerts"


def assert_alarms(aws, alb: dict, groups: dict) -> None:
    """Seed 001's metrics, each watched by an alarm on the resource the other layers made, notifying the alerts
    topic, which is encrypted with the stack's key (one CloudWatch may use)."""
    cloudwatch, sns, kms = aws.client("cloudwatch"), aws.client("sns"), aws.client("kms")
    alarms = {a["AlarmName"].removeprefix("webapp-"): a for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    assert sorted(alarms) == ALARMS

    def dimensions(name):
        return {d["Name"]: d["Value"] for d in alarms[name]["Dimensions"]}

    balancer = alb["LoadBalancerArn"].split(":loadbalancer/")[1]
    backend = groups["webapp-backend"]["TargetGroupArn"].split(":")[-1]
    assert dimensions("alb-5xx") == {"LoadBalancer": balancer}
    assert dimensions("api-5xx") == {"LoadBalancer": balancer, "TargetGroup": backend}
    assert dimensions("rds-cpu") == {"DBInstanceIdentifier": DB}
    assert dimensions("frontend-cpu") == {"AutoScalingGroupName": "webapp-frontend"}
    assert (alarms["api-5xx"]["Namespace"], alarms["rds-cpu"]["Namespace"], alarms["backend-cpu"]["Namespace"]) == (
        "AWS/ApplicationELB", "AWS/RDS", "AWS/EC2")
    latency = alarms["api-latency"]
    assert (latency["ExtendedStatistic"], latency["Threshold"], latency["EvaluationPeriods"]) == ("p95", 1.0, 3)
    assert alarms["rds-connections"]["Threshold"] == 70.0
    assert all(a["AlarmActions"] == [TOPIC] and a["OKActions"] == [TOPIC] for a in alarms.values())

    board = json.loads(cloudwatch.get_dashboard(DashboardName="webapp-overview")["DashboardBody"])
    status, *panels = board["widgets"]
    assert len(status["properties"]["alarms"]) == len(ALARMS) and len(panels) == 8
    lines = [line for panel in panels for line in panel["properties"]["metrics"]]
    assert ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", balancer, "TargetGroup", backend,
            {"stat": "p95", "label": "NestJS (/api)"}] in lines
    assert ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", DB, {"stat": "Maximum", "label": "connections"}] in lines

    assert sns.get_topic_attributes(TopicArn=TOPIC)["Attributes"]["KmsMasterKeyId"] == "alias/webapp-monitoring"
    key = kms.describe_key(KeyId="alias/webapp-monitoring")["KeyMetadata"]
    assert key["KeyManager"] == "CUSTOMER" and kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]
    statements = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])["Statement"]
    [publish] = [s for s in statements if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert sorted(publish["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]


def test_converge_rerun_check_and_teardown_with_and_without_data(playbook, aws, tmp_path):
    route53, acm, elbv2, ec2 = aws.client("route53"), aws.client("acm"), aws.client("elbv2"), aws.client("ec2")
    autoscaling, rds, s3 = aws.client("autoscaling"), aws.client("rds"), aws.client("s3")
    zone_id = route53.create_hosted_zone(Name=ZONE, CallerReference="test-webapp-stack")["HostedZone"]["Id"]
    outputs_file = tmp_path / "outputs.json"
    common = {**ADMIN, "outputs_file": str(outputs_file), "compute_key_dir": str(tmp_path / "keys")}

    converge = playbook("site.yml", inventory=INVENTORY, extra_vars=common)
    assert converge.returncode == 0, converge.failure_messages() or converge.stderr[-2000:]

    # The certificate: issued by DNS validation in the zone, for the site's name.
    [summary] = acm.list_certificates()["CertificateSummaryList"]
    certificate = acm.describe_certificate(CertificateArn=summary["CertificateArn"])["Certificate"]
    assert (certificate["DomainName"], certificate["Status"], certificate["Type"]) == (DOMAIN, "ISSUED", "AMAZON_ISSUED")
    validation = certificate["DomainValidationOptions"][0]["ResourceRecord"]
    records = {(r["Name"].rstrip("."), r["Type"]): r for r in zone_records(route53, zone_id)}
    assert records[(validation["Name"].rstrip("."), "CNAME")]["ResourceRecords"] == [{"Value": validation["Value"]}]

    # The ALB: HTTP redirects to HTTPS; HTTPS (TLS 1.2/1.3, the issued certificate) sends /api/* to the backend
    # and everything else to the frontend.
    [alb] = elbv2.describe_load_balancers(Names=["webapp-web"])["LoadBalancers"]
    assert alb["Scheme"] == "internet-facing"
    groups = {tg["TargetGroupName"]: tg for tg in elbv2.describe_target_groups()["TargetGroups"]}
    assert {name: (tg["Port"], tg["HealthCheckPath"]) for name, tg in groups.items()} == {
        "webapp-frontend": (3000, "/"), "webapp-backend": (9999, "/api/health")}
    listeners = {item["Port"]: item for item in elbv2.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443]
    assert listeners[80]["DefaultActions"][0]["Type"] == "redirect"
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    secure = listeners[443]
    assert secure["Certificates"] == [{"CertificateArn": certificate["CertificateArn"]}]
    assert secure["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert secure["DefaultActions"][0]["TargetGroupArn"] == groups["webapp-frontend"]["TargetGroupArn"]
    rules = [rule for rule in elbv2.describe_rules(ListenerArn=secure["ListenerArn"])["Rules"] if not rule["IsDefault"]]
    assert [(rule["Priority"], rule["Conditions"][0]["Field"], rule["Actions"][0]["TargetGroupArn"]) for rule in rules] == [
        ("10", "path-pattern", groups["webapp-backend"]["TargetGroupArn"])]
    condition = rules[0]["Conditions"][0]
    assert condition.get("PathPatternConfig", {}).get("Values", condition.get("Values")) == ["/api/*"]
    assert_access_logs(elbv2, s3, alb)

    # The name: an alias of the ALB, and a health check of the whole path through /api/health.
    alias = records[(DOMAIN, "A")]["AliasTarget"]
    assert alias["DNSName"].rstrip(".").lower() == alb["DNSName"].lower() and alias["EvaluateTargetHealth"] is True
    [check] = route53.list_health_checks()["HealthChecks"]
    config = check["HealthCheckConfig"]
    assert (config["Type"], config["FullyQualifiedDomainName"], config["ResourcePath"], config["Port"]) == (
        "HTTPS", DOMAIN, "/api/health", 443)

    # Both tiers: a group each in the public subnets, registered with its target group, IMDSv2 templates.
    by_name = {g["AutoScalingGroupName"]: g for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]}
    assert sorted(by_name) == ["webapp-backend", "webapp-frontend"]
    for tier in ("frontend", "backend"):
        group = by_name[f"webapp-{tier}"]
        assert group["TargetGroupARNs"] == [groups[f"webapp-{tier}"]["TargetGroupArn"]]
        template = ec2.describe_launch_template_versions(LaunchTemplateName=f"webapp-{tier}", Versions=["$Latest"])
        data = template["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required" and data["InstanceType"] == "t3.medium"
        assert data["IamInstanceProfile"]["Arn"].endswith(f":instance-profile/webapp-{tier}")

    assert_alarms(aws, alb, groups)

    outputs = json.loads(outputs_file.read_text())["outputs"]
    assert outputs["alerts_topic_arn"] == TOPIC and outputs["dashboard_url"].endswith("#dashboards/dashboard/webapp-overview")
    assert outputs["url"] == f"https://{DOMAIN}" and outputs["alb_dns_name"] == alb["DNSName"]
    assert outputs["certificate_arn"] == certificate["CertificateArn"] and outputs["health_check_id"] == check["Id"]
    assert outputs["rds_endpoint"] and outputs["uploads_bucket"] == BUCKET and outputs["alb_logs_bucket"] == LOG_BUCKET

    credentials = assert_rds(aws, converge)
    assert outputs["rds_secret_arn"] == credentials["arn"] and credentials["password"] not in outputs_file.read_text()
    state = assert_uploads_bucket(s3, converge)

    again = playbook("site.yml", inventory=INVENTORY, extra_vars=common)
    assert again.returncode == 0, again.failure_messages()
    assert again.changed == 0, again.changed_tasks()
    secret = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=credentials["arn"])["SecretString"])
    assert secret == {key: value for key, value in credentials.items() if key != "arn"}

    # Check mode with two weeks of backups, public read of the images and a shorter expiry of temp/ predicts
    # each of them and alters nothing.
    opened = {**common, "webapp_uploads_public_read": True, "webapp_uploads_temp_days": 1}
    two_weeks = {"name": "main", "vpc": "webapp", "security_groups": ["rds"], "max_allocated_storage": 100,
                 "db_name": "webapp", "backup_retention_days": 14, "master_password": {"source": "generate"}}
    check = playbook("site.yml", "--tags", "data,storage", "--check", "--diff", inventory=INVENTORY,
                     extra_vars={**opened, "data_rds_instances": [two_weeks]})
    assert check.returncode == 0, check.failure_messages()
    assert "Ensure each RDS instance runs encrypted" in " ".join(check.changed_tasks())
    predictions = {result["item"]["name"]: result for result in check.task_results("Predict what converging each bucket")[0]["results"]}
    predicted = predictions["uploads"]
    assert predicted["changed"] and not predictions["alb-logs"]["changed"], predictions["alb-logs"]["msg"]
    for change in ("public access block", "policy: statements ['DenyInsecureTransport'] -> "
                   "['DenyInsecureTransport', 'PublicReadOfTheseKeysOnly']", "lifecycle: expire uploads/temp/ after 1"):
        assert change in predicted["msg"]
    assert rds.describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]["BackupRetentionPeriod"] == 7
    assert bucket_state(s3) == state

    # Public read opens the image prefixes only, and the public access block just enough for a bucket policy.
    public = playbook("site.yml", "--tags", "storage", inventory=INVENTORY, extra_vars=opened)
    assert public.returncode == 0, public.failure_messages()
    state = bucket_state(s3)
    assert state["public_access_block"] == {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                            "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    read = state["policy"]["PublicReadOfTheseKeysOnly"]
    assert (read["Effect"], read["Principal"], read["Action"]) == ("Allow", "*", "s3:GetObject")
    assert sorted(read["Resource"]) == [f"arn:aws:s3:::{BUCKET}/uploads/{prefix}/*" for prefix in ("channels", "stories", "users")]
    assert state["lifecycle"] == [("expire-uploads-temp", "uploads/temp/", 1)]

    # Without the confirmation, tear-down takes everything but the data: the database goes after a final
    # snapshot, which stays with the password's secret, and the bucket holding an upload stays. Each notice names
    # the variable that would delete them.
    s3.put_object(Bucket=BUCKET, Key="uploads/users/42.png", Body=b"png")
    keep = playbook("teardown.yml", inventory=INVENTORY, extra_vars=common)
    assert keep.returncode == 0, keep.failure_messages()
    [notice] = keep.task_results("Say which final snapshots keep the data")[0]["results"]
    assert "blueprint_confirm_data_destruction=true" in notice["msg"]
    [notice] = keep.task_results("Keep the buckets that hold data")[0]["results"]
    assert "blueprint_confirm_data_destruction=true" in notice["msg"] and BUCKET in notice["msg"]
    left = data_leftovers(aws)
    assert left["instances"] == [] and left["subnet_groups"] == [] and left["parameter_groups"] == []
    [snapshot] = left["snapshots"]
    assert snapshot.startswith(DB + "-final-") and left["secrets"] == [DB + "-master"] and left["buckets"] == [BUCKET]
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
    assert aws.client("cloudwatch").describe_alarms()["MetricAlarms"] == [] and aws.client("sns").list_topics()["Topics"] == []
    assert aws.client("cloudwatch").list_dashboards()["DashboardEntries"] == []
    assert aws.client("kms").describe_key(KeyId="alias/webapp-monitoring")["KeyMetadata"]["KeyState"] == "PendingDeletion"
    rerun = playbook("teardown.yml", inventory=INVENTORY, extra_vars=common)
    assert rerun.returncode == 0 and rerun.changed == 0, rerun.changed_tasks()

    down = playbook("teardown.yml", inventory=INVENTORY, extra_vars={**common, "blueprint_confirm_data_destruction": True})
    assert down.returncode == 0, down.failure_messages()
    assert all(value == [] for value in data_leftovers(aws).values()), data_leftovers(aws)
    assert acm.list_certificates()["CertificateSummaryList"] == []
    assert route53.list_health_checks()["HealthChecks"] == []
    assert sorted(r["Type"] for r in zone_records(route53, zone_id)) == ["NS", "SOA"]
    assert autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"] == []


HTTPS = {"protocol": "HTTPS", "port": 443, "certificate": "web", "default_action": {"type": "forward", "target_group": "frontend"}}


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        ({"webapp_domain": "www.example.org"},
         "certificate_certificates[0] (web).domain: www.example.org is outside the hosted zone example.com"),
        ({"dns_records": [{"name": "web", "zone": "example.com", "record": "shop.example.net", "alb": "web"}]},
         "dns_records[0] (web).record: shop.example.net is outside the hosted zone example.com"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "rules": [{"priority": 10, "paths": ["/api/*"], "target_group": "api"}]}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).rules[0].target_group: no target group named api"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "certificate": "site"}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).certificate: no certificate named site"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [
            {**HTTPS, "rules": [{"priority": 10, "target_group": "backend"}]}]}]},
         "loadbalancer_albs[0] (web).listeners[0] (HTTPS:443).rules[0]: give paths or hosts"),
        ({"webapp_backend_port": 3000},
         "webapp_frontend_port and webapp_backend_port are both 3000"),
        ({"webapp_admin_cidrs": ["198.51.100.7/32", "0.0.0.0/0"]},
         "webapp_admin_cidrs: 0.0.0.0/0 would open SSH (port 22) to the whole internet"),
        ({"webapp_db_master_password": None},
         "data_rds_instances[0] (main).master_password: say where the master password comes from"),
        ({"loadbalancer_albs": [{"name": "web", "vpc": "webapp", "security_groups": ["alb"], "listeners": [HTTPS],
                                 "access_logs": {"storage_bucket": "alb-logs", "prefix": "site"}}]},
         "loadbalancer_albs[0] (web).access_logs: storage_buckets entry alb-logs lets no load balancer write under prefix site"),
    ],
    ids=["domain-outside-the-zone", "record-outside-the-zone", "rule-to-an-unknown-group", "unknown-certificate",
         "rule-without-a-condition", "frontend-and-backend-on-one-port", "admin-ssh-from-the-internet",
         "no-database-password", "access-logs-where-the-bucket-lets-no-alb-write"],
)
def test_bad_input_fails_before_any_aws_call(refused, extra_vars, expected):
    refused({**ADMIN, **extra_vars}, expected, inventory=INVENTORY)
