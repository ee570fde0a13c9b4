"""Loading and validating the rule files in `rules/`.

Each stage declares the schemas of the rule files it owns (pydantic models with
`extra="forbid"`) in its `@stage` declaration (`pipeline.stages`); `schemas()` collects
them. Files are YAML; every mapping remembers the line it starts on, so a validation
error reads `rules/dates.yaml:12 rule date.x: ...`.
Patterns are compiled with the `regex` module (which has `\\p{Han}`, `\\p{Katakana}`)
and every search that could run long runs under a time limit, so one bad rule cannot hang a run.
The limit is CPU time (the regex module counts the process's CPU time), so a loaded machine does
not fail a document. Asking for that time is a system call per search (a third of the cost of a
short search), so a search skips it when it cannot run long: a pattern that cannot backtrack
catastrophically (`cheap_pattern`) on a text of at most CHEAP_TEXT characters.
"""
from __future__ import annotations

import hashlib
import re._constants as _sre
import re._parser as _sre_parser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import regex
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from .errors import RuleError, StageError
from .stages import rule_schemas

LINE_KEY = "__line__"
KEY_LINES = "__key_lines__"  # key -> the line the key is written on
MATCH_TIMEOUT_S = 2.0  # CPU seconds per search
CHEAP_TEXT = 2_000  # characters: a cheap pattern searches a text this long without a time limit
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_REGEX_ONLY = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")  # \p{Han}: one character, for the analysis
_SET_OPERATION = regex.compile(r"(?:--|&&|\|\||~~)\[[^\]]*\]")  # [\p{Han}--[及並]] (regex V1)
_REFERS = regex.compile(r"\\[1-9g]|\(\?P=|\(\?\(|\(\?[a-zA-Z]")  # group references, conditionals, flags
_NAMED_GROUP = regex.compile(r"\(\?P<\w+>")  # regex allows a name twice: the analysis needs no names


def cheap_pattern(pattern: str) -> bool:
    """Whether a pattern cannot backtrack catastrophically: no back reference or conditional, no
    repeat or alternation inside an unbounded repeat (`(\\p{Han}+)+`, `(a|ab)*`), at most one
    unbounded repeat, and bounded repeats of few combinations. A pattern the analysis cannot read
    is not cheap (it keeps its time limit)."""
    text = _NAMED_GROUP.sub("(?:", _SET_OPERATION.sub("", _REGEX_ONLY.sub("a", pattern)))
    try:
        tree = _sre_parser.parse(text)
    except Exception:  # noqa: BLE001 - syntax only the regex module reads: keep the time limit
        return False
    found = {"unbounded": 0, "combinations": 1, "risky": False}

    def walk(items, in_unbounded: bool) -> None:
        for op, av in items:
            if op in _REPEATS:
                _, most, inner = av
                found["risky"] |= in_unbounded and most > 1
                if most == _sre.MAXREPEAT:
                    found["unbounded"] += 1
                else:
                    found["combinations"] *= most + 1
                walk(inner, in_unbounded or most == _sre.MAXREPEAT)
            elif op == _sre.BRANCH:
                found["risky"] |= in_unbounded
                for branch in av[1]:
                    walk(branch, in_unbounded)
            elif op == _sre.SUBPATTERN:
                walk(av[-1], in_unbounded)
            elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
                walk(av[1], in_unbounded)
            elif op == _sre.ATOMIC_GROUP:
                walk(av, in_unbounded)
            elif op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS):
                found["risky"] = True

    walk(tree, False)
    return not found["risky"] and found["unbounded"] <= 1 and found["combinations"] <= 1_000


_METACHARACTERS = frozenset("\\.^$*+?{}[]()#")


