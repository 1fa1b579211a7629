# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nginx -> Next.js on the frontend host: the page, its headers, compression and the static asset cache."""

from __future__ import annotations

import re

from conftest import call


def test_nginx_serves_the_page_with_the_security_headers(site):
    answer = call(site + "/")
    assert answer.status == 200
    assert b"<html" in answer.raw.lower()
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # The inventory's nginx_hsts: the ALB terminates TLS.
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert answer.headers["Server"] == "nginx"
    assert "X-Powered-By" not in answer.headers


def test_static_assets_come_compressed_from_nginx_cache(site):
    page = call(site + "/").raw.decode()
    asset = re.search(r'"(/_next/static/[^"]+\.js)"', page).group(1)
    first = call(site + asset, headers={"Accept-Encoding": "gzip"})
    second = call(site + asset, headers={"Accept-Encoding": "gzip"})
    assert first.status == second.status == 200
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert second.headers["Content-Encoding"] == "gzip"
    assert second.headers["X-Content-Type-Options"] == "nosniff"


def test_the_default_site_is_gone_and_the_configuration_checks(frontend):
    assert not frontend.file("/etc/nginx/sites-enabled/default").exists
    assert frontend.run("nginx -t").rc == 0
    assert frontend.service("nginx").is_enabled and frontend.service("nginx").is_running


def test_the_api_answers_through_nginx_as_through_the_alb(site):
    answer = call(site + "/api/health")
    assert answer.status == 200
