"""Collect learners' files from files, folders (recursively) and zip archives, safely.

Only regular files are read; symbolic links, devices and anything over the caps are listed with a
Chinese reason instead. Names that are not UTF-8 are shown with U+FFFD. Zip members are read into memory (never extracted), so no member can write
anywhere; names that would escape a folder are refused anyway. Identical copies (same bytes) are
read once and the others listed as copies.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...questions.progress import MAX_BYTES
from ...safeio import clean_text, describe_os_error

MAX_FILES = 5000  # files looked at, in folders and archives together
MAX_DEPTH = 12
MAX_ARCHIVE_MEMBERS = 2000
MAX_ARCHIVE_BYTES = 200_000_000  # uncompressed bytes read from one archive
READ_SUFFIXES = (".json", ".json.txt")
PROGRESS_FROM = 200  # files from which reading them shows a progress bar (on a terminal only)


@dataclass(frozen=True)
class Blob:
    """A candidate results file: where it came from and its bytes."""

    source: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Unread:
    """A file that was not read, and why (Chinese)."""

    source: str
    reason: str


@dataclass
class Intake:
    blobs: list[Blob]
    unread: list[Unread]


def _wanted(name: str) -> bool:
    return name.lower().endswith(READ_SUFFIXES)


class _Collector:
    def __init__(self):
        self.blobs: list[Blob] = []
        self.unread: list[Unread] = []
        self.seen: dict[str, str] = {}  # sha256 -> first source
        self.looked = 0

    def skip(self, source: str, reason: str) -> None:
        self.unread.append(Unread(clean_text(source), reason))

    def add(self, source: str, data: bytes) -> None:
        source = clean_text(source)  # a name that is not UTF-8 (surrogate escapes) is shown with U+FFFD
        blob = Blob(source, data)
        first = self.seen.get(blob.sha256)
        if first is not None:
            self.skip(source, f"与 {first} 内容完全相同，只计一次。")
            return
        self.seen[blob.sha256] = source
        self.blobs.append(blob)

    def counted(self, source: str) -> bool:
        self.looked += 1
        if self.looked > MAX_FILES:
            self.skip(source, f"文件总数超过上限 {MAX_FILES} 个，未读取。")
            return False
        return True

    def file(self, path: Path, source: str) -> None:
        if not self.counted(source):
            return
        name = path.name
        lower = name.lower()
        if not (_wanted(name) or lower.endswith(".zip")):
            self.skip(source, "不是成绩文件（扩展名不是 .json 或 .zip），未读取。")
            return
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                self.skip(source, "不是普通文件（可能是链接或设备），未读取。")
                return
            if lower.endswith(".zip"):
                self.archive(path, source)
                return
            if info.st_size > MAX_BYTES:
                self.skip(source, f"文件过大（{info.st_size / 1e6:.1f} MB，上限 {MAX_BYTES / 1e6:.0f} MB），未读取。")
                return
            with open(path, "rb", opener=lambda p, f: os.open(p, f | getattr(os, "O_NOFOLLOW", 0))) as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            self.skip(source, f"无法读取（{describe_os_error(exc)}）。")
            return
        if len(data) > MAX_BYTES:
            self.skip(source, f"文件过大（上限 {MAX_BYTES / 1e6:.0f} MB），未读取。")
            return
        self.add(source, data)

    def archive(self, path: Path, source: str) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
                if len(members) > MAX_ARCHIVE_MEMBERS:
                    self.skip(source, f"压缩包内文件过多（{len(members)} 个，上限 {MAX_ARCHIVE_MEMBERS} 个），未读取。")
                    return
                total = 0
                for member in members:
                    inner = f"{source}!{member.filename}"
                    if member.is_dir():
                        continue
                    if not self.counted(inner):
                        continue
                    parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                    if member.filename.startswith(("/", "\\")) or ".." in parts or ":" in member.filename:
                        self.skip(inner, "压缩包内的路径指向包外（绝对路径或 ..），未读取。")
                        continue
                    if stat.S_ISLNK(member.external_attr >> 16):
                        self.skip(inner, "压缩包内的符号链接，未读取。")
                        continue
                    if member.filename.lower().endswith(".zip"):
                        self.skip(inner, "压缩包中的压缩包不读取，请先解开外层压缩包。")
                        continue
                    if not _wanted(member.filename):
                        self.skip(inner, "不是成绩文件（扩展名不是 .json），未读取。")
                        continue
                    if member.flag_bits & 0x1:
                        self.skip(inner, "压缩包内的文件有密码，未读取。")
                        continue
                    if member.file_size > MAX_BYTES:
                        self.skip(inner, f"文件过大（上限 {MAX_BYTES / 1e6:.0f} MB），未读取。")
                        continue
                    if total + member.file_size > MAX_ARCHIVE_BYTES:
                        self.skip(inner, f"压缩包解压后超过 {MAX_ARCHIVE_BYTES / 1e6:.0f} MB，其余文件未读取。")
                        continue
                    with archive.open(member) as handle:
                        data = handle.read(MAX_BYTES + 1)  # the header's size may lie: read at most the cap
                    if len(data) > MAX_BYTES:
                        self.skip(inner, f"文件过大（上限 {MAX_BYTES / 1e6:.0f} MB），未读取。")
                        continue
                    total += len(data)
                    self.add(inner, data)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
            self.skip(source, f"压缩包已损坏或格式不受支持（{type(exc).__name__}），未读取。")
        except OSError as exc:
            self.skip(source, f"无法读取压缩包（{describe_os_error(exc)}）。")

    def folder(self, root: Path, label: str) -> None:
        def unreadable(exc: OSError) -> None:
            rel = Path(exc.filename).relative_to(root) if exc.filename else Path()
            self.skip(str(Path(label) / rel), f"无法读取文件夹（{describe_os_error(exc)}），其中的文件未读取。")

        for current, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
            here = Path(current)
            depth = len(here.relative_to(root).parts)
            rel = here.relative_to(root)
            for name in sorted(dirs):
                if (here / name).is_symlink():
                    self.skip(str(Path(label) / rel / name), "是指向别处的链接（文件夹），未读取。")
            if depth >= MAX_DEPTH:
                if dirs:
                    self.skip(str(Path(label) / rel), f"文件夹层数超过 {MAX_DEPTH} 层，更深的内容未读取。")
                dirs[:] = []
            else:
                dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
            for name in sorted(files):
                self.file(here / name, str(Path(label) / rel / name))


def collect(paths: list[Path]) -> Intake:
    """Every candidate file under ``paths`` (files, folders, zip archives), and every file not read."""
    collector = _Collector()
    for path in paths:
        path = Path(path)
        if path.is_symlink():
            collector.skip(str(path), "是链接，未读取。")
        elif path.is_dir():
            collector.folder(path, path.name or str(path))
        elif path.exists():
            collector.file(path, path.name)
        else:
            collector.skip(str(path), "找不到这个文件或文件夹。")
    return Intake(collector.blobs, collector.unread)


def progress(items: list, label: str):
    """``items``, with a progress bar on stderr while they are worked through when stderr is a terminal and
    there are many."""
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    size = shutil.get_terminal_size()  # a terminal that reports no size (0 × 0) gets 80 × 24: tqdm shows nothing on 0
    return tqdm(items, desc=label, unit="个", file=sys.stderr, ncols=size.columns, nrows=size.lines)
