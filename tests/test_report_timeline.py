"""The meetings timeline and year chart: one row per counterpart, markers by mode, no text on markers."""
from __future__ import annotations

import re
from datetime import date

import pytest

from pipeline.report import timeline_points, timeline_svg, write_timeline, year_chart_svg
from pipeline.report.timeline import NO_COUNTERPART


def meeting(**kw) -> dict[str, str]:
    row = {"doc_id": "2017/d", "meeting_id": "1", "title": "日米防衛相会談", "date": "2016-09-16", "venue": "米国防省",
           "participants": "JP-稲田|US-カーター", "participant_names": "稲田防衛大臣|カーター米国防長官",
           "mode": "in_person", "counterparts": "US"}
    return {**row, **kw}


@pytest.mark.parametrize(("row", "when", "exact", "rows", "mode"), [
    (meeting(), date(2016, 9, 16), True, ("US",), "in_person"),
    # several sides: the meeting sits on each of their rows
    (meeting(counterparts="AU|US", date="2016-12"), date(2016, 12, 15), False, ("AU", "US"), "in_person"),
    (meeting(counterparts="", date="2017", mode="telephone"), date(2017, 7, 1), False, (NO_COUNTERPART,),
     "telephone"),
    (meeting(mode="walk"), date(2016, 9, 16), True, ("US",), ""),  # an unknown mode is "mode unknown"
])
def test_report_timeline_point(row, when, exact, rows, mode):
    (p,) = timeline_points([row], ["m1"])
    assert (p.when, p.exact, p.rows, p.mode, p.target) == (when, exact, rows, mode, "m1")


def test_report_timeline_hover_says_who_where_and_why_no_venue():
    (p,) = timeline_points([meeting(mode="telephone", venue="", date="2017-01-28")])
    assert p.hover == "2017-01-28 日米防衛相会談\ntelephone, venue: — (telephone call)\n稲田防衛大臣, カーター米国防長官\n2017/d"
    assert timeline_points([meeting(date="")]) == []


def archive(n: int) -> list[dict[str, str]]:
    """n meetings over 20 years with 12 counterparts and all modes."""
    codes = ["US", "AU", "GB", "FR", "IN", "KR", "CA", "DE", "IT", "PH", "VN", "NATO"]
    modes = ["in_person", "telephone", "video"]
    return [meeting(meeting_id=str(i), date=f"{2005 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    counterparts="|".join(sorted({codes[i % 12], codes[(i * 7) % 12]})), mode=modes[i % 3])
            for i in range(n)]


@pytest.mark.parametrize("n", [12, 400])
def test_report_timeline_text_does_not_grow_with_meetings(n):
    points = timeline_points(archive(n), [f"m{i}" for i in range(1, n + 1)])
    svg = timeline_svg(points)
    rows = sorted({r for p in points for r in p.rows})
    labels = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    years = {p.when.year for p in points}
    assert len(labels) == len(rows) + len(range(min(years), max(years) + 1))  # row labels + year labels only
    ys = [float(y) for y in re.findall(r'<text x="112" y="([\d.]+)"', svg)]
    assert len(ys) == len(rows) and min(b - a for a, b in zip(sorted(ys), sorted(ys)[1:])) >= 20
    assert svg.count("<title>") == sum(len(p.rows) for p in points)  # every marker has its hover
    assert svg.count('href="#m') == svg.count("<title>")


def test_report_timeline_spreads_markers_of_one_day():
    points = timeline_points([meeting(meeting_id=str(i)) for i in range(3)])
    svg = timeline_svg(points)
    centres = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(centres) == 3 and len(set(centres)) == 3


def test_report_year_chart_counts():
    rows = [meeting(date="2016-09-16"), meeting(date="2016-12", mode="telephone"), meeting(date="2018-02-01")]
    svg = year_chart_svg(timeline_points(rows))
    assert re.findall(r'font-size="10">(\d+)</text>', svg) == ["2", "1"]  # 2016: 2, 2017: none, 2018: 1
    assert "<title>2016: 1 telephone</title>" in svg and "<title>2016: 1 in person</title>" in svg


def test_report_timeline_file_is_deterministic_svg(tmp_path):
    points = timeline_points(archive(30))
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        assert write_timeline(points, tmp_path / name) == ["timeline.svg"]
    first = (tmp_path / "a" / "timeline.svg").read_bytes()
    assert first == (tmp_path / "b" / "timeline.svg").read_bytes()
    assert first.startswith(b'<?xml') and b'xmlns="http://www.w3.org/2000/svg"' in first
    assert write_timeline([], tmp_path / "a") == []
