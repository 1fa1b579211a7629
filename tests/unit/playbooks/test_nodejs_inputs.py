# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nodejs role's rules across variables (tasks/assert.yml), run alone on localhost: nothing is installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def check(**role_vars) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost", "-c", "local",
         "-m", "ansible.builtin.include_role", "-a", "name=blueprint.aws.nodejs tasks_from=assert",
         "-e", json.dumps(role_vars)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_default_names_no_registry_and_passes():
    result = check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_npm_source_without_a_registry_is_refused_naming_the_variable():
    result = check(nodejs_source="npm")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "nodejs_npm_registry: the npm source downloads Node.js from an npm registry" in output
    assert "Traceback" not in output


def test_the_npm_source_with_a_registry_passes_and_a_bad_url_is_refused():
    assert check(nodejs_source="npm", nodejs_npm_registry="https://npm.example.test/repo/").returncode == 0
    refused = check(nodejs_npm_registry="npm.example.test")
    assert refused.returncode != 0
    assert "nodejs_npm_registry: 'npm.example.test' must be an http(s) URL" in refused.stdout + refused.stderr
