# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's fixes make moto answer as AWS does (checked against botocore's model)."""

from __future__ import annotations

import boto3
import botocore.session
import moto_fixes
from moto import mock_aws


def test_nat_gateway_tags_use_the_aws_resource_type():
    model = botocore.session.get_session().get_service_model("ec2")
    assert "natgateway" in model.shape_for("ResourceType").enum
    moto_fixes.apply()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(
            SubnetId=subnet, AllocationId=allocation,
            TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "n"}]}],
        )["NatGateway"]["NatGatewayId"]  # fmt: skip
        tags = ec2.describe_tags(
            Filters=[{"Name": "resource-id", "Values": [nat]}, {"Name": "resource-type", "Values": ["natgateway"]}]
        )["Tags"]
        assert [(tag["Key"], tag["ResourceType"]) for tag in tags] == [("Name", "natgateway")]


def test_fixes_apply_once():
    first = moto_fixes.apply()
    assert moto_fixes.apply() == first


def _group_with_prefix_list(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc)["GroupId"]
    prefix_list = next(p["PrefixListId"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"]
                       if p["PrefixListName"].endswith(".s3"))
    return group, prefix_list


def test_prefix_list_entries_keep_their_description():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("ec2")
    assert "Description" in model.shape_for("PrefixListId").members
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        group, prefix_list = _group_with_prefix_list(ec2)
        permission = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                      "PrefixListIds": [{"PrefixListId": prefix_list, "Description": "from s3"}]}
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[permission])
        rules = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
        assert rules[0]["PrefixListIds"] == [{"PrefixListId": prefix_list, "Description": "from s3"}]

        permission["PrefixListIds"][0]["Description"] = "renamed"
        answer = ec2.update_security_group_rule_descriptions_ingress(GroupId=group, IpPermissions=[permission])
        assert answer["Return"] is True
        rules = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
        assert rules[0]["PrefixListIds"][0]["Description"] == "renamed"


def test_description_updates_return_true_for_egress_too():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("ec2")
    assert "Return" in model.operation_model("UpdateSecurityGroupRuleDescriptionsEgress").output_shape.members
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        group, _prefix_list = _group_with_prefix_list(ec2)
        permission = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                      "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "out"}]}
        answer = ec2.update_security_group_rule_descriptions_egress(GroupId=group, IpPermissions=[permission])
        assert answer["Return"] is True


def _users_table(dynamodb) -> None:
    dynamodb.create_table(
        TableName="users",
        KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_dynamodb_update_table_changes_the_encryption_key():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("dynamodb")
    assert "SSESpecification" in model.operation_model("UpdateTable").input_shape.members
    assert "KMSMasterKeyArn" in model.shape_for("SSEDescription").members
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        _users_table(dynamodb)

        def sse():
            return dynamodb.describe_table(TableName="users")["Table"].get("SSEDescription")

        # Without a key id: the AWS managed key alias/aws/dynamodb.
        answer = dynamodb.update_table(TableName="users", SSESpecification={"Enabled": True, "SSEType": "KMS"})
        managed = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]
        assert answer["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"] == managed
        assert sse() == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": managed}

        # A customer key by its alias is reported by its key ARN.
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/users-data", TargetKeyId=key["KeyId"])
        spec = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/users-data"}
        dynamodb.update_table(TableName="users", SSESpecification=spec)
        assert sse()["KMSMasterKeyArn"] == key["Arn"]

        # Enabled false: back to the AWS owned key, which has no SSEDescription.
        dynamodb.update_table(TableName="users", SSESpecification={"Enabled": False})
        assert sse() is None

        spec["KMSMasterKeyId"] = "alias/nope"
        try:
            dynamodb.update_table(TableName="users", SSESpecification=spec)
        except dynamodb.exceptions.ClientError as error:
            assert error.response["Error"]["Code"] == "ValidationException"
        else:
            raise AssertionError("an unknown key must be refused")
        assert sse() is None

        # Other UpdateTable settings still work alongside.
        dynamodb.update_table(TableName="users", DeletionProtectionEnabled=True)
        assert dynamodb.describe_table(TableName="users")["Table"]["DeletionProtectionEnabled"] is True


def test_kms_keys_behind_aws_aliases_are_aws_managed():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("kms")
    assert model.shape_for("KeyManagerType").enum == ["AWS", "CUSTOMER"]
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        assert kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["KeyManager"] == "AWS"
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/mine", TargetKeyId=key["KeyId"])
        assert kms.describe_key(KeyId="alias/mine")["KeyMetadata"]["KeyManager"] == "CUSTOMER"
        # The key moto makes for a table encrypted at creation without a key id is the AWS managed one too.
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
            SSESpecification={"Enabled": True, "SSEType": "KMS"},
        )  # fmt: skip
        arn = dynamodb.describe_table(TableName="t")["Table"]["SSEDescription"]["KMSMasterKeyArn"]
        assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyManager"] == "AWS"


