"""Backups that restore: the database and the uploaded files in one archive.

An archive ``xianan-lawgov-YYYYMMDD-HHMMSS.tar.gz`` holds

- ``manifest.json``: the application's version, when the backup was made, the database
  vendor, the migrations applied, and the SHA-256 of every other member;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite's online backup: consistent while the servers keep writing);
- ``media/…``: the files kept in ``MEDIA_ROOT``.

A restore checks every checksum before it changes anything, and goes only into an empty
database and an empty ``MEDIA_ROOT`` unless forced. Forced, the database's tables are dropped
in the same transaction that restores the backup (a failed restore leaves the database as it
was), and the files in ``MEDIA_ROOT`` are moved aside, not deleted.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from xianan_lawgov import __version__

ARCHIVE_PREFIX = "xianan-lawgov-"
ARCHIVE_SUFFIX = ".tar.gz"
ARCHIVE_NAME = re.compile(r"xianan-lawgov-\d{8}-\d{6}\.tar\.gz")
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Manifest:
    version: str
    created_at: str
    vendor: str
    migrations: dict[str, list[str]]
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "format": MANIFEST_FORMAT,
                "version": self.version,
                "created_at": self.created_at,
                "database": self.vendor,
                "migrations": self.migrations,
                "files": self.files,
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw["format"] != MANIFEST_FORMAT:
                raise ValueError(raw["format"])
            return cls(
                version=raw["version"],
                created_at=raw["created_at"],
                vendor=raw["database"],
                migrations=raw["migrations"],
                files=raw["files"],
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                _("备份清单（manifest.json）无法识别：%(error)s") % {"error": error},
                code="bad_manifest",
            ) from error


# --- Writing -----------------------------------------------------------------------------


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("不支持备份 %(vendor)s 数据库：只支持 PostgreSQL 和 SQLite。")
            % {"vendor": connection.vendor},
            code="unsupported_database",
        )
    return connection.vendor


def _postgres_environment() -> dict[str, str]:
    """The connection for pg_dump, pg_restore and psql, as libpq's variables: the password
    never appears in a process list."""
    database = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment


def _missing(program: str) -> BackupError:
    return BackupError(
        _("找不到 %(program)s：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
        % {"program": program},
        code="missing_program",
    )


def _failed(program: str, stderr: bytes) -> BackupError:
    return BackupError(
        _("%(program)s 失败：%(error)s")
        % {"program": program, "error": stderr.decode(errors="replace").strip()},
        code="program_failed",
    )


def _run(command: list[str], **kwargs) -> None:
    try:
        result = subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_postgres_environment(),
            **kwargs,
        )
    except FileNotFoundError as error:
        raise _missing(command[0]) from error
    if result.returncode != 0:
        raise _failed(command[0], result.stderr)


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={target}"])
        return
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


class _HashingReader:
    """Reads a file into the archive and hashes exactly the bytes that went in, so a file
    written to while the backup runs still matches its checksum."""

    def __init__(self, stream, digest) -> None:
        self.stream, self.digest = stream, digest

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> str:
    """Add ``path`` to ``archive`` as ``name``; its SHA-256."""
    info = archive.gettarinfo(str(path), arcname=name)
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        archive.addfile(info, _HashingReader(stream, digest))
    return digest.hexdigest()


def archive_name(moment: datetime.datetime) -> str:
    return f"{ARCHIVE_PREFIX}{timezone.localtime(moment):%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def create_backup(directory: Path) -> Path:
    """Write an archive of the database and the media files into ``directory``."""
    vendor = _vendor()
    if not _existing_tables():
        # A wrong DATABASE_URL must not fill the backups (and, with --keep, push out the good
        # ones) with empty databases.
        raise BackupError(
            _("数据库是空的（没有任何表），不做备份：请检查 DATABASE_URL。"), code="empty_database"
        )
    now = timezone.now()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / archive_name(now)
    if target.exists():
        raise BackupError(
            _("备份文件已存在：%(path)s（同一秒内只能备份一次）。") % {"path": target},
            code="archive_exists",
        )
    manifest = Manifest(
        __version__, timezone.localtime(now).isoformat(), vendor, applied_migrations()
    )
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        database_file = Path(scratch) / DATABASE_FILES[vendor]
        _dump_database(vendor, database_file)
        members = [(DATABASE_FILES[vendor], database_file)]
        media_root = Path(settings.MEDIA_ROOT)
        members += [
            (f"{MEDIA}/{path.relative_to(media_root).as_posix()}", path) for path in _media_files()
        ]
        # Written under a temporary name and renamed when complete: a half-written archive
        # is never taken for a backup, nor counted when old ones are removed.
        partial = Path(scratch) / "archive.partial"
        with tarfile.open(partial, "w:gz") as archive:
            for name, path in members:
                manifest.files[name] = _add_file(archive, name, path)
            # Last, once every file's checksum is known.
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # the archive holds every record and every password hash
        partial.rename(target)
    return target


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives in ``directory``; other files stay."""
    archives = sorted(p for p in directory.iterdir() if ARCHIVE_NAME.fullmatch(p.name))
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink()
    return removed