def literal_words(pattern: str) -> frozenset[str] | None:
    """The words a pattern's full match is exactly one of, when it is an alternation of plain words
    (`確認|合意`): then `fullmatch(x)` is `x in words`, a set look-up instead of a regex call. None
    for any other pattern."""
    if not pattern or not _METACHARACTERS.isdisjoint(pattern) or pattern != pattern.strip():
        return None
    return frozenset(pattern.split("|"))


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: the same nodes, 7x faster
    """A SafeLoader whose mappings carry the 1-based line they start on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping[KEY_LINES] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _compile(pattern: str) -> str:
    try:
        regex.compile(pattern, regex.V1)
    except regex.error as err:
        raise ValueError(f"regex does not compile: {err}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compile)]


def _country(code: str) -> str:
    if code and not (len(code) == 2 and code.isascii() and code.isupper() and code.isalpha()):
        raise ValueError(f"country '{code}' is not an ISO 3166 alpha-2 code (two capital letters: JP, US, GB) "
                         f"or empty")
    return code


CountryCode = Annotated[str, AfterValidator(_country)]  # ISO 3166 alpha-2, or "" for unknown


class Strict(BaseModel):
    """Base of every rule schema: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(Strict):
    """A rule with an id, the examples it must match and the counter-examples it must not."""

    id: str
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledPattern:
    """A compiled rule pattern that searches under a time limit when a search could run long."""

    rule_id: str
    pattern: str
    compiled: Any
    cheap: bool = field(default=False, compare=False)  # `cheap_pattern`: short texts need no time limit

    @classmethod
    def of(cls, rule_id: str, pattern: str) -> "CompiledPattern":
        return cls(rule_id, pattern, regex.compile(pattern, regex.V1), cheap_pattern(pattern))

    def _limit(self, text: str, pos: int) -> float | None:
        return None if self.cheap and len(text) - pos <= CHEAP_TEXT else MATCH_TIMEOUT_S

    def _too_long(self) -> StageError:
        return StageError("-", "rules", f"rule {self.rule_id}: pattern took over {MATCH_TIMEOUT_S}s "
                                        f"(catastrophic backtracking?)")

    def finditer(self, text: str, pos: int = 0, *, overlapped: bool = False):
        """Every match, as a list (`overlapped`: one at every position where the pattern matches)."""
        try:
            return list(self.compiled.finditer(text, pos, overlapped=overlapped, timeout=self._limit(text, pos)))
        except TimeoutError:
            raise self._too_long() from None

    def search(self, text: str, pos: int = 0):
        """The first match (one regex search, not a list of every match: block kinds try every
        line rule on every line)."""
        try:
            return self.compiled.search(text, pos, timeout=self._limit(text, pos))
        except TimeoutError:
            raise self._too_long() from None

    def fullmatch(self, text: str):
        try:
            return self.compiled.fullmatch(text, timeout=self._limit(text, 0))
        except TimeoutError:
            raise self._too_long() from None

    def match(self, text: str, pos: int = 0):
        try:
            return self.compiled.match(text, pos, timeout=self._limit(text, pos))
        except TimeoutError:
            raise self._too_long() from None


class AnyOf:
    """Whether any of several patterns matches (at a position, or all of a text), with one match of
    their alternation instead of one per pattern: most places start no country marker. (As a filter
    before searching titles or dates it costs more than it saves: the regex module tries every
    alternative at every position of a search.) A pattern that refers to a group or sets flags, whose meaning could change inside
    the alternation, is searched on its own."""

    def __init__(self, rule_id: str, patterns: list[str]):
        plain = [p for p in patterns if not _REFERS.search(p)]
        self.searches = ([CompiledPattern.of(rule_id, "|".join(f"(?:{p})" for p in plain))] if plain else []) + [
            CompiledPattern.of(rule_id, p) for p in patterns if _REFERS.search(p)]

    def matches_at(self, text: str, pos: int) -> bool:
        """Whether one of the patterns matches at `pos`."""
        return any(s.match(text, pos) is not None for s in self.searches)

    def matches_all(self, text: str) -> bool:
        """Whether one of the patterns matches all of `text`."""
        return any(s.fullmatch(text) is not None for s in self.searches)


def _strip_lines(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_lines(v) for k, v in data.items() if k not in (LINE_KEY, KEY_LINES)}
    if isinstance(data, list):
        return [_strip_lines(v) for v in data]
    return data


def _locate(data: Any, loc: tuple) -> tuple[int | None, str | None]:
    """Line and nearest rule id along a pydantic error location."""
    line, rule_id, node = None, None, data
    for key in loc:
        if isinstance(node, dict):
            line = node.get(LINE_KEY, line)
            rule_id = node.get("id", rule_id) if isinstance(node.get("id"), str) else rule_id
            if key not in node:
                break
            line = node.get(KEY_LINES, {}).get(key, line)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            break
    if isinstance(node, dict):
        line = node.get(LINE_KEY, line)
        rule_id = node.get("id", rule_id) if isinstance(node.get("id"), str) else rule_id
    return line, rule_id


