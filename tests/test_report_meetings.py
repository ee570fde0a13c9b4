"""The report's meetings: numbered across documents, cards that say why there is no venue and print
whole, a table filtered by counterpart/mode/year, and a report folder that `extract` leaves alone."""
from __future__ import annotations

import re
import subprocess
from importlib import resources

import pytest

from pipeline.cli import main
from pipeline.report.page import find_chromium

from conftest import RULES_DIR
from two_editions import write_raw


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    raw = write_raw(tmp / "raw")
    args = ["extract", "--raw", str(raw), "--rules", str(RULES_DIR), "--out", str(tmp / "output"), "--jobs", "1",
            "--no-ner", "--no-cache"]
    assert main(args) == 0
    assert main(["report", "--output", str(tmp / "output"), "--raw", str(raw)]) == 0
    return tmp, args


def page(run) -> str:
    return (run[0] / "output.report" / "index.html").read_text(encoding="utf-8")


def cards(html_text: str) -> list[str]:
    return re.findall(r'<div class="card" .*?</dl>', html_text)


def test_report_meetings_are_numbered_across_documents(run):
    found = cards(page(run))
    assert len(found) == 4  # two documents, each with its meetings 1 and 2
    assert [re.search(r'id="(m\d+)"', c)[1] for c in found] == ["m1", "m2", "m3", "m4"]
    assert [re.search(r'<span class="no">(#\d+)</span>', c)[1] for c in found] == ["#1", "#2", "#3", "#4"]


@pytest.mark.parametrize(("number", "venue"), [
    (1, "インド"),
    (2, "— (telephone call)"),  # a call has no venue, and the card says why instead of "?"
    (3, "— (telephone call)"),
])
def test_report_card_venue(run, number, venue):
    card = cards(page(run))[number - 1]
    shown = re.search(r"<dt>venue</dt><dd>(.*?)</dd>", card)[1]
    assert re.sub(r"<[^>]+>", "", shown) == venue
    assert "?" not in card


def test_report_card_participants_as_written(run):
    card = cards(page(run))[3]
    assert "パルリ仏軍事大臣" in card and "岸防衛大臣" in card


def test_report_meeting_table_rows_and_filters(run):
    html_text = page(run)
    rows = re.findall(r'<tr data-meeting="" data-cp="([^"]*)" data-mode="([^"]*)" data-year="([^"]*)">', html_text)
    assert rows == [("IN", "in_person", "2019"), ("US", "telephone", "2019"), ("US", "telephone", "2021"),
                    ("FR", "in_person", "2021")]
    options = {k: re.findall(r'<option value="([^"]+)">', re.search(rf'<select id="f-{k}">(.*?)</select>',
                                                                     html_text)[1])
               for k in ("cp", "mode", "year")}
    assert options == {"cp": ["FR", "IN", "US"], "mode": ["in_person", "telephone"], "year": ["2019", "2021"]}
    assert html_text.count('<a class="pt" data-meeting=""') == 4  # the timeline's markers filter too


def test_report_cards_print_whole():
    css = resources.files("pipeline").joinpath("report_static/report.css").read_text(encoding="utf-8")
    screen, _, printed = css.partition("@media print")
    for selector, body in re.findall(r"([^{}]*\.card[^{}]*)\{([^}]*)\}", screen):
        assert "overflow" not in body and "max-height" not in body, selector  # no scrolling inside a card
    assert re.search(r"\.card \{[^}]*break-inside: avoid", printed)


def test_report_lives_beside_the_output_and_survives_extract(run):
    tmp, args = run
    index = tmp / "output.report" / "index.html"
    before = index.read_bytes()
    assert main(args) == 0  # the next extract replaces output/ whole
    assert index.read_bytes() == before
    assert not (tmp / "output" / "report").exists()


@pytest.mark.skipif(find_chromium() is None, reason="needs chromium (apt-get install -y chromium)")
def test_report_filters_run_in_the_browser(run):
    index = run[0] / "output.report" / "index.html"
    done = subprocess.run([find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                           index.resolve().as_uri() + "#cp=US&mode=telephone"],
                          capture_output=True, text=True, timeout=120)
    rows = re.findall(r'<tr data-meeting=""[^>]*>', done.stdout)
    assert len(rows) == 4
    shown = [r for r in rows if "display: none" not in r]
    assert [re.search(r'data-year="(\d+)"', r)[1] for r in shown] == ["2019", "2021"]
    assert '<span id="f-count">2</span>' in done.stdout
