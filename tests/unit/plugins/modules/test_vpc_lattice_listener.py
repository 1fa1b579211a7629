# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vpc_lattice_listener: create/get/list on moto (with the emulator's ListRules/GetRule, tests/harness/moto_lattice.py);
updates, rule changes and deletes on a Stubber, which checks each request against the API model and the exact
order of calls."""

from __future__ import annotations

from datetime import datetime, timezone

import moto_lattice as emulator_lattice
import pytest
from ansible_collections.blueprint.aws.plugins.modules import vpc_lattice_listener as module

ACCOUNT_ARN = "arn:aws:vpc-lattice:us-east-1:123456789012"
SVC_ID = "svc-0123456789abcdef0"
SVC_ARN = f"{ACCOUNT_ARN}:service/{SVC_ID}"
LISTENER_ID = "listener-0123456789abcdef0"
LISTENER_ARN = f"{SVC_ARN}/listener/{LISTENER_ID}"
TG_A = "tg-0000000000000000a"
TG_B = "tg-0000000000000000b"
WHEN = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
NOT_FOUND = {"http_status_code": 404, "service_error_code": "ResourceNotFoundException"}


def tg_arn(tg_id: str) -> str:
    return f"{ACCOUNT_ARN}:targetgroup/{tg_id}"


def rule_arn(rule_id: str) -> str:
    return f"{LISTENER_ARN}/rule/{rule_id}"


def forward(*groups: tuple[str, int]) -> dict:
    return {"forward": {"target_groups": [{"target_group": group, "weight": weight} for group, weight in groups]}}


def api_forward(*groups: tuple[str, int]) -> dict:
    return {
        "forward": {"targetGroups": [{"targetGroupIdentifier": group, "weight": weight} for group, weight in groups]}
    }


# --- moto: create, get, list ------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def emulator_operations():
    """moto plus the emulator's listener and rule operations (ListRules, GetRule, UpdateListener...)."""
    emulator_lattice.apply()


@pytest.fixture
def lattice(moto_lattice):
    """The moto client, with a service ``orders`` and target groups ``blue`` and ``green``."""
    service = moto_lattice.create_service(name="orders")
    groups = {
        name: moto_lattice.create_target_group(
            name=name, type="IP", config={"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"}
        )["id"]
        for name in ("blue", "green")
    }
    moto_lattice.recorder.operations.clear()
    moto_lattice.service = service
    moto_lattice.groups = groups
    return moto_lattice


def args(**overrides) -> dict:
    base = {
        "service": "orders",
        "name": "http",
        "protocol": "HTTP",
        "default_action": {"fixed_response": {"status_code": 404}},
        "rules": [
            {"name": "api", "priority": 10, "match": {"path": {"prefix": "/api"}}, "action": forward(("blue", 100))},
            {
                "name": "canary",
                "priority": 20,
                "match": {"method": "GET", "headers": [{"name": "x-canary", "match": {"exact": "1"}}]},
                "action": forward(("blue", 90), ("green", 10)),
                "tags": {"kind": "canary"},
            },
        ],
        "tags": {"team": "a"},
    }
    base.update(overrides)
    return base


