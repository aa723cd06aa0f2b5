"""Backups that restore: the demo data backed up, restored into a fresh database of the same
kind (SQLite or PostgreSQL, whichever the suite runs on) by another process, gives the same
annual report byte for byte; a restore refuses what it must not do and then changes nothing."""

import contextlib
import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from registers.models import Unit
from xianan_lawgov.backups import MANIFEST

from .conftest import manage, report_2017

UPLOADED = "uploads/2017/城管执法局-抽查事项.xlsx"


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("media")
    (root / UPLOADED).parent.mkdir(parents=True)
    (root / UPLOADED).write_bytes(b"PK\x03\x04 a workbook an office uploaded")
    return root


@pytest.fixture(scope="module")
def archive(demo_data, django_db_blocker, media, tmp_path_factory) -> Path:
    """A backup of the demo data and one uploaded file."""
    directory = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("backup", output=directory, stdout=io.StringIO())
    [path] = directory.glob("xianan-lawgov-*.tar.gz")
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewritten(path: Path, target: Path, change) -> Path:
    """A copy of the archive at ``path`` with its members passed through ``change``."""
    contents = change(members(path))
    with tarfile.open(target, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


TABLE_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def execute(database_url: str, sql: str) -> list:
    """Run ``sql`` on another database than the test database; its first column's values."""
    settings = dj_database_url.parse(database_url)
    if settings["ENGINE"].endswith("sqlite3"):
        with contextlib.closing(sqlite3.connect(settings["NAME"])) as other:
            rows = other.execute(sql).fetchall()
            other.commit()
    else:
        import psycopg2

        with (
            contextlib.closing(
                psycopg2.connect(
                    dbname=settings["NAME"],
                    user=settings["USER"],
                    password=settings["PASSWORD"],
                    host=settings["HOST"],
                    port=settings["PORT"],
                )
            ) as other,
            other,
            other.cursor() as cursor,
        ):
            cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
    return [row[0] for row in rows]


def test_the_archive_lists_version_migrations_and_a_checksum_of_every_file(archive, demo):
    contents = members(archive)
    manifest = json.loads(contents[MANIFEST])
    database_file = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}[connection.vendor]
    assert set(contents) == {MANIFEST, database_file, f"media/{UPLOADED}"}
    assert manifest["database"] == connection.vendor
    applied = MigrationRecorder.Migration.objects.filter(app="registers")
    assert manifest["migrations"]["registers"] == sorted(applied.values_list("name", flat=True))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest
    assert archive.stat().st_mode & 0o077 == 0  # every record and password hash is inside


def test_a_restored_backup_gives_a_byte_identical_annual_report(
    archive, demo, fresh_database, tmp_path
):
    before = {fmt: report_2017(fmt) for fmt in ("docx", "json")}
    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(restored_media)}

    manage("restore", str(archive), **env)
    for fmt, content in before.items():
        output = tmp_path / f"2017.{fmt}"
        manage("annual_report", "--year", "2017", "--format", fmt, "--output", str(output), **env)
        assert output.read_bytes() == content, f"the {fmt} report differs after the restore"
    assert (restored_media / UPLOADED).read_bytes() == b"PK\x03\x04 a workbook an office uploaded"


