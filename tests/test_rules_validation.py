"""Broken rule files stop the run before anything is written, with one line naming file, line and rule.

For every rule file in rules/, each kind of breakage is made in a temporary copy of the
folder: a YAML syntax error, an unknown key, a missing required key, a regex that does
not compile, a label outside its closed list (every `Literal` field of the schema) and a
duplicate rule id. The CLI runs as a subprocess (`extract` and `check-rules`); it must
exit non-zero with exactly one error line `FILE:LINE rule ID: ...`, and a pre-existing
output folder must stay byte-identical. Cases are built from the files and their schemas
when the tests are collected, so new rule files are covered without editing this file.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from pipeline import ruleset
from pipeline.ruleset import LINE_KEY, read_yaml, schemas

from conftest import RULES_DIR

ROOT = Path(__file__).resolve().parent.parent
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class Breakage:
    file: str
    kind: str
    line: int  # the line the error must name: the bad key's, or the rule's when a key is missing
    rule_id: str  # the rule the error must name
    lines: tuple[str, ...]  # the broken file's lines
    message: str  # a word the message must contain


def _item_model(schema: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The model of the items of a top-level list field (tuple[LineRule, ...] -> LineRule)."""
    field = schema.model_fields.get(key)
    if field is None:
        return None
    for arg in typing.get_args(field.annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _is_regex(info) -> bool:
    return any(getattr(m, "func", None) is ruleset._compile for m in info.metadata)


def _literal_values(info) -> tuple:
    annotation = info.annotation
    return typing.get_args(annotation) if typing.get_origin(annotation) is typing.Literal else ()


def _item_block(lines: list[str], first: int) -> tuple[int, list[int]]:
    """(key indent, indices of the item's lines) for a block-style list item starting at index `first`."""
    dash = len(lines[first]) - len(lines[first].lstrip(" "))
    indent = dash + 2
    out = [first]
    for i in range(first + 1, len(lines)):
        text = lines[i]
        if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip(" ")) <= dash:
            break
        out.append(i)
    return indent, out


def _key_lines(lines: list[str], block: list[int], indent: int, key: str) -> list[int]:
    """Indices of a key's line and its continuation lines inside an item."""
    for pos, i in enumerate(block):
        m = KEY_LINE.match(lines[i])
        at = len(m.group("indent")) + (2 if lines[i].lstrip().startswith("-") else 0) if m else -1
        if m and m.group("key") == key and at == indent:
            out = [i]
            for j in block[pos + 1:]:
                text = lines[j]
                if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
                    break
                out.append(j)
            return out
    return []


def breakages(path: Path) -> list[Breakage]:
    """Every kind of breakage this file allows, made on its first block-style rule item."""
    name = path.stem
    schema = schemas().get(name)
    data = read_yaml(path)
    if schema is None or not isinstance(data, dict):
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[Breakage] = []
    for key, value in data.items():
        model = _item_model(schema, key) if isinstance(value, list) else None
        items = [v for v in value if isinstance(v, dict) and isinstance(v.get("id"), str)] if model else []
        items = [v for v in items if "{" not in lines[v[LINE_KEY] - 1]]  # block style only
        if not items:
            continue
        item = items[0]
        rid, line = item["id"], item[LINE_KEY]
        indent, block = _item_block(lines, line - 1)
        pad = " " * indent

        def edited(replace: dict[int, list[str]]) -> tuple[str, ...]:
            new: list[str] = []
            for i, text in enumerate(lines):
                new.extend(replace.get(i, [text]))
            return tuple(new)

        out.append(Breakage(path.name, "yaml_syntax", line + 1, rid,
                            edited({line - 1: [lines[line - 1], f"{pad}note: a: b"]}), "YAML"))
        out.append(Breakage(path.name, "unknown_key", line + 1, rid,
                            edited({line - 1: [lines[line - 1], f"{pad}no_such_key: 1"]}), "no_such_key"))
        required = [f for f, info in model.model_fields.items() if info.is_required() and f != "id"]
        for f in required:
            span = _key_lines(lines, block, indent, f)
            if span:
                out.append(Breakage(path.name, f"missing_{f}", line, rid, edited({i: [] for i in span}), f))
                break
        for f, info in model.model_fields.items():
            span = _key_lines(lines, block, indent, f) if _is_regex(info) else []
            if span and len(span) == 1:
                out.append(Breakage(path.name, f"bad_regex_{f}", span[0] + 1, rid,
                                    edited({span[0]: [f"{pad}{f}: '(?P<unclosed'"]}), "regex"))
                break
        for f, info in model.model_fields.items():
            values = _literal_values(info)
            span = _key_lines(lines, block, indent, f) if values else []
            if span and len(span) == 1:
                out.append(Breakage(path.name, f"closed_list_{f}", span[0] + 1, rid,
                                    edited({span[0]: [f"{pad}{f}: not_a_known_label"]}), f))
        if len(items) > 1:
            second = items[1][LINE_KEY]
            text = lines[second - 1]
            dup = re.sub(r"(id:\s*)(['\"]?)[^'\"\s#]+\2", lambda m: f"{m.group(1)}{rid}", text, count=1)
            out.append(Breakage(path.name, "duplicate_id", second, rid, edited({second - 1: [dup]}), "duplicate"))
        break  # one rule list per file is enough
    return out


