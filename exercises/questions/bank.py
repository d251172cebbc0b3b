"""Question banks: YAML data files validated against a JSON schema and against the article.

Every error names the file, the question id and the field, so a maintainer can fix it at once.
"""
from __future__ import annotations

import json
import sys
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..safeio import SafeReadError, read_yaml
from ..text.article import DAMAGE_MARK, Article, load_article
from .model import BLANK, OPTION_KEYS, Bank, Discussion, Question, Term
from .types import REGISTRY

__all__ = ["BANKS_DIR", "BLANK", "OPTION_KEYS", "Bank", "BankError", "Discussion", "Question", "Term",
           "bank_for_pillar", "bank_paths", "bank_schema", "build_bank", "load_all", "load_bank"]

BANKS_DIR = Path(str(resources.files("exercises").joinpath("banks")))


class BankError(ValueError):
    """A question bank that cannot be used; the message says file, question and field."""


def _import_jsonschema():
    """Import jsonschema without its optional IRI checker, whose grammar takes about 1 s to build.

    The bank schema uses no ``format``; the block is lifted once jsonschema is imported.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema

        return jsonschema
    sys.modules["rfc3987_syntax"] = None  # jsonschema skips an optional checker it cannot import
    try:
        import jsonschema
    finally:
        del sys.modules["rfc3987_syntax"]
    return jsonschema


def bank_schema(article: Article | None = None) -> dict:
    """The bank file schema: the common fields from schema/, the article's pillars and measures, each registered
    type's own fields added."""
    schema = json.loads(resources.files("exercises").joinpath("schema/question-bank.schema.json").read_text("utf-8"))
    article = article or load_article()
    schema["properties"]["pillar"]["maximum"] = len(article.pillars)
    for where in ("question", "term"):
        schema["$defs"][where]["properties"]["measure"]["enum"] = [m.id for m in article.measures]
    question = schema["$defs"]["question"]
    question["properties"]["type"] = {"enum": list(REGISTRY)}
    for kind in REGISTRY.values():
        question["allOf"].append({
            "if": {"properties": {"type": {"const": kind.name}}, "required": ["type"]},
            "then": {"required": list(kind.required), "properties": kind.properties},
        })
    return schema


def _schema_validator():
    return _validator_for(tuple(REGISTRY))


@lru_cache(maxsize=4)
def _validator_for(type_names: tuple[str, ...]):
    return _import_jsonschema().Draft202012Validator(bank_schema())


def _where(path: Path, data: Any, location: list) -> str:
    """Describe a schema error location as file, question id and field."""
    parts = [path.name]
    if len(location) >= 2 and location[0] in ("questions", "discussion", "terms") and isinstance(location[1], int):
        section, index = location[0], location[1]
        entry = data.get(section, [])[index] if isinstance(data, dict) else None
        label = entry.get("id") or entry.get("term") if isinstance(entry, dict) else None
        kind = {"questions": "题目", "discussion": "研讨题", "terms": "术语"}[section]
        parts.append(f"{kind} {label or f'第 {index + 1} 项'}")
        field = ".".join(str(p) for p in location[2:])
    else:
        field = ".".join(str(p) for p in location)
    parts.append(f"字段 {field or '（根）'}")
    return "，".join(parts)


JSON_TYPES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true/false",
              "array": "列表", "object": "键值表"}


def _explain(error) -> list[tuple[list, str]]:
    """A schema error as [(location, Chinese message)]; each missing field is located at that field."""
    location, kind, expected = list(error.absolute_path), error.validator, error.validator_value
    if kind == "required":
        missing = [f for f in expected if not isinstance(error.instance, dict) or f not in error.instance]
        return [(location + [field], "缺少必填字段") for field in missing]
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [(location + extra[:1], "不认识的字段（拼写错误？）")]
    if kind == "unevaluatedProperties":
        extra = sorted(set(error.instance) - _known_fields(error.instance, error.schema))
        known = REGISTRY.get(str(error.instance.get("type")))
        return [(location + extra[:1], f"不认识的字段（拼写错误？{known.label + '不用这个字段' if known else ''}）")]
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return [(location, f"类型应为{'或'.join(str(JSON_TYPES.get(n, n)) for n in names)}，实际是 {error.instance!r:.60}")]
    messages = {
        "enum": f"取值 {error.instance!r:.60} 不在允许的取值中：{'、'.join(map(str, expected)) if isinstance(expected, list) else expected}",
        "const": f"取值应为 {expected!r}",
        "pattern": f"取值 {error.instance!r:.60} 格式不对（应符合 {expected}）",
        "minItems": f"至少要有 {expected} 项",
        "maxItems": f"至多 {expected} 项",
        "minLength": "不能为空",
        "uniqueItems": "列表中有重复项",
        "minimum": f"不能小于 {expected}",
        "maximum": f"不能大于 {expected}",
        "exclusiveMinimum": f"必须大于 {expected}",
    }
    return [(location, messages.get(kind, error.message))]


def _known_fields(entry: dict, schema: dict) -> set:
    kind = REGISTRY.get(str(entry.get("type")))
    return set(schema.get("properties", {})) | set(kind.properties if kind else ())