# --- Reading and restoring ---------------------------------------------------------------


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or not (name in DATABASE_FILES.values() or path.parts[0] == MEDIA and len(path.parts) > 1)
    ):
        raise BackupError(
            _("备份中有不应出现的文件：%(name)s") % {"name": name}, code="unexpected_member"
        )
    return path


def unpack(archive_path: Path, into: Path) -> Manifest:
    """Unpack ``archive_path`` into ``into``, checking each file against the manifest."""
    try:
        archive = tarfile.open(archive_path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("无法读取备份文件 %(path)s：%(error)s") % {"path": archive_path, "error": error},
            code="unreadable_archive",
        ) from error
    with archive:
        try:
            manifest = Manifest.from_json(archive.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, tarfile.TarError) as error:
            raise BackupError(
                _("备份中没有清单（manifest.json）。"), code="bad_manifest"
            ) from error
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            expected = manifest.files.get(member.name)
            if expected is None or not member.isfile():
                raise BackupError(
                    _("备份中有清单未列出的文件：%(name)s") % {"name": member.name},
                    code="unexpected_member",
                )
            target = into / _safe_member_name(member.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, target.open("wb") as copy:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
            if digest.hexdigest() != expected:
                raise BackupError(
                    _("校验和不符：%(name)s 已损坏或被改动，未做任何恢复。")
                    % {"name": member.name},
                    code="checksum_mismatch",
                )
            seen.add(member.name)
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise BackupError(
            _("备份不完整，缺少：%(names)s") % {"names": "、".join(missing)},
            code="incomplete_archive",
        )
    return manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    files: int
    media_moved_to: Path | None
    #: Migrations this version has and the backup had not applied: ``migrate`` applies them.
    pending_migrations: int
    #: Migrations the backup had applied that this version does not know.
    unknown_migrations: list[str]


def _existing_tables() -> list[str]:
    return connection.introspection.table_names()


def _start(command: list[str], **kwargs) -> subprocess.Popen:
    try:
        return subprocess.Popen(command, env=_postgres_environment(), **kwargs)
    except FileNotFoundError as error:
        raise _missing(command[0]) from error


def _restore_postgres(dump: Path, *, drop: list[str]) -> None:
    """Drop ``drop`` and load the dump in one transaction: pg_restore writes the dump as SQL
    and psql runs it, after the drop, with --single-transaction."""
    commands = []
    if drop:
        names = ", ".join(connection.ops.quote_name(table) for table in drop)
        commands += ["--command", f"DROP TABLE IF EXISTS {names} CASCADE"]
    # An open transaction on this connection would block the drop.
    connection.close()
    with tempfile.TemporaryFile() as script_errors:
        script = _start(
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=script_errors,
        )
        load = _start(
            ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"]
            + [*commands, "--file=-"],
            stdin=script.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        script.stdout.close()  # psql alone reads it: pg_restore stops if psql gives up
        load_errors = load.communicate()[1]
        script.wait()
        if load.returncode != 0:
            raise _failed("psql", load_errors)
        if script.returncode != 0:
            script_errors.seek(0)
            raise _failed("pg_restore", script_errors.read())


def _restore_sqlite(copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        # Replaces the whole database in one step, whatever it held.
        source.backup(connection.connection)
    finally:
        source.close()


def _migration_differences(manifest: Manifest) -> tuple[int, list[str]]:
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    known = set(executor.loader.disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    return pending, unknown


def restore_backup(archive_path: Path, *, force: bool = False) -> RestoreResult:
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = Path(scratch)
        manifest = unpack(archive_path, unpacked)
        if manifest.vendor != vendor:
            raise BackupError(
                _("备份来自 %(backup)s 数据库，当前数据库是 %(current)s，不能恢复。")
                % {"backup": manifest.vendor, "current": vendor},
                code="other_database",
            )
        tables = _existing_tables()
        media_in_use = media_root.is_dir() and any(media_root.iterdir())
        if not force and (tables or media_in_use):
            raise BackupError(
                _(
                    "目标不是空的（数据库有 %(tables)d 张表%(media)s），未做任何恢复。"
                    "请恢复到新建的空数据库；确要覆盖请加 --force。"
                )
                % {
                    "tables": len(tables),
                    "media": _("，%(path)s 中有文件") % {"path": media_root}
                    if media_in_use
                    else "",
                },
                code="not_empty",
            )
        database_copy = unpacked / DATABASE_FILES[vendor]
        if vendor == "postgresql":
            _restore_postgres(database_copy, drop=tables)
        else:
            _restore_sqlite(database_copy)
        moved_to = None
        if media_in_use:
            stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
            moved_to = media_root.with_name(f"{media_root.name}.replaced-{stamp}")
            media_root.rename(moved_to)
        media_root.mkdir(parents=True, exist_ok=True)
        files = 0
        if (unpacked / MEDIA).is_dir():
            shutil.copytree(unpacked / MEDIA, media_root, dirs_exist_ok=True)
            files = sum(1 for name in manifest.files if name.startswith(f"{MEDIA}/"))
    pending, unknown = _migration_differences(manifest)
    return RestoreResult(manifest, files, moved_to, pending, unknown)