def test_check_mode_create_predicts_and_creates_nothing(run_module, lattice):
    outcome = run_module(module, args(), lattice, check_mode=True, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    listener = outcome.result["listener"]
    assert "id" not in listener and listener["port"] == 80 and listener["tags"] == {"team": "a"}
    assert [rule["name"] for rule in listener["rules"]] == ["api", "canary"]
    assert outcome.result["diff"]["before"] == {}
    assert outcome.result["diff"]["after"]["rules"][1]["action"] == {
        "forward": {
            "target_groups": [
                {"target_group_identifier": lattice.groups["blue"], "weight": 90},
                {"target_group_identifier": lattice.groups["green"], "weight": 10},
            ]
        }
    }
    assert lattice.recorder.writes == []
    assert lattice.list_listeners(serviceIdentifier=lattice.service["id"])["items"] == []


def test_create_with_rules_then_rerun_changes_nothing(run_module, lattice):
    first = run_module(module, args(), lattice)

    assert not first.failed and first.result["changed"]
    listener = first.result["listener"]
    assert listener["id"].startswith("listener-") and listener["service_id"] == lattice.service["id"]
    assert (listener["protocol"], listener["port"], listener["tags"]) == ("HTTP", 80, {"team": "a"})
    assert listener["default_action"] == {"fixed_response": {"status_code": 404}}
    assert [(rule["name"], rule["priority"]) for rule in listener["rules"]] == [("api", 10), ("canary", 20)]
    assert listener["rules"][0]["match"] == {
        "http_match": {"path_match": {"match": {"prefix": "/api"}, "case_sensitive": True}}
    }
    assert listener["rules"][1]["tags"] == {"kind": "canary"}
    assert lattice.recorder.writes == ["CreateListener", "CreateRule", "CreateRule"]

    lattice.recorder.operations.clear()
    # The same listener, with target groups named by ARN and id instead of name.
    same = args()
    same["rules"][0]["action"] = forward((lattice.groups["blue"], 100))
    same["rules"][1]["action"] = forward((tg_arn(lattice.groups["green"]), 10), ("blue", 90))
    second = run_module(module, same, lattice, diff=True)

    assert not second.failed and not second.result["changed"]
    assert lattice.recorder.writes == []
    assert second.result["diff"]["before"] == second.result["diff"]["after"]


def test_forward_default_action_and_explicit_port(run_module, lattice):
    outcome = run_module(
        module, args(port=8080, default_action=forward(("green", 100)), rules=None, tags=None), lattice
    )

    assert outcome.result["listener"]["port"] == 8080
    assert outcome.result["listener"]["default_action"] == {
        "forward": {"target_groups": [{"target_group_identifier": lattice.groups["green"], "weight": 100}]}
    }
    assert outcome.result["listener"]["rules"] == []


def test_unknown_service_fails_before_any_write(run_module, lattice):
    outcome = run_module(module, args(service="nope"), lattice)

    assert outcome.failed and "service 'nope' does not exist" in outcome.result["msg"]
    assert lattice.recorder.writes == []


def test_rule_forwarding_to_a_missing_target_group_fails_before_any_write(run_module, lattice):
    bad = args()
    bad["rules"][1]["action"] = forward(("blue", 50), ("purple", 50))

    outcome = run_module(module, bad, lattice)

    assert outcome.failed
    assert "rule 'canary' forwards to target group 'purple', which does not exist" in outcome.result["msg"]
    assert lattice.recorder.writes == []


def test_protocol_change_fails_naming_the_parameter(run_module, lattice):
    run_module(module, args(), lattice)
    lattice.recorder.operations.clear()

    outcome = run_module(module, args(protocol="HTTPS"), lattice)

    assert outcome.failed and outcome.result["msg"].startswith("protocol cannot change from HTTP to HTTPS")
    assert lattice.recorder.writes == []


def test_kept_rule_priority_clash_fails_before_any_write(run_module, lattice):
    run_module(module, args(), lattice)
    lattice.recorder.operations.clear()
    rules = [
        {"name": "new", "priority": 10, "match": {"method": "PUT"}, "action": {"fixed_response": {"status_code": 418}}}
    ]

    outcome = run_module(module, args(rules=rules, purge_rules=False), lattice)

    assert outcome.failed and "held by rule 'api', which purge_rules=false keeps" in outcome.result["msg"]
    assert lattice.recorder.writes == []


def test_absent_listener_and_absent_service_are_not_changed(run_module, lattice):
    for service in ("orders", "gone"):
        outcome = run_module(module, {"service": service, "name": "http", "state": "absent"}, lattice)
        assert not outcome.failed and not outcome.result["changed"]
    assert lattice.recorder.writes == []


# --- refused before any call --------------------------------------------------------------------


def rule(**overrides) -> dict:
    base = {"name": "api", "priority": 10, "match": {"path": {"prefix": "/api"}}, "action": forward(("blue", 1))}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "listener-x"}, "name must be 3 to 63"),
        ({"port": 0}, "port must be 1 to 65535, not 0"),
        ({"port": 65536}, "port must be 1 to 65535"),
        ({"default_action": {"fixed_response": {"status_code": 700}}}, "default_action.fixed_response.status_code"),
        ({"default_action": {}}, "default_action needs exactly one of forward and fixed_response"),
        ({"default_action": forward(("blue", 1000))}, "weight of 'blue' must be 0 to 999"),
        ({"rules": [rule(priority=0)]}, "rules[api].priority must be 1 to 2000, not 0"),
        ({"rules": [rule(priority=2001)]}, "rules[api].priority must be 1 to 2000, not 2001"),
        ({"rules": [rule(), rule(name="two")]}, "rules[two].priority 10 is also that of rule 'api'"),
        ({"rules": [rule(), rule(priority=11)]}, "the name 'api' is used twice"),
        ({"rules": [rule(name="rule-x")]}, "rules: name must be"),
        ({"rules": [rule(match={"path": {"prefix": "api"}})]}, "rules[api].match.path must start with /"),
        ({"rules": [rule(match={"path": {"exact": "/a", "prefix": "/b"}})]}, "needs exactly one of exact and prefix"),
        ({"rules": [rule(match={})]}, "rules[api].match needs at least one of path, method and headers"),
        (
            {"rules": [rule(match={"headers": [{"name": "h", "match": {"exact": "1", "contains": "2"}}]})]},
            "'h' needs exactly one of exact, prefix and contains",
        ),
        ({"protocol": "TLS_PASSTHROUGH", "rules": [rule()]}, "a TLS_PASSTHROUGH listener has no rules"),
        ({"protocol": "TLS_PASSTHROUGH", "rules": None}, "default_action of a TLS_PASSTHROUGH listener must forward"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, stubbed, overrides, message):
    client, _stubber = stubbed  # nothing queued: any call would fail the test

    outcome = run_module(module, args(**overrides), client)

    assert outcome.failed
    assert message in outcome.result["msg"]


