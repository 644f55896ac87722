"""Production settings: read from the environment, hardened, refusing to start without a secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Variables of the developer's shell that would turn production's defaults down or off:
# the check must see what a production host gets from the settings themselves.
LOOSENING = {
    "CHUANGWEN_TESTING",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "CHUANGWEN_HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
}


def production_env(tmp_path, **changes) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LOOSENING}
    env.update(
        DEBUG="0",
        CHUANGWEN_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cw.shiyan.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://cw.shiyan.gov.cn",
        BEHIND_TLS_PROXY="1",
        CHUANGWEN_VAR_DIR=str(tmp_path),
    )
    env.update(changes)
    return env


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_notice_weaker_settings(tmp_path):
    # The same check with HTTPS hardening off: it must fail, or the test above proves nothing.
    env = production_env(tmp_path, CHUANGWEN_HTTPS="0")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    refused = manage(env, "check")
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