def _schema_errors(path: Path, data: Any) -> list[str]:
    errors = sorted(_schema_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    found = [f"{_where(path, data, location)}：{message}" for e in errors for location, message in _explain(e)]
    return list(dict.fromkeys(found))  # one required-check error per missing field would repeat each one


def damaged_clauses(article: Article) -> list[tuple[int, int]]:
    """Spans of the article text that a quote must not touch: each damaged clause, from the comma before the
    damage to the end of its sentence (the clause before that comma is intact and may be quoted)."""
    spans = []
    for sentence in article.damaged_sentences():
        start = article.text.index(sentence)
        mark = sentence.index(DAMAGE_MARK)
        clause = max(sentence.rfind(p, 0, mark) for p in "，；：") + 1
        spans.append((start + clause, start + len(sentence)))
    return spans


def _check_quote(where: str, quote: str, article: Article) -> list[str]:
    if quote not in article.text:
        return [f"{where}，字段 source：引文不在原文中：{quote}"]
    starts = [i for i in range(len(article.text)) if article.text.startswith(quote, i)]
    if DAMAGE_MARK in quote or any(s < end and begin < s + len(quote)
                                   for s in starts for begin, end in damaged_clauses(article)):
        return [f"{where}，字段 source：引文落在原文损坏的分句里，请改用其他句子"]
    return []


def _semantic_errors(path: Path, data: dict, article: Article) -> list[str]:
    """Checks the schema cannot express: answers among options, blanks, quotes in the article."""
    errors: list[str] = []
    pillar = data["pillar"]
    for q in data["questions"]:
        where = f"{path.name}，题目 {q['id']}"
        if not q["id"].startswith(f"p{pillar}-"):
            errors.append(f"{where}，字段 id：编号应以 p{pillar}- 开头（本题库属第 {pillar} 章）")
        if "measure" in q and not q["measure"].startswith(f"{pillar}."):
            errors.append(f"{where}，字段 measure：{q['measure']} 不属于第 {pillar} 个“突出”")
        errors += [f"{where}，字段 {field}：{message}" for field, message in REGISTRY[q["type"]].check(q)]
        errors += _check_quote(where, q["source"], article)
    for d in data["discussion"]:
        errors += _check_quote(f"{path.name}，研讨题 {d['id']}", d["source"], article)
    for t in data["terms"]:
        errors += _check_quote(f"{path.name}，术语 {t['term']}", t["source"], article)
    return errors


def build_bank(path: Path, data: dict) -> Bank:
    """The bank of already validated data (``load_bank`` validates first)."""
    pillar = data["pillar"]
    questions = tuple(
        Question(id=q["id"], type=q["type"], pillar=pillar, measure=q.get("measure"),
                 points=float(q.get("points", REGISTRY[q["type"]].default_points)),
                 stem=q["stem"], explanation=q["explanation"], source=q["source"], kind=q.get("kind", ""),
                 **REGISTRY[q["type"]].build(q))
        for q in data["questions"]
    )
    discussion = tuple(Discussion(**d) for d in data["discussion"])
    terms = tuple(Term(**t) for t in data["terms"])
    return Bank(path=path, pillar=pillar, questions=questions, discussion=discussion, terms=terms)


def _character_place(path: Path, position: int) -> str:
    """"第 N 行" of the character at ``position`` of the decoded file."""
    text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    return f"第 {text.count(chr(10), 0, position) + 1} 行"


def load_bank(path: str | Path, article: Article | None = None) -> Bank:
    """Read and validate one bank file; raise BankError listing every problem found."""
    path = Path(path)
    try:
        data = read_yaml(path)
    except SafeReadError as exc:
        raise BankError(f"{path if exc.kind == 'missing' else path.name}：{exc}") from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL, refused before parsing
        raise BankError(f"{path.name}：{_character_place(path, exc.position)}有不允许的控制字符 "
                        f"U+{exc.character:04X}，请删除") from None
    errors = _schema_errors(path, data)
    if not errors:
        ids = [q["id"] for q in data["questions"]]
        errors += [f"{path.name}，题目 {i}，字段 id：编号重复" for i in sorted({i for i in ids if ids.count(i) > 1})]
        errors += _semantic_errors(path, data, article or load_article())
    if errors:
        raise BankError("\n".join(errors))
    return build_bank(path, data)


def bank_paths(directory: Path = BANKS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yml"))


@cache
def load_all(directory: Path = BANKS_DIR) -> tuple[Bank, ...]:
    """Every bank of the course, in pillar order; ids must be unique across banks."""
    banks = tuple(sorted((load_bank(p) for p in bank_paths(directory)), key=lambda b: b.pillar))
    seen: dict[str, Path] = {}
    for bank in banks:
        for q in bank.questions:
            if q.id in seen:
                raise BankError(f"{bank.path.name}，题目 {q.id}，字段 id：与 {seen[q.id].name} 中的题目编号重复")
            seen[q.id] = bank.path
    return banks


def bank_for_pillar(pillar: int) -> Bank:
    for bank in load_all():
        if bank.pillar == pillar:
            return bank
    raise KeyError(f"没有第 {pillar} 章的题库")