def test_present_requires_protocol_and_default_action(run_module, stubbed):
    client, _stubber = stubbed

    outcome = run_module(module, {"service": "orders", "name": "http"}, client)

    assert outcome.failed and "protocol, default_action" in outcome.result["msg"]


# --- Stubber: update, rule changes, delete ------------------------------------------------------


def listener(default_action: dict | None = None) -> dict:
    return {
        "arn": LISTENER_ARN, "id": LISTENER_ID, "name": "http", "protocol": "HTTP", "port": 80,
        "serviceArn": SVC_ARN, "serviceId": SVC_ID, "createdAt": WHEN, "lastUpdatedAt": WHEN,
        "defaultAction": default_action or {"fixedResponse": {"statusCode": 404}},
    }  # fmt: skip


PATH_API = {"httpMatch": {"pathMatch": {"match": {"prefix": "/api"}, "caseSensitive": True}}}
METHOD_GET = {"httpMatch": {"method": "GET"}}


def api_rule(rule_id: str, name: str, priority: int, match: dict, action: dict) -> dict:
    return {
        "arn": rule_arn(rule_id), "id": rule_id, "name": name, "isDefault": False, "priority": priority,
        "match": match, "action": action, "createdAt": WHEN, "lastUpdatedAt": WHEN,
    }  # fmt: skip


RULE_API = api_rule("rule-000000000000000a1", "api", 10, PATH_API, api_forward((TG_A, 100)))
RULE_GET = api_rule("rule-000000000000000a2", "reads", 20, METHOD_GET, api_forward((TG_A, 90), (TG_B, 10)))
DEFAULT_RULE = {"arn": rule_arn("rule-000000000000000d0"), "id": "rule-000000000000000d0", "name": "default",
                "isDefault": True}  # fmt: skip


