"""Safe file input and output: capped readers of JSON and YAML, and atomic writes.

Readers accept only regular files (a FIFO, device or folder is refused without blocking), check a byte cap
before and while reading, accept UTF-8 with or without a BOM, and refuse deep nesting, duplicate keys,
non-finite numbers and lone surrogates. YAML additionally refuses anchors and aliases and non-string keys.
Every refusal is a :class:`SafeReadError` whose text is one line of Chinese, without the file name.
This module imports nothing from the package.
"""
from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import tempfile
from itertools import accumulate
from pathlib import Path

import yaml

MAX_DEPTH = 32
JSON_MAX_BYTES = 5_000_000
YAML_MAX_BYTES = 256_000
YAML_MAX_NODES = 20_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_YAML_STR = "tag:yaml.org,2002:str"


class SafeReadError(ValueError):
    """A file that cannot be read safely; ``kind`` is "missing", "not_regular", "too_large" or "content"."""

    def __init__(self, message: str, kind: str = "content"):
        super().__init__(message)
        self.kind = kind


_OS_ERRORS = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOSPC: "磁盘空间不足",
              errno.EDQUOT: "磁盘配额已满", errno.EROFS: "文件系统只读", errno.ENOTDIR: "路径中有一段不是文件夹",
              errno.EISDIR: "是文件夹", errno.ELOOP: "符号链接过多", errno.ENAMETOOLONG: "文件名过长",
              errno.EIO: "读写错误", errno.EBUSY: "文件正被占用", errno.EEXIST: "已有同名的文件或文件夹",
              errno.ENOENT: "找不到文件或文件夹", errno.ENOTEMPTY: "文件夹不是空的", errno.EFBIG: "文件过大",
              errno.EMFILE: "打开的文件过多", errno.ENFILE: "打开的文件过多", errno.ETXTBSY: "文件正被占用",
              errno.EPIPE: "输出管道已关闭"}


def describe_os_error(exc: OSError) -> str:
    """A short Chinese reason for an operating-system error."""
    return _OS_ERRORS.get(exc.errno) or clean_text(exc.strerror or str(exc))


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def read_bytes(path: str | Path, max_bytes: int, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; never blocks on a FIFO or reads a device."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise SafeReadError("文件不存在", "missing") from None
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            raise SafeReadError("是符号链接，不是普通文件", "not_regular") from None
        raise SafeReadError(f"无法读取（{describe_os_error(exc)}）") from None
    except ValueError:
        raise SafeReadError("文件名含有空字符", "missing") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "文件夹" if stat.S_ISDIR(info.st_mode) else "管道、设备或其他特殊文件"
            raise SafeReadError(f"是{what}，不是普通文件", "not_regular")
        if info.st_size > max_bytes:
            raise SafeReadError(f"文件过大（{_mb(info.st_size)}，上限 {_mb(max_bytes)}）", "too_large")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise SafeReadError(f"文件过大（超过上限 {_mb(max_bytes)}）", "too_large")
        return b"".join(chunks)
    except OSError as exc:
        raise SafeReadError(f"无法读取（{describe_os_error(exc)}）") from None
    finally:
        os.close(fd)


def decode_text(data: bytes) -> str:
    """UTF-8 text with an optional BOM stripped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SafeReadError(f"不是 UTF-8 编码（第 {exc.start} 字节）") from None


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (which UTF-8 cannot store) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def json_safe(value, depth: int = 0):
    """``value`` as it can be stored in JSON: text cleaned, non-finite numbers as null, other objects as text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {clean_text(str(k)): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, depth + 1) for v in value]
    return clean_text(str(value))


def _check_json_depth(text: str, max_depth: int) -> None:
    """``text`` is valid JSON (already parsed): with escaped backslashes and quotes dropped, its quotes delimit
    exactly its strings, so the brackets outside them give the nesting."""
    outside = "".join(text.replace("\\\\", "").replace('\\"', "").split('"')[::2])
    brackets = _NOT_BRACKET.sub("", outside)
    if brackets and max(accumulate(map(_BRACKET_STEP.__getitem__, brackets))) > max_depth:
        raise SafeReadError(f"嵌套层数超过 {max_depth} 层")