def test_a_database_or_media_folder_in_use_is_kept_unless_the_restore_is_forced(
    archive, demo, fresh_database, tmp_path
):
    media = tmp_path / "media"
    media.mkdir()
    (media / "added-since.xlsx").write_bytes(b"kept aside")
    execute(fresh_database, "CREATE TABLE added_since (note varchar(20))")
    env = {"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(media)}

    refused = manage("restore", str(archive), check=False, **env)
    assert refused.returncode == 1
    assert "目标不是空的（数据库有 1 张表，" in refused.stderr
    assert "未做任何恢复" in refused.stderr
    assert (media / "added-since.xlsx").exists()

    forced = manage("restore", "--force", str(archive), **env)
    assert "原有的上传文件已移到" in forced.stdout
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*.xlsx")) == [UPLOADED]
    [kept] = tmp_path.glob("media.replaced-*")
    assert (kept / "added-since.xlsx").read_bytes() == b"kept aside"
    assert "added_since" not in execute(fresh_database, TABLE_NAMES[connection.vendor])
    output = tmp_path / "2017.json"
    manage("annual_report", "--year", "2017", "--format", "json", "--output", str(output), **env)
    assert output.read_bytes() == report_2017("json")


def test_restoring_into_a_database_in_use_is_refused_and_changes_nothing(archive, demo, settings):
    settings.MEDIA_ROOT = settings.BASE_DIR / "no-such-media-folder"
    units = Unit.objects.count()
    with pytest.raises(CommandError, match="目标不是空的（数据库有 \\d+ 张表），未做任何恢复"):
        call_command("restore", str(archive))
    assert Unit.objects.count() == units


def test_a_damaged_file_in_the_archive_is_refused_before_anything_is_restored(
    archive, demo, tmp_path
):
    def damage(contents):
        contents[f"media/{UPLOADED}"] = b"PK\x03\x04 a workbook someone changed"
        return contents

    damaged = rewritten(archive, tmp_path / "damaged.tar.gz", damage)
    with pytest.raises(CommandError, match="校验和不符：media/uploads/2017/.* 已损坏或被改动"):
        call_command("restore", str(damaged))
    assert Unit.objects.filter(code="D23").exists()


def test_a_file_the_manifest_does_not_list_is_refused(archive, demo, tmp_path):
    def smuggle(contents):
        contents["../../etc/cron.d/evil"] = b"* * * * * root sh"
        return contents

    smuggled = rewritten(archive, tmp_path / "smuggled.tar.gz", smuggle)
    with pytest.raises(CommandError, match="备份中有清单未列出的文件：../../etc/cron.d/evil"):
        call_command("restore", str(smuggled))


def test_a_backup_of_the_other_kind_of_database_is_refused(archive, demo, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(contents):
        manifest = json.loads(contents[MANIFEST])
        manifest["database"] = other
        contents[MANIFEST] = json.dumps(manifest).encode()
        return contents

    relabelled = rewritten(archive, tmp_path / "other.tar.gz", relabel)
    with pytest.raises(CommandError, match=f"备份来自 {other} 数据库"):
        call_command("restore", str(relabelled))


def test_something_that_is_not_a_backup_is_refused(demo, tmp_path):
    stray = tmp_path / "notes.tar.gz"
    stray.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(stray))
    with pytest.raises(CommandError, match="备份文件不存在"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_keep_removes_the_oldest_backups_and_nothing_else(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    older = ["xianan-lawgov-20170101-023000.tar.gz", "xianan-lawgov-20170102-023000.tar.gz"]
    for name in [*older, "notes.txt"]:
        (tmp_path / name).write_text("old")
    output = io.StringIO()
    call_command("backup", output=tmp_path, keep=2, stdout=output)
    remaining = sorted(path.name for path in tmp_path.iterdir() if path.is_file())
    assert remaining[0] == "notes.txt"
    assert remaining[1] == older[1]
    assert remaining[2].startswith("xianan-lawgov-20")
    assert len(remaining) == 3
    assert f"已删除旧备份 {tmp_path / older[0]}" in output.getvalue()


def test_keep_must_leave_at_least_one_backup(demo, tmp_path):
    with pytest.raises(CommandError, match="--keep 至少为 1"):
        call_command("backup", output=tmp_path, keep=0)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_database_is_not_backed_up(fresh_database, tmp_path):
    result = manage("backup", "--output", str(tmp_path), check=False, DATABASE_URL=fresh_database)
    assert result.returncode == 1
    assert "数据库是空的（没有任何表），不做备份：请检查 DATABASE_URL。" in result.stderr
    assert list(tmp_path.glob("*.tar.gz")) == []