def expect_service(stubber) -> None:
    service = {"arn": SVC_ARN, "id": SVC_ID, "name": "orders", "status": "ACTIVE", "authType": "NONE"}
    stubber.add_response("get_service", service, {"serviceIdentifier": SVC_ARN})


def expect_listener(stubber, rules: list[dict], default_action: dict | None = None, tags: dict | None = None) -> None:
    """The calls that read the listener: find it by name, GetListener, its tags, its rules (each with tags)."""
    summary = {"arn": LISTENER_ARN, "id": LISTENER_ID, "name": "http", "protocol": "HTTP", "port": 80}
    stubber.add_response("list_listeners", {"items": [summary]}, {"serviceIdentifier": SVC_ID})
    stubber.add_response(
        "get_listener", listener(default_action), {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID}
    )
    stubber.add_response("list_tags_for_resource", {"tags": tags or {}}, {"resourceArn": LISTENER_ARN})
    summaries = [{key: item[key] for key in ("arn", "id", "name", "isDefault", "priority")} for item in rules]
    stubber.add_response(
        "list_rules",
        {"items": summaries + [DEFAULT_RULE]},
        {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID},
    )
    for item in rules:
        stubber.add_response(
            "get_rule",
            item,
            {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID, "ruleIdentifier": item["id"]},
        )
    for item in rules:
        stubber.add_response("list_tags_for_resource", {"tags": {}}, {"resourceArn": item["arn"]})


def expect_target_groups(stubber, *tg_ids: str) -> None:
    for tg_id in tg_ids:
        group = {"arn": tg_arn(tg_id), "id": tg_id, "name": tg_id, "type": "IP", "status": "ACTIVE"}
        stubber.add_response("get_target_group", group, {"targetGroupIdentifier": tg_arn(tg_id)})


def stub_args(rules: list[dict], **overrides) -> dict:
    base = {
        "service": SVC_ARN,
        "name": "http",
        "protocol": "HTTP",
        "default_action": {"fixed_response": {"status_code": 404}},
        "rules": rules,
    }
    base.update(overrides)
    return base


def option_rules(api_weight: int = 90, reads_priority: int = 20) -> list[dict]:
    return [
        {"name": "api", "priority": 10, "match": {"path": {"prefix": "/api"}}, "action": forward((tg_arn(TG_A), 100))},
        {
            "name": "reads",
            "priority": reads_priority,
            "match": {"method": "GET"},
            "action": forward((tg_arn(TG_A), api_weight), (tg_arn(TG_B), 100 - api_weight)),
        },
    ]


def test_changed_priority_and_weight_are_one_batch_update(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A, TG_B)
    new_action = api_forward((TG_A, 50), (TG_B, 50))
    stubber.add_response(
        "batch_update_rule",
        {"successful": [], "unsuccessful": []},
        {
            "serviceIdentifier": SVC_ID,
            "listenerIdentifier": LISTENER_ID,
            "rules": [{"ruleIdentifier": RULE_GET["id"], "priority": 5, "action": new_action}],
        },
    )
    updated = dict(RULE_GET, priority=5, action=new_action)
    expect_listener(stubber, [updated, RULE_API])

    outcome = run_module(module, stub_args(option_rules(api_weight=50, reads_priority=5)), client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    before, after = outcome.result["diff"]["before"], outcome.result["diff"]["after"]
    assert [(item["name"], item["priority"]) for item in before["rules"]] == [("api", 10), ("reads", 20)]
    assert [(item["name"], item["priority"]) for item in after["rules"]] == [("reads", 5), ("api", 10)]
    assert after["rules"][0]["action"]["forward"]["target_groups"][0]["weight"] == 50


def test_unchanged_listener_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A, TG_B)

    outcome = run_module(module, stub_args(option_rules()), client)

    assert not outcome.failed and not outcome.result["changed"]


