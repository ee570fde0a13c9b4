"""person_id: one stable key per person across mentions, documents and editions; the registry pins ids."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.reader import read_raw
from pipeline.ruleset import load_rules
from pipeline.stages.people import PeopleStage

from conftest import RULES_DIR

SEED = Path(__file__).resolve().parent.parent / "raw" / "2017" / "000_5aa69a72492d7d21.txt"


def ids(doc) -> dict[str, str]:
    return {p.text: p.person_id for p in doc.people}


def test_full_name_and_family_name_share_an_id(run_text):
    doc = run_text("マイク・ペンス米副大統領は来日した。ペンス米副大統領は述べた。")
    assert len({p.person_id for p in doc.people}) == 1
    assert doc.people[0].name == "マイク・ペンス" and doc.people[1].name == "ペンス"


@pytest.mark.parametrize(("first", "second"), [
    ("エスパー米国防長官は述べた。", "令和2年8月29日、エスパー米国防長官(当時)は、グアムにおいて会談した。"),
    ("、岸防衛大臣は述べた。", "、岸防衛大臣と会談した。"),
    ("ル・ドリアン仏欧州・外務大臣は述べた。", "ル・ドリアン仏欧州・外務大臣と会談した。"),
])
def test_same_id_in_other_documents_whatever_the_order(run_text, first, second):
    a = run_text(first + second, doc_id="2020/a")
    b = run_text(second + first, doc_id="2021/b")
    c = run_text(second, doc_id="2022/c")
    assert len({p.person_id for d in (a, b, c) for p in d.people}) == 1


def test_unmarked_title_takes_the_country_of_the_marked_mention(run_text):
    doc = run_text("トランプ大統領と会談した。トランプ米大統領は述べた。")
    assert [(p.text, p.country) for p in doc.people] == [("トランプ大統領", "US"), ("トランプ米大統領", "US")]
    assert doc.people[0].person_id == doc.people[1].person_id
    assert "country.same_person" in doc.people[0].rule.split("+")


def test_unknown_country_is_empty_not_guessed(run_text):
    (p,) = run_text("ムルヨノ大統領と会談した。").people
    assert p.country == ""


def test_different_people_get_different_ids(run_text):
    doc = run_text("マティス米国防長官と稲田防衛大臣は、トランプ米大統領と会談した。")
    assert len({p.person_id for p in doc.people}) == 3


def test_registry_pins_a_namesake_by_title(rules):
    doc = run_people(rules, "河野統合幕僚長は述べた。河野外務大臣も述べた。")
    chief, minister = doc.people
    assert chief.person_id == "JP-河野克俊"
    assert minister.person_id != chief.person_id
    assert "person.registry" in chief.rule.split("+")


def test_registry_supplies_a_country(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for f in RULES_DIR.glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "persons.yaml").write_text(
        "persons:\n  - id: ID-joko-widodo\n    names: [ジョコ]\n    country: ID\n", encoding="utf-8")
    doc = run_people(load_rules(folder), "ジョコ大統領と会談した。")
    assert [(p.person_id, p.country) for p in doc.people] == [("ID-joko-widodo", "ID")]


def run_people(rules, text: str) -> Document:
    from pipeline.run import Extractor

    ex = Extractor(rules, ner=False)
    doc = Document("t", "", text)
    for name, stage in ex.stages:
        doc = stage(doc)
        if isinstance(stage, PeopleStage):
            return doc
    raise AssertionError("no people stage")


def test_caption_copies_yield_no_people(extractor):
    raw = read_raw(SEED, SEED.parent.parent)
    doc = extractor.extract(Document(raw.doc_id, raw.edition, raw.text))
    kinds = {p.start: doc.block(doc.sentence(p.sentence_id).block_id).kind for p in doc.people}
    assert "caption" in kinds.values()
    assert "caption_duplicate" not in kinds.values()
