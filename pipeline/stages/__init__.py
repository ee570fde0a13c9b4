"""The stages, and the one registry they declare themselves in.

A stage is a module of this package whose class carries one declaration (spaCy's
component factories with `requires`/`assigns` are the model):

    @stage("dates", rules={"dates": DateRules}, requires=("text", "sentences", "blocks"),
           assigns=("dates",))
    class DateStage:
        def __init__(self, rules): ...                        # rules.get("dates") -> DateRules
        def __call__(self, doc: Document) -> Document: ...    # dataclasses.replace(doc, dates=...)

- `rules`: the rule files the stage owns (`rules/<name>.yaml`) and their pydantic schemas;
  `reads`: rule files it also reads that another stage owns. A stage sees only these files
  (reading another is an error), so they are exactly what its cache key covers.
- `requires`/`assigns`: `Document` fields it reads and fills. `warnings` and `trace` are logs
  every stage may append to; they order nothing.
- `cached=True`: a model stage, built with `cache_dir=` for its own per-piece cache.
- `model=True`: a stage that asks GiNZA about its doubts (`pipeline.ner`), built with `model=`
  the process's one `EntityModel`, or None when NER is off (`--no-ner`).

Everything else is derived from these declarations (`registry()`): the rule files and schemas
`ruleset.load_rules` validates, the run order of `run.Extractor` (a stage runs after every stage
that assigns a field it requires; among stages free to run, the one whose first assigned field
comes first in `Document` runs first) and the rule files behind each stage's cache key. Adding
a stage is one new module here with one declaration (and, for a new table, its `Document` field
and its columns in `tables.TABLES`). Importing a stage module imports no other stage.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable

from ..document import Document

LOGS = ("warnings", "trace")  # Document fields every stage may append to


@dataclass(frozen=True)
class StageSpec:
    """One stage's declaration."""

    name: str
    factory: Callable[..., Any]
    rules: dict[str, Any]  # rule file it owns -> schema
    reads: tuple[str, ...]  # rule files of other stages it reads
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    cached: bool
    model: bool
    module: str

    @property
    def rule_files(self) -> tuple[str, ...]:
        """Every rule file the stage reads, sorted."""
        return tuple(sorted(set(self.rules) | set(self.reads)))

    def build(self, rules: Any, cache_dir: Path | None = None, model: Any = None) -> Callable[[Document], Document]:
        """The stage, built on a view of the rules that holds only the files it declares."""
        view = StageRules(rules, self)
        kwargs: dict[str, Any] = {}
        if self.cached:
            kwargs["cache_dir"] = cache_dir
        if self.model:
            kwargs["model"] = model
        return self.factory(view, **kwargs)


class StageRules:
    """The rules as one stage sees them: `get` of a file the stage did not declare is an error."""

    def __init__(self, rules: Any, spec: StageSpec):
        self._rules, self._spec = rules, spec
        self.read: set[str] = set()  # the files `get` was asked for (tests compare with the declaration)

    def get(self, name: str) -> Any:
        if name not in self._spec.rule_files:
            raise LookupError(f"stage {self._spec.name} reads rules/{name}.yaml but does not declare it "
                              f"({self._spec.module}: add it to `rules` or `reads` of its @stage)")
        self.read.add(name)
        return self._rules.get(name)


_DECLARED: dict[str, StageSpec] = {}


def stage(name: str, *, rules: dict[str, Any] | None = None, reads: tuple[str, ...] = (),
          requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (), cached: bool = False, model: bool = False):
    """Class decorator: declare a stage (see the module docstring)."""

    def declare(factory: Callable[..., Any]) -> Callable[..., Any]:
        spec = StageSpec(name, factory, dict(rules or {}), tuple(reads), tuple(requires), tuple(assigns), cached,
                         model, factory.__module__)
        known = _DECLARED.get(name)
        if known is not None and known.module != spec.module:
            raise ValueError(f"stage {name} is declared twice: {known.module} and {spec.module}")
        _DECLARED[name] = spec
        return factory

    return declare


def registry() -> tuple[StageSpec, ...]:
    """Every stage of this package, in run order (imports the stage modules on first use)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return run_order(tuple(_DECLARED.values()))


def run_order(specs: tuple[StageSpec, ...]) -> tuple[StageSpec, ...]:
    """The stages sorted so that each runs after every stage assigning a field it requires;
    ties go to the stage whose first assigned field comes first in `Document`."""
    rank = {f.name: i for i, f in enumerate(fields(Document))}
    owners: dict[str, set[str]] = {}
    for spec in specs:
        _check(spec, rank)
        for f in spec.assigns:
            owners.setdefault(f, set()).add(spec.name)
    after = {s.name: {o for f in s.requires for o in owners.get(f, ()) if o != s.name} for s in specs}
    order: list[StageSpec] = []
    pending = sorted(specs, key=lambda s: (rank[s.assigns[0]], s.name))
    while pending:
        done = {s.name for s in order}
        ready = next((s for s in pending if after[s.name] <= done), None)
        if ready is None:
            raise ValueError(f"stages require each other's fields in a cycle: {', '.join(s.name for s in pending)}")
        order.append(ready)
        pending.remove(ready)
    return tuple(order)


def _check(spec: StageSpec, rank: dict[str, int]) -> None:
    unknown = [f for f in spec.requires + spec.assigns if f not in rank]
    if unknown:
        raise ValueError(f"stage {spec.name}: {', '.join(unknown)} is not a Document field")
    if not spec.assigns:
        raise ValueError(f"stage {spec.name} assigns nothing")
    if any(f in LOGS for f in spec.requires + spec.assigns):
        raise ValueError(f"stage {spec.name}: {' and '.join(LOGS)} are logs, not requirements or assignments")


def rule_schemas(specs: tuple[StageSpec, ...] | None = None) -> dict[str, Any]:
    """Rule file name -> schema, over every stage; a file owned by two stages, or read but owned
    by none, is an error."""
    specs = registry() if specs is None else specs
    found: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for spec in specs:
        for name, schema in spec.rules.items():
            if name in found:
                raise ValueError(f"rules/{name}.yaml is owned by two stages: {owner[name]} and {spec.name}")
            found[name], owner[name] = schema, spec.name
    for spec in specs:
        orphans = [name for name in spec.reads if name not in found]
        if orphans:
            raise ValueError(f"stage {spec.name} reads {', '.join(orphans)}, which no stage owns")
    return found