def test_dynamodb_tables_have_a_lasting_table_id():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("dynamodb")
    assert "TableId" in model.shape_for("TableDescription").members
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        _users_table(dynamodb)
        table_id = dynamodb.describe_table(TableName="users")["Table"]["TableId"]
        assert len(table_id) == 36
        answer = dynamodb.update_table(TableName="users", DeletionProtectionEnabled=False)
        assert answer["TableDescription"]["TableId"] == table_id
        assert dynamodb.describe_table(TableName="users")["Table"]["TableId"] == table_id


def _alb(elbv2, ec2, scheme):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"us-east-1{zone}")["Subnet"]
               ["SubnetId"] for i, zone in enumerate("ab")]
    return elbv2.create_load_balancer(Name=f"alb-{scheme}", Subnets=subnets, Scheme=scheme)["LoadBalancers"][0]


def test_application_load_balancers_report_every_attribute_with_its_aws_default():
    import re  # pylint: disable=import-outside-toplevel

    from moto.elbv2.models import FakeLoadBalancer  # pylint: disable=import-outside-toplevel

    moto_fixes.apply()
    documented = botocore.session.get_session().get_service_model("elbv2").shape_for(
        "LoadBalancerAttribute").members["Key"].documentation
    items = {re.search(r"<code>([^<]+)</code>", item).group(1): re.sub(r"<[^>]+>", "", item)
             for item in documented.split("<li>")[1:]}
    for key, value in moto_fixes.ALB_DEFAULT_ATTRIBUTES.items():
        assert key in items and key in FakeLoadBalancer.VALID_ATTRS
        if value:
            assert f"default is {value}" in items[key] or f"Application Load Balancers is {value}" in items[key], key
    with mock_aws():
        elbv2 = boto3.client("elbv2", region_name="us-east-1")
        ec2 = boto3.client("ec2", region_name="us-east-1")
        public = _alb(elbv2, ec2, "internet-facing")["LoadBalancerArn"]
        attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=public)["Attributes"]}
        assert attributes["idle_timeout.timeout_seconds"] == "60"
        assert attributes["routing.http2.enabled"] == "true"
        assert attributes["load_balancing.cross_zone.enabled"] == "true"
        assert attributes["ipv6.deny_all_igw_traffic"] == "false"
        elbv2.modify_load_balancer_attributes(LoadBalancerArn=public, Attributes=[
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"}])
        changed = elbv2.describe_load_balancer_attributes(LoadBalancerArn=public)["Attributes"]
        assert {"Key": "idle_timeout.timeout_seconds", "Value": "120"} in changed
        internal = _alb(elbv2, ec2, "internal")["LoadBalancerArn"]
        attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=internal)["Attributes"]
        assert {"Key": "ipv6.deny_all_igw_traffic", "Value": "true"} in attributes


def test_launch_template_tags_stay_out_of_the_template_data():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("ec2")
    request = model.operation_model("CreateLaunchTemplate").input_shape.members
    assert "TagSpecifications" in request and "TagSpecifications" in request["LaunchTemplateData"].members
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        data = {"ImageId": "ami-12c6146b", "InstanceType": "t3.micro",
                "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Role", "Value": "app"}]}]}
        template = ec2.create_launch_template(
            LaunchTemplateName="t", LaunchTemplateData=data,
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": "t"}]}],
        )["LaunchTemplate"]  # fmt: skip
        assert template["Tags"] == [{"Key": "Name", "Value": "t"}]
        version = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])
        assert version["LaunchTemplateVersions"][0]["LaunchTemplateData"] == data
        bare = ec2.create_launch_template(
            LaunchTemplateName="u", LaunchTemplateData={"InstanceType": "t3.micro"},
            TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Name", "Value": "u"}]}],
        )["LaunchTemplate"]  # fmt: skip
        version = ec2.describe_launch_template_versions(LaunchTemplateId=bare["LaunchTemplateId"])
        assert "TagSpecifications" not in version["LaunchTemplateVersions"][0]["LaunchTemplateData"]


def test_autoscaling_disable_metrics_collection_stops_the_named_metrics_or_all():
    moto_fixes.apply()
    assert "DisableMetricsCollection" in botocore.session.get_session().get_service_model("autoscaling").operation_names
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        autoscaling = boto3.client("autoscaling", region_name="us-east-1")
        template = ec2.create_launch_template(LaunchTemplateName="t", LaunchTemplateData={
            "ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName="g", MinSize=0, MaxSize=1, AvailabilityZones=["us-east-1a"],
            LaunchTemplate={"LaunchTemplateId": template, "Version": "1"},
        )  # fmt: skip
        autoscaling.enable_metrics_collection(AutoScalingGroupName="g", Granularity="1Minute",
                                              Metrics=["GroupMinSize", "GroupMaxSize"])

        def enabled():
            group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]
            return [metric["Metric"] for metric in group.get("EnabledMetrics", [])]

        autoscaling.disable_metrics_collection(AutoScalingGroupName="g", Metrics=["GroupMinSize"])
        assert enabled() == ["GroupMaxSize"]
        autoscaling.disable_metrics_collection(AutoScalingGroupName="g")
        assert enabled() == []
        try:
            autoscaling.disable_metrics_collection(AutoScalingGroupName="missing")
        except autoscaling.exceptions.ClientError as error:
            assert error.response["Error"]["Code"] == "ValidationError"
        else:
            raise AssertionError("an unknown group must be refused")


