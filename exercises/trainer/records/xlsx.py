"""The one reader of outside XLSX files (rosters, answer-entry sheets, 学时 tables), capped before anything expands.

The package is read with ``zipfile`` and the sheet XML streamed through expat: every part is decompressed
against a byte budget (whatever the zip headers claim), cells, rows × columns and shared strings are
counted as they arrive, ``<dimension>`` is never used, a DOCTYPE is refused, and merged cells are refused
with the range named. Values: text as ``str``, numbers as ``int`` when whole else ``float``, booleans as
``bool``, empty cells as ``None``.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000  # all parts read, decompressed
MAX_CELLS = 500_000
MAX_ROWS = 50_000
MAX_COLUMNS = 500
MAX_SHARED_STRINGS = 200_000
MAX_TEXT = 32_767  # Excel's own limit for one cell
CHUNK = 1 << 16

REFERENCE = re.compile(r"^([A-Z]+)([0-9]+)$")


class XlsxError(ValueError):
    """An XLSX file that cannot be read within the caps; the message is Chinese."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list]  # row by row from row 1, each padded to the sheet's widest row; empty rows kept


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


class _Budget:
    """Decompressed bytes left for the whole package."""

    def __init__(self, name: str):
        self.name = name
        self.left = MAX_UNPACKED_BYTES

    def read(self, archive: zipfile.ZipFile, member: str):
        """Yield the member's bytes in chunks, stopping at the budget (zip headers are not trusted)."""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    self.left -= len(chunk)
                    if self.left < 0:
                        raise XlsxError(f"{self.name} 解压后超过 {MAX_UNPACKED_BYTES // 1_000_000} MB，"
                                        "不像正常的表格，未读取。")
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            if isinstance(exc, XlsxError):
                raise
            raise XlsxError(f"{self.name} 已损坏，无法解压（{type(exc).__name__}）。") from None


def _parse(chunks, name: str, start, end, text=None) -> None:
    """Stream XML chunks through expat with the given handlers; a DOCTYPE or bad XML is an XlsxError."""
    parser = expat.ParserCreate()  # no namespace processing: elements are matched by local name
    parser.buffer_text = True
    parser.buffer_size = CHUNK

    def doctype(*_):
        raise XlsxError(f"{name} 含有 DOCTYPE 声明，不是正常的 Excel 文件，未读取。")

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XlsxError(f"{name} 的内容不是有效的 XML（{expat.ErrorString(exc.code)}），未读取。") from None


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1:]  # "x:row" (a prefixed namespace) or "row"


def _relations(archive, budget: _Budget, member: str) -> dict[str, str]:
    found: dict[str, str] = {}

    def start(tag, attrs):
        if _local(tag) == "Relationship" and "Id" in attrs and "Target" in attrs:
            found[attrs["Id"]] = attrs["Target"]

    _parse(budget.read(archive, member), budget.name, start, lambda tag: None)
    return found


def _shared_strings(archive, budget: _Budget, member: str) -> list[str]:
    strings: list[str] = []
    state = {"in_si": False, "in_t": False, "in_rph": 0, "parts": []}

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            state["in_si"], state["parts"] = True, []
        elif local == "rPh":
            state["in_rph"] += 1  # phonetic runs are not part of the text
        elif local == "t" and state["in_si"] and not state["in_rph"]:
            state["in_t"] = True

    def end(tag):
        local = _local(tag)
        if local == "si":
            strings.append("".join(state["parts"])[:MAX_TEXT])
            state["in_si"] = False
            if len(strings) > MAX_SHARED_STRINGS:
                raise XlsxError(f"{budget.name} 的共享字符串超过 {MAX_SHARED_STRINGS} 个，不像正常的表格，未读取。")
        elif local == "rPh":
            state["in_rph"] -= 1
        elif local == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            parts = state["parts"]
            if sum(map(len, parts)) < MAX_TEXT:
                parts.append(data)

    _parse(budget.read(archive, member), budget.name, start, end, text)
    return strings


def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):
        return text
    return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value