def _json_object(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        duplicate = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise SafeReadError(f"键 {clean_text(duplicate)[:40]!r} 重复出现")
    return result


def _json_constant(name: str):
    raise SafeReadError(f"含有非有限数值 {name}")


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SafeReadError(f"数值 {text[:20]} 超出范围")
    return value


def parse_json(text: str, max_depth: int = MAX_DEPTH):
    """The JSON value in ``text``, refusing deep nesting, duplicate keys, NaN/Infinity and lone surrogates."""
    if not text.strip():
        raise SafeReadError("文件为空")
    try:
        data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_json_constant,
                          parse_float=_json_float)
    except SafeReadError:
        raise
    except json.JSONDecodeError as exc:
        raise SafeReadError(f"JSON 格式错误（第 {exc.lineno} 行），文件可能不完整或已损坏") from None
    except RecursionError:  # the parser's own guard, far deeper than ``max_depth``
        raise SafeReadError(f"嵌套层数超过 {max_depth} 层") from None
    except ValueError:
        raise SafeReadError("JSON 内容无法解析（数字过长）") from None
    _check_json_depth(text, max_depth)
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise SafeReadError("含有无效的 Unicode 字符（孤立的代理项 \\uD800–\\uDFFF）") from None
    return data


def read_json(path: str | Path, max_bytes: int = JSON_MAX_BYTES, max_depth: int = MAX_DEPTH,
              follow_symlinks: bool = True):
    """The JSON value of a regular file, read with every cap of this module."""
    return parse_json(decode_text(read_bytes(path, max_bytes, follow_symlinks)), max_depth)


class _SafeYamlLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, deep nesting, too many nodes, non-string or duplicate keys,
    or non-finite numbers."""

    max_depth = MAX_DEPTH
    depth = 0
    nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise SafeReadError(f"第 {line} 行使用了别名（*{event.anchor}），题库不允许锚点和别名")
        if event.anchor is not None:
            raise SafeReadError(f"第 {line} 行定义了锚点（&{event.anchor}），题库不允许锚点和别名")
        if self.depth >= self.max_depth:
            raise SafeReadError(f"第 {line} 行嵌套层数超过 {self.max_depth} 层")
        self.nodes += 1
        if self.nodes > YAML_MAX_NODES:
            raise SafeReadError(f"第 {line} 行：内容超过 {YAML_MAX_NODES} 个节点，文件过于庞大")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _YAML_STR:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "（列表或键值表）"
                raise SafeReadError(f"第 {line} 行的键 {clean_text(str(shown))[:40]} 不是文字（可加引号）")
            if key_node.value in seen:
                raise SafeReadError(f"第 {line} 行的键 {clean_text(key_node.value)[:40]} 重复出现")
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if _SURROGATE.search(value):
            raise SafeReadError(f"第 {node.start_mark.line + 1} 行含有无效的 Unicode 字符（孤立的代理项）")
        return value

    def construct_yaml_float(self, node):
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise SafeReadError(f"第 {node.start_mark.line + 1} 行的数值 {node.value[:20]} 不是有限数")
        return value


_SafeYamlLoader.add_constructor("tag:yaml.org,2002:float", _SafeYamlLoader.construct_yaml_float)


def parse_yaml(text: str, max_depth: int = MAX_DEPTH):
    """The YAML document in ``text`` (one document), with every refusal of :class:`_SafeYamlLoader`."""
    loader = _SafeYamlLoader(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    except SafeReadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"第 {mark.line + 1} 行" if mark else "某处"
        problem = " ".join(str(exc.problem or exc.context or "").split())
        raise SafeReadError(clean_text(f"YAML 格式错误（{line}）：{problem}")) from None
    except (yaml.YAMLError, ValueError, RecursionError):
        raise SafeReadError("YAML 中有无法转换的值（如过长的数字或无效的日期）") from None
    finally:
        loader.dispose()


def read_yaml(path: str | Path, max_bytes: int = YAML_MAX_BYTES, max_depth: int = MAX_DEPTH,
              follow_symlinks: bool = True):
    """The YAML document of a regular file, read with every cap of this module."""
    return parse_yaml(decode_text(read_bytes(path, max_bytes, follow_symlinks)), max_depth)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write(path: str | Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it and rename it over ``path``.

    A symlink at ``path`` is replaced, not followed. On any failure (full disk, interrupt) the temporary
    file is removed and ``path`` keeps its previous content; the exception propagates.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def remove_stale_temps(path: str | Path) -> int:
    """Remove temporary files that :func:`atomic_write` left beside ``path`` (call while holding the writers' lock)."""
    path = Path(path)
    prefix, removed = _temp_prefix(path), 0
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return 0
    for name in names:
        try:
            os.unlink(path.parent / name)
            removed += 1
        except OSError:
            pass
    return removed