def test_elastic_ip_tags_use_the_aws_resource_type():
    model = botocore.session.get_session().get_service_model("ec2")
    assert "elastic-ip" in model.shape_for("ResourceType").enum
    moto_fixes.apply()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        allocation = ec2.allocate_address(
            Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "e"}]}],
        )["AllocationId"]  # fmt: skip
        tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [allocation]},
                                          {"Name": "resource-type", "Values": ["elastic-ip"]}])["Tags"]
        assert [(tag["Key"], tag["ResourceType"]) for tag in tags] == [("Name", "elastic-ip")]


def test_the_aws_managed_policies_the_stacks_attach_exist():
    moto_fixes.apply()
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
        assert iam.get_policy(PolicyArn=arn)["Policy"]["PolicyName"] == "AmazonSSMManagedInstanceCore"
        iam.create_role(RoleName="app", AssumeRolePolicyDocument="{}")
        iam.attach_role_policy(RoleName="app", PolicyArn=arn)
        attached = iam.list_attached_role_policies(RoleName="app")["AttachedPolicies"]
        assert [policy["PolicyArn"] for policy in attached] == [arn]


def test_s3_bucket_policy_denying_plain_http_lets_tls_requests_through():
    import json  # pylint: disable=import-outside-toplevel

    import botocore.exceptions  # pylint: disable=import-outside-toplevel
    import pytest  # pylint: disable=import-outside-toplevel

    moto_fixes.apply()
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "DenyEverythingOverTls", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject",
         "Resource": "arn:aws:s3:::tls-only/*", "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}},
    ]}  # fmt: skip
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="tls-only")
        s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps(policy))
        s3.put_object(Bucket="tls-only", Key="uploads/users/", Body=b"")
        assert s3.head_object(Bucket="tls-only", Key="uploads/users/")["ResponseMetadata"]["HTTPStatusCode"] == 200
        # A Deny whose condition holds for TLS requests still applies.
        with pytest.raises(botocore.exceptions.ClientError):
            s3.delete_object(Bucket="tls-only", Key="uploads/users/")


def test_rds_parameter_groups_answer_as_aws():
    import pytest  # pylint: disable=import-outside-toplevel

    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("rds")
    assert "DBParameterGroupNotFoundFault" in [error.name for error in model.operation_model("DescribeDBParameterGroups").error_shapes]
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        with pytest.raises(rds.exceptions.DBParameterGroupNotFoundFault):
            rds.describe_db_parameter_groups(DBParameterGroupName="missing")
        rds.create_db_parameter_group(DBParameterGroupName="pg", DBParameterGroupFamily="mysql8.0", Description="d")
        listed = {item["ParameterName"]: item for item in rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]}
        assert listed["slow_query_log"]["Source"] == "engine-default" and "ParameterValue" not in listed["slow_query_log"]
        rds.modify_db_parameter_group(DBParameterGroupName="pg", Parameters=[
            {"ParameterName": "slow_query_log", "ParameterValue": "1", "ApplyMethod": "immediate"}])
        listed = {item["ParameterName"]: item for item in rds.describe_db_parameters(DBParameterGroupName="pg")["Parameters"]}
        assert (listed["slow_query_log"]["ParameterValue"], listed["slow_query_log"]["Source"]) == ("1", "user")


def test_rds_gp3_instances_report_their_baseline():
    moto_fixes.apply()
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        instance = rds.create_db_instance(DBInstanceIdentifier="db", Engine="mysql", DBInstanceClass="db.t3.micro",
                                          AllocatedStorage=20, StorageType="gp3", MasterUsername="admin",
                                          MasterUserPassword="secret123")["DBInstance"]  # fmt: skip
        assert (instance["Iops"], instance["StorageThroughput"]) == (3000, 125)
        described = rds.describe_db_instances(DBInstanceIdentifier="db")["DBInstances"][0]
        assert (described["Iops"], described["StorageThroughput"]) == (3000, 125)


def test_kms_key_state_changes_take_the_key_arn():
    moto_fixes.apply()
    model = botocore.session.get_session().get_service_model("kms")
    assert model.operation_model("ScheduleKeyDeletion").input_shape.members["KeyId"].name == "KeyIdType"
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]

        kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
        assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"

        kms.cancel_key_deletion(KeyId=key["Arn"])
        assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"

        kms.enable_key(KeyId=key["Arn"])
        assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
        kms.disable_key(KeyId=key["Arn"])
        assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