class _SheetReader:
    """Collects one worksheet's cells sparsely, within the caps."""

    def __init__(self, name: str, sheet: str, strings: list[str]):
        self.name, self.sheet, self.strings = name, sheet, strings
        self.cells: dict[tuple[int, int], object] = {}
        self.row = -1
        self.column = -1
        self.kind = ""
        self.parts: list[str] = []
        self.capture = False
        self.merged: list[str] = []
        self.width = 0
        self.height = 0

    def _where(self) -> str:
        return f"{self.name} 的工作表“{self.sheet}”"

    def start(self, tag, attrs):
        local = tag if ":" not in tag else _local(tag)
        if local == "c":
            self._cell(attrs)
        elif local in ("v", "t") and self.column >= 0:
            self.capture = True
        elif local == "row":
            number = attrs.get("r", "")
            self.row = self._row_index(number) if number.isascii() and number.isdigit() else self.row + 1
            self.column = -1
            if self.row >= MAX_ROWS:
                raise XlsxError(f"{self._where()}超过 {MAX_ROWS} 行（第 {self.row + 1} 行有内容），未读取。")
        elif local == "mergeCell":
            self.merged.append(attrs.get("ref", "?"))

    def _row_index(self, digits: str) -> int:
        """A row number from the file as a 0-based index, refused past the cap (a huge one never parsed)."""
        if len(digits) > 7 or int(digits) > MAX_ROWS:
            raise XlsxError(f"{self._where()}超过 {MAX_ROWS} 行（第 {digits[:12]} 行有内容），未读取。")
        return max(int(digits) - 1, 0)

    def _cell(self, attrs):
        match = REFERENCE.match(attrs.get("r", ""))
        if match:
            if len(match.group(1)) > 3:
                raise XlsxError(f"{self._where()}超过 {MAX_COLUMNS} 列（{match.group(1)[:10]} 列有内容），未读取。")
            self.column = _column_index(match.group(1))
            self.row = self._row_index(match.group(2))
        else:
            self.column += 1
        if self.column >= MAX_COLUMNS:
            raise XlsxError(f"{self._where()}超过 {MAX_COLUMNS} 列（{column_letter(self.column)} 列有内容），未读取。")
        if self.row >= MAX_ROWS:
            raise XlsxError(f"{self._where()}超过 {MAX_ROWS} 行（第 {self.row + 1} 行有内容），未读取。")
        self.kind, self.parts = attrs.get("t", "n"), []

    def text(self, data):
        if self.capture and sum(map(len, self.parts)) < MAX_TEXT:
            self.parts.append(data)

    def end(self, tag):
        local = tag if ":" not in tag else _local(tag)
        if local in ("v", "t"):
            self.capture = False
        elif local == "c":
            value = self._value("".join(self.parts)[:MAX_TEXT])
            if value is not None and value != "":
                self.cells[(self.row, self.column)] = value
                self.width = max(self.width, self.column + 1)
                self.height = max(self.height, self.row + 1)
                if len(self.cells) > MAX_CELLS:
                    raise XlsxError(f"{self._where()}超过 {MAX_CELLS} 个单元格，未读取。")
            self.parts = []

    def _value(self, raw: str):
        if self.kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise XlsxError(f"{self._where()}引用了不存在的共享字符串，文件已损坏。") from None
        if self.kind in ("inlineStr", "str"):
            return raw
        if self.kind == "b":
            return raw.strip() == "1"
        if self.kind == "e":
            return raw  # an error value such as #N/A, as text
        return _number(raw.strip()) if raw.strip() else None

    def rows(self) -> list[list]:
        if self.height * self.width > MAX_CELLS:
            raise XlsxError(f"{self._where()}有 {self.height} 行 × {self.width} 列，超过 {MAX_CELLS} 个单元格，未读取。")
        grid = [[None] * self.width for _ in range(self.height)]
        for (r, c), value in self.cells.items():
            grid[r][c] = value
        return grid


def read_xlsx(path: Path, label: str = "表格", sheets: tuple[str, ...] | None = None) -> dict[str, Sheet]:
    """The named sheets (default: the first) of an XLSX file, by name; raise XlsxError with a Chinese line.

    ``label`` names the file's role in messages (花名册, 答题录入表, …)."""
    path = Path(path)
    name = f"{label} {path.name}"
    if path.is_symlink() or not path.is_file():
        raise XlsxError(f"找不到{label}：{path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise XlsxError(f"{name} 过大（上限 {MAX_FILE_BYTES // 1_000_000} MB）。")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxError(f"{name} 不是有效的 Excel（.xlsx）文件。") from None
    budget = _Budget(name)
    with archive:
        members = set(archive.namelist())
        if "xl/workbook.xml" not in members:
            raise XlsxError(f"{name} 不是有效的 Excel（.xlsx）文件（缺少 xl/workbook.xml）。")
        listed: list[tuple[str, str]] = []

        def start(tag, attrs):
            if _local(tag) == "sheet":
                rel = next((v for k, v in attrs.items() if k.endswith(":id")), "")  # r:id, whatever the prefix
                listed.append((attrs.get("name", ""), rel))

        _parse(budget.read(archive, "xl/workbook.xml"), name, start, lambda tag: None)
        targets = (_relations(archive, budget, "xl/_rels/workbook.xml.rels")
                   if "xl/_rels/workbook.xml.rels" in members else {})
        strings = (_shared_strings(archive, budget, "xl/sharedStrings.xml")
                   if "xl/sharedStrings.xml" in members else [])
        wanted = sheets or tuple(n for n, _ in listed[:1])
        found = {}
        for sheet_name, rel in listed:
            if sheet_name not in wanted:
                continue
            target = targets.get(rel, "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if member not in members:
                raise XlsxError(f"{name} 缺少工作表“{sheet_name}”的内容，文件已损坏。")
            reader = _SheetReader(name, sheet_name, strings)
            _parse(budget.read(archive, member), name, reader.start, reader.end, reader.text)
            if reader.merged:
                shown = "、".join(reader.merged[:5]) + ("等" if len(reader.merged) > 5 else "")
                raise XlsxError(f"{name} 的工作表“{sheet_name}”有合并单元格（{shown}），请取消合并、每行填写完整后再导入。")
            found[sheet_name] = Sheet(sheet_name, reader.rows())
        if not listed:
            raise XlsxError(f"{name} 中没有工作表。")
        missing = [s for s in wanted if s not in found]
        if missing:
            raise XlsxError(f"{name} 中没有工作表“{missing[0]}”。")
        return found
