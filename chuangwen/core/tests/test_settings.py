"""Production settings: read from the environment, hardened, refusing to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path


def test_check_deploy_passes_with_production_settings(tmp_path):
    root = Path(__file__).resolve().parents[3]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CHUANGWEN_TESTING", "DEBUG", "CHUANGWEN_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY="k" * 20 + "production-secret-from-the-vault-" + "x" * 20,
        CHUANGWEN_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    env.pop("SECRET_KEY")
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