def test_purged_rule_is_deleted_and_default_rule_never_touched(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A)
    stubber.add_response(
        "delete_rule",
        {},
        {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID, "ruleIdentifier": RULE_GET["id"]},
    )
    expect_listener(stubber, [RULE_API])

    outcome = run_module(module, stub_args(option_rules()[:1]), client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert [item["name"] for item in outcome.result["listener"]["rules"]] == ["api"]
    assert [item["name"] for item in outcome.result["diff"]["before"]["rules"]] == ["api", "reads"]


def test_purge_rules_false_keeps_unnamed_rules(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A)

    outcome = run_module(module, stub_args(option_rules()[:1], purge_rules=False), client)

    assert not outcome.failed and not outcome.result["changed"]


def test_default_action_is_updated_in_place(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [], tags={"team": "a"})
    expect_target_groups(stubber, TG_B)
    stubber.add_response(
        "update_listener",
        {key: value for key, value in listener(api_forward((TG_B, 100))).items() if not key.endswith("At")},
        {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID, "defaultAction": api_forward((TG_B, 100))},
    )
    stubber.add_response("untag_resource", {}, {"resourceArn": LISTENER_ARN, "tagKeys": ["team"]})
    expect_listener(stubber, [], default_action=api_forward((TG_B, 100)))

    outcome = run_module(
        module, stub_args(None, default_action=forward((tg_arn(TG_B), 100)), tags={}), client, diff=True
    )

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["before"]["default_action"] == {"fixed_response": {"status_code": 404}}
    assert outcome.result["diff"]["after"]["tags"] == {}


def test_check_mode_rule_changes_only_read(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A, TG_B)

    outcome = run_module(
        module, stub_args(option_rules(reads_priority=30)[1:], port=80), client, check_mode=True, diff=True
    )

    assert not outcome.failed and outcome.result["changed"]
    assert [(item["name"], item["priority"]) for item in outcome.result["diff"]["after"]["rules"]] == [("reads", 30)]


def test_failed_batch_update_is_reported(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API, RULE_GET])
    expect_target_groups(stubber, TG_A, TG_B)
    failure = {"ruleIdentifier": RULE_GET["id"], "failureCode": "ConflictException", "failureMessage": "taken"}
    stubber.add_response(
        "batch_update_rule",
        {"successful": [], "unsuccessful": [failure]},
        {
            "serviceIdentifier": SVC_ID,
            "listenerIdentifier": LISTENER_ID,
            "rules": [{"ruleIdentifier": RULE_GET["id"], "priority": 30}],
        },
    )

    outcome = run_module(module, stub_args(option_rules(reads_priority=30)), client)

    assert outcome.failed
    assert "Failed to update rules" in outcome.result["msg"] and "ConflictException taken" in outcome.result["msg"]


def test_delete_waits_until_gone(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [RULE_API])
    stubber.add_response("delete_listener", {}, {"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID})
    stubber.add_client_error(
        "get_listener",
        expected_params={"serviceIdentifier": SVC_ID, "listenerIdentifier": LISTENER_ID},
        **NOT_FOUND,
    )

    outcome = run_module(module, {"service": SVC_ARN, "name": "http", "state": "absent"}, client, diff=True)

    assert not outcome.failed and outcome.result["changed"]
    assert outcome.result["diff"]["after"] == {}
    assert [item["name"] for item in outcome.result["diff"]["before"]["rules"]] == ["api"]
    assert "listener" not in outcome.result


def test_check_mode_delete_only_reads(run_module, stubbed):
    client, stubber = stubbed
    expect_service(stubber)
    expect_listener(stubber, [])

    outcome = run_module(module, {"service": SVC_ARN, "name": "http", "state": "absent"}, client, check_mode=True)

    assert not outcome.failed and outcome.result["changed"]
