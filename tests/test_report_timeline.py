"""The meetings timeline: rows by counterpart country, markers by venue country, ASCII labels only."""
from __future__ import annotations

import warnings
from datetime import date

import pytest

from pipeline.report import TimelinePoint, timeline_points, write_timeline

PEOPLE = [
    {"doc_id": "d", "person_id": "jp.inada", "country": "JP"},
    {"doc_id": "d", "person_id": "us.carter", "country": "US"},
    {"doc_id": "d", "person_id": "au.payne", "country": "AU"},
]
VENUES = [
    {"doc_id": "d", "meeting_id": "1", "name": "米国防省", "text": "米国防省", "country": "US"},
    {"doc_id": "d", "meeting_id": "", "name": "防衛省", "text": "防衛省", "country": "JP"},
]


@pytest.mark.parametrize("meeting,expected", [
    ({"meeting_id": "1", "date": "2016-09-16", "participants": "jp.inada|us.carter", "venue": "米国防省",
      "meeting_no": "(1)"}, TimelinePoint(date(2016, 9, 16), "US", "US", "(1)")),
    # venue found by name when the venue row has no meeting_id; full-width number folds to ASCII
    ({"meeting_id": "2", "date": "2016-12", "participants": "jp.inada|us.carter|au.payne", "venue": "防衛省",
      "meeting_no": "（２）"}, TimelinePoint(date(2016, 12, 1), "AU+US", "JP", "(2)")),
    # Japanese meeting numbers and unknown people/venues never reach the plot
    ({"meeting_id": "3", "date": "2017", "participants": "jp.inada", "venue": "ハワイ", "meeting_no": "ア"},
     TimelinePoint(date(2017, 1, 1), "JP", "?", "")),
    # no venue: the marker says why (a call, a video meeting), not "?"
    ({"meeting_id": "4", "date": "2017-02-10", "participants": "", "venue": "", "meeting_no": ""},
     TimelinePoint(date(2017, 2, 10), "?", "no venue", "")),
    ({"meeting_id": "5", "date": "2017-01-28", "participants": "jp.inada", "venue": "", "mode": "telephone",
      "meeting_no": "(8)"}, TimelinePoint(date(2017, 1, 28), "JP", "telephone", "(8)")),
])
def test_report_timeline_point(meeting, expected):
    assert timeline_points([{"doc_id": "d", **meeting}], PEOPLE, VENUES) == [expected]


def test_report_timeline_skips_undated_meetings():
    assert timeline_points([{"doc_id": "d", "meeting_id": "1", "date": ""}], PEOPLE, VENUES) == []


def test_report_timeline_files_without_missing_glyphs(tmp_path):
    meetings = [{"doc_id": "d", "meeting_id": str(i), "date": f"2016-{i:02d}-01", "participants": "jp.inada|us.carter",
                 "venue": "防衛省", "meeting_no": f"({i})"} for i in range(1, 6)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = write_timeline(timeline_points(meetings, PEOPLE, VENUES), tmp_path)
    assert files == ["timeline.png", "timeline.svg"]
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert (tmp_path / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "timeline.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "venue JP" in svg and all(ord(c) < 128 for c in svg)


def test_report_timeline_is_deterministic(tmp_path):
    points = [TimelinePoint(date(2016, 9, 16), "US", "US", "(1)")]
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_timeline(points, tmp_path / name)
    for name in ("timeline.png", "timeline.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
