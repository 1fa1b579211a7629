# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/validate.yml's stack-level rules, run alone on the webapp inventory: localhost only, no AWS call,
nothing converged."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def validate(**extra_vars) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    extra = {"webapp_admin_cidrs": ["198.51.100.7/32"], **extra_vars}
    return subprocess.run(
        [PLAYBOOK, "-i", "inventories/webapp", "playbooks/validate.yml", "-e", json.dumps(extra)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_frontend_and_backend_on_one_port_is_refused_naming_both_variables():
    result = validate(webapp_backend_port=3000)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "webapp_frontend_port and webapp_backend_port are both 3000" in output
    assert "Traceback" not in output


def test_the_seed_ports_pass():
    result = validate()
    assert result.returncode == 0, result.stdout + result.stderr


def test_ssh_from_the_whole_internet_is_refused_unless_allowed():
    refused = validate(webapp_admin_cidrs=["198.51.100.7/32", "0.0.0.0/0"])
    assert refused.returncode != 0
    assert "webapp_admin_cidrs: 0.0.0.0/0 would open SSH (port 22) to the whole internet" in refused.stdout + refused.stderr
    allowed = validate(webapp_admin_cidrs=["0.0.0.0/0"], webapp_admin_allow_world=True)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def frontend_target(**extra_vars) -> tuple:
    """The frontend target group's port and the frontend security group's rule from the ALB, as the webapp
    inventory renders them."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json")
    extra = {"webapp_admin_cidrs": ["198.51.100.7/32"], **extra_vars}
    expression = ("{{ [loadbalancer_target_groups | selectattr('name', 'eq', 'frontend') | map(attribute='port') | first,"
                  " (security_groups | selectattr('name', 'eq', 'frontend') | first).rules[0].ports] }}")
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost", "-i", "inventories/webapp", "-m",
         "ansible.builtin.debug", "-a", "msg=" + expression, "-e", json.dumps(extra)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    port, rule_ports = json.loads(result.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]["msg"]
    return int(port), [int(p) for p in rule_ports]


def test_the_alb_reaches_nextjs_as_the_seed_says_or_nginx_when_asked():
    assert frontend_target() == (3000, [3000])
    assert frontend_target(webapp_frontend_through_nginx=True) == (80, [80])


def test_nginx_on_an_app_port_is_refused():
    result = validate(webapp_nginx_port=9999)
    assert result.returncode != 0
    assert "webapp_nginx_port is 9999, which webapp_frontend_port or webapp_backend_port already uses" in result.stdout
