"""Settings are driven by the environment and secure by default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS_ONLY"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="xianan_lawgov.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check")
    assert result.returncode != 0
    # One line an operator can act on, not a traceback.
    assert result.stderr.startswith("配置错误：DEBUG 关闭时必须设置环境变量 SECRET_KEY")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_deploy_check_is_clean_with_only_the_documented_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x7#kq!v2" * 8,
        ALLOWED_HOSTS="lawgov.xianan.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_debug_defaults_to_off_and_language_is_simplified_chinese():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="k" * 60,
    )
    assert result.stdout.strip() == "False"


def test_the_inspection_publication_period_comes_from_the_environment():
    def configured(**env) -> str:
        code = "from django.conf import settings; print(settings.LAWGOV['PUBLICATION_DAYS'])"
        result = run_manage("shell", "--no-imports", "-c", code, SECRET_KEY="k" * 60, **env)
        return result.stdout.strip()

    assert configured() == "20"
    assert configured(LAWGOV_PUBLICATION_DAYS="15") == "15"


def test_a_browser_set_to_english_still_gets_the_chinese_interface(client, office):
    client.force_login(office)
    response = client.get("/admin/reviews/governmentcontract/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "to change" not in page and "Show counts" not in page
    assert "选择 政府合同 来修改" in page and "显示计数" in page