CASES = [b for path in sorted(RULES_DIR.glob("*.yaml")) for b in breakages(path)]


def test_every_rule_file_can_be_broken():
    """The generator finds rule items in each file (else the checks below would cover nothing)."""
    files = {b.file for b in CASES}
    assert {"blocks.yaml", "headings.yaml"} <= files
    kinds = {b.kind for b in CASES if b.file == "blocks.yaml"}
    assert {"yaml_syntax", "unknown_key", "missing_kind", "bad_regex_pattern", "closed_list_kind",
            "duplicate_id"} <= kinds


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def workspace(tmp_path):
    """A copy of rules/, a one-file raw/ and an output/ from an earlier run."""
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    (tmp_path / "raw" / "2017").mkdir(parents=True)
    (tmp_path / "raw" / "2017" / "a.txt").write_text("1 見出し\n両閣僚は、協力を確認した。\n", encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "clauses.csv").write_text("doc_id,start,end,text\n2017/a,0,1,x\n", encoding="utf-8")
    (out / "notes.txt").write_bytes(b"kept as it was\r\n")
    return tmp_path


def _check_error(result: subprocess.CompletedProcess, case: Breakage, rules_dir: Path) -> None:
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    expected = f"{rules_dir / case.file}:{case.line} rule {case.rule_id}:"
    assert expected in lines[0], f"expected {expected!r} in {lines[0]!r}"
    assert case.message.lower() in lines[0].lower()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.kind}" for c in CASES])
def test_broken_rule_stops_extract_and_leaves_output(workspace, case):
    rules_dir = workspace / "rules"
    (rules_dir / case.file).write_text("\n".join(case.lines), encoding="utf-8")
    before = _snapshot(workspace)
    result = _run("extract", "--no-ner", "--no-cache", "--jobs", "1", "--rules", str(rules_dir), "--raw",
                  str(workspace / "raw"), "--out", str(workspace / "output"), cwd=ROOT)
    _check_error(result, case, rules_dir)
    assert _snapshot(workspace) == before
    assert sorted(p.name for p in workspace.iterdir()) == ["output", "raw", "rules"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.kind}" for c in CASES])
def test_broken_rule_fails_check_rules(workspace, case):
    rules_dir = workspace / "rules"
    (rules_dir / case.file).write_text("\n".join(case.lines), encoding="utf-8")
    _check_error(_run("check-rules", "--rules", str(rules_dir), cwd=ROOT), case, rules_dir)


def test_intact_copy_is_valid(workspace):
    """The copy itself is fine: the failures above come from the breakage only."""
    result = _run("check-rules", "--rules", str(workspace / "rules"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "are valid" in result.stdout


def top_level_closed_lists() -> list:
    """(file, key, line, broken lines) for every top-level key whose schema type is a closed list."""
    out = []
    for path in sorted(RULES_DIR.glob("*.yaml")):
        schema = schemas().get(path.stem)
        data = read_yaml(path)
        if schema is None or not isinstance(data, dict):
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        for key, info in schema.model_fields.items():
            args = (info.annotation, *typing.get_args(info.annotation))
            if not any(typing.get_origin(a) is typing.Literal for a in args):
                continue
            at = next((i for i, text in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:\s*\S", text)), None)
            if at is None:
                continue
            value = "[not_a_known_label]" if typing.get_origin(info.annotation) is tuple else "not_a_known_label"
            broken = lines[:at] + [f"{key}: {value}"] + lines[at + 1:]
            out.append(pytest.param(path.name, key, at + 1, tuple(broken), id=f"{path.name}:{key}"))
    return out


@pytest.mark.parametrize(("file", "key", "line", "lines"), top_level_closed_lists())
def test_top_level_closed_list(workspace, file, key, line, lines):
    rules_dir = workspace / "rules"
    (rules_dir / file).write_text("\n".join(lines), encoding="utf-8")
    result = _run("check-rules", "--rules", str(rules_dir), cwd=ROOT)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert f"{rules_dir / file}:{line}: " in result.stderr
    assert key in result.stderr and "not_a_known_label" not in result.stdout


def test_top_level_closed_lists_are_found():
    found = {p.id for p in top_level_closed_lists()}
    assert {"clauses.yaml:block_kinds", "clauses.yaml:joint_types", "meetings.yaml:no_venue_modes",
            "ner.yaml:mode"} <= found
