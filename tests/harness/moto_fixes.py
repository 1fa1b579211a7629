# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where moto disagrees with AWS, make the emulator agree with AWS.

Each fix names the AWS behaviour it restores and is covered by tests/unit/harness/test_moto_fixes.py;
docs/emulator.md lists them. Production code never sees these: they live in the emulator process only.
"""

from __future__ import annotations

_APPLIED: list[str] = []


def fix_nat_gateway_tag_resource_type() -> None:
    """DescribeTags reports NAT gateways as resource type ``natgateway`` (botocore's ResourceType enum).

    moto says ``nat-gateway``, so a ``resource-type=natgateway`` filter finds no tags and
    amazon.aws.ec2_vpc_nat_gateway re-tags (changed=true) on every run.
    """
    from moto.ec2 import utils  # pylint: disable=import-outside-toplevel

    utils.EC2_PREFIX_TO_RESOURCE[utils.EC2_RESOURCE_TO_PREFIX["nat-gateway"]] = "natgateway"


def fix_security_group_prefix_list_descriptions() -> None:
    """A rule's prefix-list entry keeps its Description, and UpdateSecurityGroupRuleDescriptions* changes it.

    botocore's ``PrefixListId`` shape carries ``Description``; moto keeps only the id, so
    amazon.aws.ec2_security_group sees a changed description on every run and tries to update it.
    """
    import inspect  # pylint: disable=import-outside-toplevel

    from moto.ec2.models import security_groups  # pylint: disable=import-outside-toplevel

    rule_class = security_groups.SecurityGroupRule
    original_init = rule_class.__init__
    signature = inspect.signature(original_init)

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        entry = signature.bind(self, *args, **kwargs).arguments.get("prefix_list_id") or {}
        self.prefix_list_description = entry.get("Description")

    rule_class.__init__ = init

    original_flatten = security_groups.SecurityGroup._flattened_rules  # pylint: disable=protected-access

    def flattened_rules(self, rules):
        descriptions = {
            (rule.ip_protocol, rule.from_port, rule.to_port, rule.prefix_list_id): rule.prefix_list_description
            for rule in rules if rule.prefix_list_id and getattr(rule, "prefix_list_description", None)
        }  # fmt: skip
        views = original_flatten(self, rules)
        for view in views:
            for entry in view.prefix_list_ids:
                key = (view.ip_protocol, view.from_port, view.to_port, entry["PrefixListId"])
                if key in descriptions:
                    entry["Description"] = descriptions[key]
        return views

    security_groups.SecurityGroup._flattened_rules = flattened_rules  # pylint: disable=protected-access

    backend_class = security_groups.SecurityGroupBackend
    original_update = backend_class._sg_update_description  # pylint: disable=protected-access

    def update_description(self, security_rule, rule):
        original_update(self, security_rule, rule)
        if security_rule.prefix_list_id and security_rule.prefix_list_id == rule.prefix_list_id:
            if security_rule.prefix_list_description is not None:
                rule.prefix_list_description = security_rule.prefix_list_description

    backend_class._sg_update_description = update_description  # pylint: disable=protected-access


def fix_rule_description_updates_return_true() -> None:
    """UpdateSecurityGroupRuleDescriptionsIngress/Egress answer ``<return>true</return>`` as in AWS.

    moto answers with an empty body, and amazon.aws reads ``response["Return"]`` (KeyError: 'Return').
    """
    from moto.core.responses import ActionResult  # pylint: disable=import-outside-toplevel
    from moto.ec2.responses.security_groups import SecurityGroups  # pylint: disable=import-outside-toplevel

    for name in ("update_security_group_rule_descriptions_ingress", "update_security_group_rule_descriptions_egress"):
        original = getattr(SecurityGroups, name)

        def answer(self, _original=original):
            _original(self)
            return ActionResult({"Return": True})

        setattr(SecurityGroups, name, answer)


def fix_dynamodb_update_table_sse() -> None:
    """UpdateTable applies ``SSESpecification``; DescribeTable reports the key's ARN as ``KMSMasterKeyArn``.

    AWS: ``Enabled: false`` moves the table to the AWS owned key (no ``SSEDescription``); ``Enabled: true``
    with ``SSEType: KMS`` uses ``KMSMasterKeyId`` (key id, key ARN, alias name or alias ARN) or, without one,
    the AWS managed key ``alias/aws/dynamodb``; an unknown key is a ValidationException. moto ignores
    ``SSESpecification`` on UpdateTable, so a change of key never happens.
    """
    from moto.dynamodb.exceptions import MockValidationException  # pylint: disable=import-outside-toplevel
    from moto.dynamodb.responses import DynamoHandler  # pylint: disable=import-outside-toplevel
    from moto.kms import kms_backends  # pylint: disable=import-outside-toplevel
    from moto.kms.exceptions import NotFoundException  # pylint: disable=import-outside-toplevel

    original = DynamoHandler.update_table

    def update_table(self):
        specification = self.body.get("SSESpecification")
        if specification is not None:
            table = self.dynamodb_backend.get_table(self.body["TableName"])
            if not specification.get("Enabled"):
                table.sse_specification = None
            else:
                kms = kms_backends[table.account_id][table.region_name]
                key_id = specification.get("KMSMasterKeyId") or "alias/aws/dynamodb"
                try:
                    arn = kms.describe_key(key_id).arn
                except (KeyError, AttributeError, NotFoundException) as error:  # moto's ways of saying "no such key"
                    raise MockValidationException(f"Invalid KMSMasterKeyId: {key_id} was not found") from error
                table.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": arn}
        return original(self)

    DynamoHandler.update_table = update_table


def fix_kms_aws_managed_keys() -> None:
    """Keys behind the ``alias/aws/<service>`` aliases are AWS managed: DescribeKey says ``KeyManager: AWS``.

    moto creates them on first use (as AWS does) but reports ``KeyManager: CUSTOMER``, so a module cannot
    tell the AWS managed ``alias/aws/dynamodb`` key from a customer managed one.
    """
    from moto.kms.models import KmsBackend  # pylint: disable=import-outside-toplevel

    original = KmsBackend.create_alias

    def create_alias(self, target_key_id, alias_name):
        alias = original(self, target_key_id, alias_name)
        if alias_name.startswith("alias/aws/"):
            self.keys[self.get_key_id(target_key_id)].key_manager = "AWS"
        return alias

    KmsBackend.create_alias = create_alias


def fix_kms_key_state_changes_by_arn() -> None:
    """EnableKey, DisableKey, ScheduleKeyDeletion and CancelKeyDeletion take the key's id or its ARN
    (botocore's ``KeyIdType``).

    moto looks the ARN up as if it were an id and answers 500 (KeyError), so amazon.aws.kms_key, which passes
    the ARN, cannot schedule a key's deletion, restore it or enable it again.
    """
    from moto.kms.models import KmsBackend  # pylint: disable=import-outside-toplevel

    def by_key_id(original):
        def method(self, key_id, *args, **kwargs):
            return original(self, self.get_key_id(key_id), *args, **kwargs)

        return method

    for name in ("enable_key", "disable_key", "schedule_key_deletion", "cancel_key_deletion"):
        setattr(KmsBackend, name, by_key_id(getattr(KmsBackend, name)))


def fix_launch_template_tags_stay_out_of_the_template_data() -> None:
    """CreateLaunchTemplate's own TagSpecifications (resource type ``launch-template``) tag the template only.

    moto also appends them to ``LaunchTemplateData.TagSpecifications``, so DescribeLaunchTemplateVersions
    answers data that was never sent, amazon.aws.ec2_launch_template sees a difference on every run and
    creates a new template version each time. In the botocore model the request's ``TagSpecifications`` and
    ``LaunchTemplateData.TagSpecifications`` are separate members.
    """
    from moto.ec2.models.launch_templates import LaunchTemplateBackend  # pylint: disable=import-outside-toplevel

    original = LaunchTemplateBackend.create_launch_template

    def create_launch_template(self, name, description, template_data, tag_spec):
        specs = template_data.get("TagSpecifications")
        if specs:
            kept = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
            if kept:
                template_data["TagSpecifications"] = kept
            else:
                del template_data["TagSpecifications"]
        return original(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template


def fix_dynamodb_table_id() -> None:
    """A table's description carries its ``TableId`` (a UUID that stays with the table), as in AWS.

    moto leaves it out, and community.aws.dynamodb_table fails with ``KeyError: 'table_id'`` on every table.
    """
    import uuid  # pylint: disable=import-outside-toplevel

    from moto.dynamodb.models.table import Table  # pylint: disable=import-outside-toplevel

    original = Table.describe

    def describe(self, base_key: str = "TableDescription"):
        result = original(self, base_key=base_key)
        if getattr(self, "blueprint_table_id", None) is None:
            self.blueprint_table_id = str(uuid.uuid4())
        result[base_key]["TableId"] = self.blueprint_table_id
        return result

    Table.describe = describe


def fix_autoscaling_disable_metrics_collection() -> None:
    """DisableMetricsCollection exists: it stops the named metrics, or all of them when none are named.

    moto implements EnableMetricsCollection only and answers 500 (NotImplementedError) here, and
    amazon.aws.autoscaling_group calls it on every update of a group that collects no metrics.
    """
    from moto.autoscaling.exceptions import ValidationError  # pylint: disable=import-outside-toplevel
    from moto.autoscaling.responses import AutoScalingResponse  # pylint: disable=import-outside-toplevel
    from moto.core.responses import EmptyResult  # pylint: disable=import-outside-toplevel

    def disable_metrics_collection(self):
        name = self._get_param("AutoScalingGroupName")
        metrics = self._get_param("Metrics") or []
        group = self.autoscaling_backend.autoscaling_groups.get(name)
        if group is None:
            raise ValidationError(f"Group {name} not found")
        group.metrics = [metric for metric in group.metrics if metrics and metric not in metrics]
        return EmptyResult()

    AutoScalingResponse.disable_metrics_collection = disable_metrics_collection


def fix_elastic_ip_tag_resource_type() -> None:
    """DescribeTags reports Elastic IPs with resource type ``elastic-ip`` (botocore's ResourceType enum).

    moto says ``vpc-elastic-ip``, so a ``resource-type=elastic-ip`` filter finds no tags and
    amazon.aws.ec2_eip re-tags (changed=true) on every run.
    """
    from moto.ec2 import utils  # pylint: disable=import-outside-toplevel

    utils.EC2_PREFIX_TO_RESOURCE[utils.EC2_RESOURCE_TO_PREFIX["vpc-elastic-ip"]] = "elastic-ip"


# AWS managed policies the stacks attach. moto knows none of them unless MOTO_IAM_LOAD_MANAGED_POLICIES loads
# all ~1,300 into every IAM backend (about 1.5 s for each fresh emulator state); these few are enough.
AWS_MANAGED_POLICIES_USED = ("AmazonSSMManagedInstanceCore",)


def fix_iam_aws_managed_policies_used_by_the_stacks() -> None:
    """The AWS managed policies in AWS_MANAGED_POLICIES_USED exist, as every AWS managed policy does in AWS.

    Without them ``AttachRolePolicy`` of ``arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore`` fails with
    ``NoSuchEntity`` and amazon.aws.iam_role cannot converge a role that Session Manager may reach.
    """
    import json  # pylint: disable=import-outside-toplevel

    from moto.iam import models  # pylint: disable=import-outside-toplevel
    from moto.iam.aws_managed_policies import aws_managed_policies_data  # pylint: disable=import-outside-toplevel

    original = models.IAMBackend._init_aws_policies  # pylint: disable=protected-access
    documents = json.loads(aws_managed_policies_data)
    used = {name: documents[name] for name in AWS_MANAGED_POLICIES_USED}

    def init_aws_policies(self):
        policies = original(self)
        loaded = {policy.name for policy in policies}
        return policies + [
            models.AWSManagedPolicy.from_data(name, self.account_id, self.region_name, document)
            for name, document in used.items() if name not in loaded
        ]

    models.IAMBackend._init_aws_policies = init_aws_policies  # pylint: disable=protected-access


FIXES = [
    fix_nat_gateway_tag_resource_type,
    fix_security_group_prefix_list_descriptions,
    fix_rule_description_updates_return_true,
    fix_dynamodb_update_table_sse,
    fix_kms_aws_managed_keys,
    fix_kms_key_state_changes_by_arn,
    fix_dynamodb_table_id,
    fix_launch_template_tags_stay_out_of_the_template_data,
    fix_autoscaling_disable_metrics_collection,
    fix_elastic_ip_tag_resource_type,
    fix_iam_aws_managed_policies_used_by_the_stacks,
]


def apply() -> list[str]:
    """Apply every fix once; returns the names applied."""
    for fix in FIXES:
        if fix.__name__ not in _APPLIED:
            fix()
            _APPLIED.append(fix.__name__)
    return list(_APPLIED)


# An Application Load Balancer's attributes from creation on, with the defaults botocore's
# LoadBalancerAttribute.Key documentation gives (ipv6.deny_all_igw_traffic depends on the scheme).
ALB_DEFAULT_ATTRIBUTES = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "client_keep_alive.seconds": "3600",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "health_check_logs.s3.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "load_balancing.cross_zone.enabled": "true",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "zonal_shift.config.enabled": "false",
}


def fix_alb_default_attributes() -> None:
    """DescribeLoadBalancerAttributes of a new Application Load Balancer lists every ALB attribute with its default.

    moto starts every load balancer with five attributes (and cross-zone load balancing off, which AWS keeps on
    for ALBs), so amazon.aws.elb_application_lb fails with ``KeyError: 'idle_timeout_timeout_seconds'`` when it
    compares ``idle_timeout``, ``http2`` or the header options of an existing ALB.
    """
    from moto.elbv2.models import FakeLoadBalancer  # pylint: disable=import-outside-toplevel

    original_init = FakeLoadBalancer.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.type == "application":
            self.attrs.update(ALB_DEFAULT_ATTRIBUTES)
            self.attrs["ipv6.deny_all_igw_traffic"] = "true" if self.scheme == "internal" else "false"

    FakeLoadBalancer.__init__ = init


FIXES.append(fix_alb_default_attributes)


def fix_s3_secure_transport_condition() -> None:
    """A bucket policy's ``Bool``/``BoolIfExists`` condition on ``aws:SecureTransport`` is evaluated.

    AWS sets ``aws:SecureTransport`` on every request (``true`` over TLS, which every AWS SDK uses against S3) and
    applies a statement only when its condition holds, so the usual ``Deny`` with ``aws:SecureTransport: false``
    refuses plain-HTTP requests only. moto skips condition operators it does not know, so that ``Deny`` applies to
    every object request, and it treats a Deny statement whose condition fails as a denial: PutObject and
    HeadObject answer 403 in any bucket that insists on TLS. Requests to the emulator stand for the TLS requests a
    client makes to AWS, so the key reads ``true``, and a Deny statement whose condition fails does not apply.
    """
    from moto.iam import policy_conditions  # pylint: disable=import-outside-toplevel

    condition_class = policy_conditions.TrustCondition
    original_verify = condition_class.verify_condition

    def verify(self, actual_values):
        if self._condition not in ("Bool", "BoolIfExists"):  # pylint: disable=protected-access
            return original_verify(self, actual_values)
        pairs = zip(self.context_keys, self._expected_value)  # pylint: disable=protected-access
        for key, expected in pairs:
            if key.lower() != "aws:securetransport":
                continue
            wanted = expected if isinstance(expected, list) else [expected]
            if "true" not in [str(value).lower() for value in wanted]:
                return False
        return True

    condition_class.verify_condition = verify

    # A Deny statement whose condition does not hold does not apply (moto answers DENIED for any statement whose
    # condition fails, which is right for Allow statements of trust policies only).
    from moto.iam import access_control  # pylint: disable=import-outside-toplevel

    statement_class = access_control.IAMPolicyStatement
    original_permitted = statement_class.is_action_permitted

    def permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
        statement = self._statement  # pylint: disable=protected-access
        if (statement.get("Effect") == "Deny" and statement.get("Condition")
                and not self._check_conditions(incoming_condition_values)):  # pylint: disable=protected-access
            return access_control.PermissionResult.NEUTRAL
        return original_permitted(self, action, resource, principal, incoming_condition_values)

    statement_class.is_action_permitted = permitted


FIXES.append(fix_s3_secure_transport_condition)


# A few of the MySQL 8.0 engine parameters as DescribeDBParameters lists them for a new group (values absent:
# the engine default applies). AWS lists a few hundred; these are the ones the stacks set.
MYSQL_ENGINE_PARAMETERS = {
    "slow_query_log": ("boolean", "0,1", "dynamic"),
    "long_query_time": ("float", "0-31536000", "dynamic"),
    "general_log": ("boolean", "0,1", "dynamic"),
    "log_output": ("string", "TABLE,FILE,NONE", "dynamic"),
    "require_secure_transport": ("boolean", "0,1", "dynamic"),
    "max_connections": ("integer", "1-100000", "dynamic"),
    "character_set_server": ("string", "utf8mb4,utf8,latin1", "dynamic"),
    "collation_server": ("string", "utf8mb4_0900_ai_ci,utf8mb4_general_ci,utf8mb4_unicode_ci", "dynamic"),
    "time_zone": ("string", "UTC,Asia/Seoul", "dynamic"),
    "innodb_print_all_deadlocks": ("boolean", "0,1", "dynamic"),
}


def fix_rds_parameter_groups() -> None:
    """DescribeDBParameterGroups of a missing name is a ``DBParameterGroupNotFound`` fault, and a new MySQL or
    MariaDB parameter group lists its engine's parameters.

    AWS answers a missing name with the fault (botocore model: DBParameterGroupNotFoundFault), and
    DescribeDBParameters lists every engine parameter (``Source: engine-default``, ``IsModifiable``,
    ``DataType``, ``AllowedValues``) from creation on. moto answers an empty list for a missing name
    (amazon.aws.rds_instance_param_group fails with ``list index out of range``) and lists only parameters set
    by hand (the module finds nothing to set: "not an available parameter"). Simplification: only the
    parameters of MYSQL_ENGINE_PARAMETERS.
    """
    from moto.rds import models  # pylint: disable=import-outside-toplevel

    backend_class = models.RDSBackend
    original_describe = backend_class.describe_db_parameter_groups

    def describe(self, db_parameter_group_kwargs):
        found = original_describe(self, db_parameter_group_kwargs)
        name = db_parameter_group_kwargs.get("db_parameter_group_name")
        if name and not found:
            raise models.DBParameterGroupNotFoundError(name)
        return found

    backend_class.describe_db_parameter_groups = describe

    group_class = models.DBParameterGroup
    original_init = group_class.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if str(self.family or "").startswith(("mysql", "mariadb")):
            for name, (data_type, allowed, apply_type) in MYSQL_ENGINE_PARAMETERS.items():
                self.parameters[name].update({
                    "ParameterName": name, "Description": name, "Source": "engine-default", "ApplyType": apply_type,
                    "DataType": data_type, "AllowedValues": allowed, "IsModifiable": True, "ApplyMethod": "pending-reboot",
                })  # fmt: skip

    group_class.__init__ = init

    original_update = group_class.update_parameters

    def update(self, new_parameters):
        new_parameters = list(new_parameters)
        original_update(self, new_parameters)
        for parameter in new_parameters:
            self.parameters[parameter["ParameterName"]]["Source"] = "user"

    group_class.update_parameters = update


FIXES.append(fix_rds_parameter_groups)


def fix_rds_gp3_baseline() -> None:
    """A gp3 DB instance created without Iops or StorageThroughput reports its baseline performance.

    AWS gives gp3 storage 3000 IOPS and 125 MiB/s below 400 GiB (12000 and 500 from 400 GiB, for MySQL, MariaDB
    and PostgreSQL; RDS User Guide, "gp3 storage") and DescribeDBInstances reports both. moto reports neither, and
    amazon.aws.rds_instance fails with ``KeyError: 'StorageThroughput'`` on the second run over any gp3 instance.
    """
    from moto.rds import models  # pylint: disable=import-outside-toplevel

    instance_class = models.DBInstance
    original_init = instance_class.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if getattr(self, "storage_type", None) == "gp3":
            large = int(self.allocated_storage or 0) >= 400
            if not self.iops:
                self.iops = 12000 if large else 3000
            if not self.storage_throughput:
                self.storage_throughput = 500 if large else 125

    instance_class.__init__ = init


FIXES.append(fix_rds_gp3_baseline)
# --- ACM and ELBv2 listener rules (blueprint.aws.acm_certificate_request, blueprint.aws.elb_listener_rules) ---

# The mailboxes ACM writes to for EMAIL validation (besides the WHOIS contacts), per the ACM user guide.
ACM_VALIDATION_MAILBOXES = ("admin", "administrator", "hostmaster", "postmaster", "webmaster")


def _acm_in_use_by(certificate_arn: str) -> list:
    """The load balancers whose listeners use the certificate, read from moto's ELBv2 state (as ACM reports them)."""
    from moto.elbv2.models import elbv2_backends  # pylint: disable=import-outside-toplevel

    _arn, _partition, _service, region, account, _rest = certificate_arn.split(":", 5)
    users = set()
    for balancer in elbv2_backends[account][region].load_balancers.values():
        for listener in balancer.listeners.values():
            if certificate_arn in (listener.certificates or []):
                users.add(balancer.arn)
    return sorted(users)


def _acm_dns_records_exist(certificate_arn: str, records: list) -> bool:
    """Whether every validation record is a CNAME with that value in one of the account's Route53 zones."""
    from moto.route53.models import route53_backends  # pylint: disable=import-outside-toplevel

    account = certificate_arn.split(":")[4]
    present = set()
    for backend in route53_backends[account].values():
        for zone in backend.zones.values():
            for rrset in zone.rrsets:
                if rrset.type == "CNAME":
                    for value in rrset.records or []:
                        present.add((rrset.name.rstrip(".").lower(), str(value).rstrip(".").lower()))
    wanted = {(record["Name"].rstrip(".").lower(), record["Value"].rstrip(".").lower()) for record in records}
    return bool(wanted) and wanted <= present


def fix_acm_requested_certificates() -> None:
    """ACM answers for a requested (AMAZON_ISSUED) certificate as AWS does.

    - ``KeyAlgorithm`` is the one requested (moto always says RSA_2048);
    - ``ValidationMethod: EMAIL`` gives DomainValidationOptions with ``ValidationEmails`` and no ``ResourceRecord``
      (moto answers DNS records whatever was asked);
    - ``SubjectAlternativeNames`` and ``DomainValidationOptions`` list the domain name first, then the other names
      in the order requested (moto's order changes from one process to the next);
    - a DNS-validated certificate is ``ISSUED`` once its validation CNAME records exist (here: in a Route53 hosted
      zone of the account), never before; moto issues every certificate 60 seconds after the request, records or
      not. An EMAIL-validated one stays ``PENDING_VALIDATION`` (nobody approves the mail);
    - ``NotBefore``, ``NotAfter``, ``IssuedAt`` and ``Serial`` appear once the certificate is issued;
    - ``InUseBy`` lists the load balancers whose listeners use the certificate, and ``DeleteCertificate`` of a
      certificate in use fails with ``ResourceInUseException`` (moto keeps the listener ARNs of every listener
      ever created with it, and deletes it anyway).
    """
    from moto.acm.models import AWSCertificateManagerBackend  # pylint: disable=import-outside-toplevel
    from moto.acm.models import CertBundle  # pylint: disable=import-outside-toplevel
    from moto.acm.responses import AWSCertificateManagerResponse  # pylint: disable=import-outside-toplevel
    from moto.core.exceptions import AWSError  # pylint: disable=import-outside-toplevel
    from moto.core.utils import utcnow  # pylint: disable=import-outside-toplevel

    original_request = AWSCertificateManagerResponse.request_certificate

    def request_certificate(self):
        result = original_request(self)
        bundle = self.acm_backend._certificates[result.result["CertificateArn"]]  # pylint: disable=protected-access
        if getattr(bundle, "blueprint_names", None) is None:
            domain = self._get_param("DomainName")
            requested = [domain] + list(self._get_param("SubjectAlternativeNames") or [])
            bundle.blueprint_names = list(dict.fromkeys(requested))
            bundle.blueprint_key_algorithm = self._get_param("KeyAlgorithm") or "RSA_2048"
            bundle.blueprint_validation_method = self._get_param("ValidationMethod") or "DNS"
        return result

    AWSCertificateManagerResponse.request_certificate = request_certificate

    def check(self):
        if self._not_valid_after(self._cert) <= utcnow():  # pylint: disable=protected-access
            self.status = "EXPIRED"
            return
        if self.type != "AMAZON_ISSUED" or self.status != "PENDING_VALIDATION":
            return
        if getattr(self, "blueprint_validation_method", "DNS") != "DNS":
            return
        records = [option["ResourceRecord"] for option in original_describe(self)["Certificate"]
                   ["DomainValidationOptions"]]  # fmt: skip
        if _acm_dns_records_exist(self.arn, records):
            self.status = "ISSUED"
            self.blueprint_issued_at = utcnow()

    original_describe = CertBundle.describe

    def describe(self):
        result = original_describe(self)
        certificate = result["Certificate"]
        certificate["InUseBy"] = _acm_in_use_by(self.arn)
        requested = getattr(self, "blueprint_names", None)
        if self.type != "AMAZON_ISSUED" or requested is None:
            return result
        certificate["KeyAlgorithm"] = self.blueprint_key_algorithm
        certificate["SubjectAlternativeNames"] = list(requested)
        by_name = {option["DomainName"]: option for option in certificate.get("DomainValidationOptions", [])}
        options = [by_name[name] for name in requested if name in by_name]
        if self.blueprint_validation_method == "EMAIL":
            for option in options:
                domain = option["DomainName"][2:] if option["DomainName"].startswith("*.") else option["DomainName"]
                option.pop("ResourceRecord", None)
                option["ValidationMethod"] = "EMAIL"
                option["ValidationEmails"] = [f"{mailbox}@{domain}" for mailbox in ACM_VALIDATION_MAILBOXES]
        certificate["DomainValidationOptions"] = options
        if self.status != "ISSUED":
            for key in ("NotBefore", "NotAfter", "IssuedAt", "Serial"):
                certificate.pop(key, None)
        return result

    CertBundle.check = check
    CertBundle.describe = describe

    class ResourceInUseException(AWSError):
        TYPE = "ResourceInUseException"

    original_delete = AWSCertificateManagerBackend.delete_certificate

    def delete_certificate(self, arn):
        users = _acm_in_use_by(arn) if arn in self._certificates else []  # pylint: disable=protected-access
        if users:
            raise ResourceInUseException(f"Certificate {arn} in account {self.account_id} is in use.")
        return original_delete(self, arn)

    AWSCertificateManagerBackend.delete_certificate = delete_certificate


# RedirectConfig components ELBv2 fills in when a rule leaves them out (RedirectActionConfig in the API reference).
ELBV2_REDIRECT_DEFAULTS = {"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}",
                           "Query": "#{query}"}  # fmt: skip


def _elbv2_rule_as_aws_keeps_it(conditions: list, actions: list) -> tuple:
    """A rule's conditions and actions as DescribeRules returns them on AWS."""
    import copy  # pylint: disable=import-outside-toplevel

    conditions = copy.deepcopy(conditions or [])
    for condition in conditions:
        config_key = {"host-header": "HostHeaderConfig", "path-pattern": "PathPatternConfig"}.get(condition.get("Field"))
        if config_key:
            values = condition.get("Values") or (condition.get(config_key) or {}).get("Values") or []
            condition["Values"] = list(values)
            condition[config_key] = {"Values": list(values)}
    actions = copy.deepcopy(actions or [])
    for position, action in enumerate(actions, start=1):
        action["Order"] = int(action.get("Order") or position)
        if action.get("Type") == "forward" and action.get("TargetGroupArn") and not action.get("ForwardConfig"):
            action["ForwardConfig"] = {
                "TargetGroups": [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": False},
            }
        if action.get("Type") == "redirect":
            action["RedirectConfig"] = dict(ELBV2_REDIRECT_DEFAULTS, **(action.get("RedirectConfig") or {}))
    return conditions, actions


def fix_elbv2_rule_answers() -> None:
    """A listener rule comes back as AWS keeps it, not as it was sent.

    AWS answers (DescribeRules, CreateRule, ModifyRule) with ``Values`` and ``PathPatternConfig``/``HostHeaderConfig``
    both for path-pattern and host-header conditions, an ``Order`` on every action, a ``ForwardConfig`` (weight 1,
    stickiness off) next to a forward action's ``TargetGroupArn``, and every redirect component with its default
    (aws/aws-sdk issue 439, the ELBv2 API reference). moto echoes the request, so a module that compares rules is
    never tested against what AWS answers.
    """
    from moto.elbv2.models import ELBv2Backend  # pylint: disable=import-outside-toplevel
    from moto.elbv2.models import FakeAction  # pylint: disable=import-outside-toplevel

    def as_aws_keeps_it(rule):
        # After moto's own validation, which refuses Values and PathPatternConfig together in a request.
        conditions, actions = _elbv2_rule_as_aws_keeps_it(rule.conditions, [action.data for action in rule.actions])
        rule.conditions = conditions
        rule.actions = [FakeAction(action) for action in actions]
        return rule

    original_create = ELBv2Backend.create_rule
    original_modify = ELBv2Backend.modify_rule

    def create_rule(self, *args, **kwargs):
        return as_aws_keeps_it(original_create(self, *args, **kwargs))

    def modify_rule(self, *args, **kwargs):
        return as_aws_keeps_it(original_modify(self, *args, **kwargs))

    ELBv2Backend.create_rule = create_rule
    ELBv2Backend.modify_rule = modify_rule


FIXES += [fix_acm_requested_certificates, fix_elbv2_rule_answers]