def read_yaml(path: Path) -> Any:
    """Parse a YAML rule file; mappings carry their line under LINE_KEY."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RuleError(str(path), None, None, f"cannot read: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise RuleError(str(path), None, None, f"not UTF-8 (byte offset {err.start})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise RuleError(str(path), line, _id_above(text, line), f"YAML syntax: {problem}") from None


_ID_LINE = regex.compile(r"^\s*(?:-\s*)?\{?\s*id\s*:\s*['\"]?([^'\"\s,#}]+)")


def _id_above(text: str, line: int | None) -> str | None:
    """The id of the rule a YAML syntax error sits in: the nearest `id:` at or above its line."""
    if line is None:
        return None
    for row in reversed(text.split("\n")[:line]):
        m = _ID_LINE.match(row)
        if m:
            return m.group(1)
    return None


def validate(path: Path, data: Any, schema: type[BaseModel]) -> BaseModel:
    """Validate parsed YAML against a schema; the first error becomes one RuleError line."""
    if data is None:
        data = {}
    try:
        model = schema.model_validate(_strip_lines(data))
    except ValidationError as err:
        first = err.errors()[0]
        line, rule_id = _locate(data, tuple(first["loc"]))
        where = ".".join(str(p) for p in first["loc"])
        msg = first["msg"]
        if first["type"] == "extra_forbidden":
            msg = f"unknown key '{first['loc'][-1]}'"
        elif first["type"] == "missing":
            msg = f"missing required key '{first['loc'][-1]}'"
        raise RuleError(str(path), line, rule_id, f"{msg} (at {where})") from None
    _check_unique_ids(path, data)
    return model


def rule_nodes(data: Any) -> list[dict]:
    """Every mapping with a string `id` in parsed rule YAML, in file order (with its LINE_KEY)."""
    found: list[dict] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                found.append(node)
            for k, v in node.items():
                if k not in (LINE_KEY, KEY_LINES):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return found


def _check_unique_ids(path: Path, data: Any) -> None:
    seen: dict[str, int] = {}
    for node in rule_nodes(data):
        rid = node["id"]
        if rid in seen:
            raise RuleError(str(path), node.get(LINE_KEY), rid, f"duplicate rule id (first at line {seen[rid]})")
        seen[rid] = node.get(LINE_KEY, 0)


@dataclass(frozen=True)
class Rules:
    """Every validated rule file, by name (`rules.get("dates")`), with the folder it came from."""

    folder: Path
    files: dict[str, BaseModel]
    fingerprint: str
    ignored: tuple[str, ...] = ()  # other files in the folder, not read (callers warn about them)

    def get(self, name: str) -> Any:
        return self.files[name]


def schemas() -> dict[str, type[BaseModel]]:
    """Rule file name (without .yaml) -> schema, as the stages declare them (`pipeline.stages`)."""
    return rule_schemas()


def load_rules(folder: Path, *, cache: Path | None = None) -> Rules:
    """Load and validate every rule file the stages declare; missing files are errors.

    With a `cache` folder, a file whose bytes were validated before by this code is taken from
    `<cache>/rules-<code version>/` instead of being parsed and validated again (its regexes compiled)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(str(folder), None, None, "rules folder not found")
    store = _ValidatedRules(cache) if cache is not None else None
    files: dict[str, BaseModel] = {}
    digest = hashlib.sha256()
    for name, schema in sorted(schemas().items()):
        path = folder / f"{name}.yaml"
        if not path.exists():
            raise RuleError(str(path), None, None, "rule file missing")
        data = path.read_bytes()
        digest.update(name.encode() + b"\0" + data + b"\0")
        model = store.get(name, data, schema) if store is not None else None
        if model is None:
            model = validate(path, read_yaml(path), schema)
            if store is not None:
                store.put(name, data, model)
        files[name] = model
    return Rules(folder, files, digest.hexdigest()[:16], unknown_files(folder, set(files)))


RULES_NAMESPACE = "rules"  # the cache folder of validated rule files


class _ValidatedRules:
    """Validated rule files by their bytes, under `<cache>/rules-<code version>/` (pickled models)."""

    def __init__(self, cache: Path):
        from .cache import content_key, versioned_folder
        from .stagecache import code_version

        self.folder = versioned_folder(cache, RULES_NAMESPACE, code_version())
        self.key = content_key

    def _path(self, name: str, data: bytes) -> Path:
        return self.folder / f"{self.key(name, data.decode('utf-8', 'replace'))}.rules"

    def get(self, name: str, data: bytes, schema: type[BaseModel]) -> BaseModel | None:
        import pickle

        from .cache import unstamped

        try:
            raw = self._path(name, data).read_bytes()
            payload = unstamped(raw, {"name": name})
            model = pickle.loads(payload) if payload is not None else None  # noqa: S301 - own local cache
        except Exception:  # noqa: BLE001 - absent or damaged: validate the file
            return None
        return model if type(model) is schema else None

    def put(self, name: str, data: bytes, model: BaseModel) -> None:
        import pickle

        from .cache import stamped, write_atomically

        write_atomically(self._path(name, data), stamped({"name": name}, pickle.dumps(model)))


def unknown_files(folder: Path, known: set[str]) -> tuple[str, ...]:
    """Files in the rule folder that are not rule files (`dates_old.yaml`, `notes.txt`; not README.md
    nor hidden files), which the caller names in a warning. A name that looks like a misspelled rule
    file (`date.yaml`, `dates.yml`) is a RuleError: the user meant it to be read."""
    import difflib

    found = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.name == "README.md" or (path.suffix == ".yaml" and path.stem in known):
            continue
        if path.suffix in (".yaml", ".yml"):
            near = difflib.get_close_matches(path.stem, sorted(known), n=1, cutoff=0.8)
            if near:
                raise RuleError(str(path), None, None, f"not a rule file: did you mean {near[0]}.yaml? "
                                                       f"(rule files: {', '.join(f'{n}.yaml' for n in sorted(known))})")
        found.append(str(path))
    return tuple(found)
