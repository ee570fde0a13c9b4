"""Meetings: one row per session of a meeting heading, with date, venue, participants, mode."""
from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.document import VenueMention
from pipeline.stages.meetings import MeetingStage


def rows(doc) -> list[tuple[str, str, str, str]]:
    return [(m.title, m.date, m.venue, m.mode) for m in doc.meetings]


def participant_names(doc) -> list[list[str]]:
    names = {p.person_id: p.name for p in doc.people}
    return [sorted(names[i] for i in m.participants.split("|") if i) for m in doc.meetings]


@pytest.mark.parametrize("text, expected", [
    ("(1)日米防衛相会談(16(平成28)年9月16日(米国防省)及び同年12月7日(防衛省))\n\n"
     "稲田防衛大臣とカーター米国防長官(当時)は、日米防衛相会談を実施した。\n",
     [("日米防衛相会談", "2016-09-16", "米国防省", "in_person"), ("日米防衛相会談", "2016-12-07", "防衛省", "in_person")]),
    ("(8) 日米首脳電話会談(17(平成29年)1月28日、同年3月7日、同年4月6日、同年4月24日)\n\n"
     "安倍内閣総理大臣とトランプ米大統領は、電話会談を実施している。\n",
     [("日米首脳電話会談", d, "", "telephone") for d in ("2017-01-28", "2017-03-07", "2017-04-06", "2017-04-24")]),
    ("ア 日豪防衛相会談(20(令和2)年10月19日(東京))\n\n岸防衛大臣は、東京において、レイノルズ豪国防大臣との間で日豪防衛相会談を実施した。\n",
     [("日豪防衛相会談", "2020-10-19", "東京", "in_person")]),
    ("(3)日豪防衛相テレビ会談(20(令和2)年7月7日)\n\n河野防衛大臣は、レイノルズ豪国防大臣とテレビ会談を実施した。\n",
     [("日豪防衛相テレビ会談", "2020-07-07", "", "video")]),
    ("(5)ペンス米副大統領の安倍内閣総理大臣表敬(17(平成29)年4月18日)(安全保障部分)\n\n"
     "安倍内閣総理大臣は、ペンス米副大統領による表敬を受けた。\n",
     [("ペンス米副大統領の安倍内閣総理大臣表敬", "2017-04-18", "", "in_person")]),
    # several meetings in one heading
    ("(2)日英防衛相会談(17(平成29)年12月14日(英国防省))及び日英「2+2」(17(平成29)年12月14日(ロンドン))\n\n"
     "小野寺防衛大臣は、ウィリアムソン英国防大臣との間で日英防衛相会談を実施した。\n",
     [("日英防衛相会談", "2017-12-14", "英国防省", "in_person"), ("日英「2+2」", "2017-12-14", "ロンドン", "in_person")]),
    # a dropped parenthetical before the dates, a venue after a comma
    ("(4)日米首脳会談(安全保障部分)(17(平成29)年2月10日、ワシントンDC)\n\n"
     "安倍内閣総理大臣は、トランプ米大統領との間で日米首脳会談を実施した。\n",
     [("日米首脳会談", "2017-02-10", "ワシントンDC", "in_person")]),
    # a session parenthesis naming a mode is the session's mode, not its venue
    ("(2)日米防衛相会談(21(令和3)年3月16日(防衛省)、同年5月6日(テレビ会議形式))\n\n"
     "岸防衛大臣は、来日したオースティン米国防長官との間で、防衛省において日米防衛相会談を実施した。\n",
     [("日米防衛相会談", "2021-03-16", "防衛省", "in_person"), ("日米防衛相会談", "2021-05-06", "", "video")]),
    ("ア 日印防衛相会談(19(令和元)年9月2日(ニューデリー)、同年11月5日(電話))\n\n"
     "河野防衛大臣は、ニューデリーにおいて、シン印国防大臣との間で日印防衛相会談を実施した。\n",
     [("日印防衛相会談", "2019-09-02", "ニューデリー", "in_person"), ("日印防衛相会談", "2019-11-05", "", "telephone")]),
    # no date in the heading: the date of the opening sentence
    ("(2)日中防衛相会談\n\n河野防衛大臣は、19(令和元)年12月17日、魏鳳和中国国防部長との間で日中防衛相会談を実施した。\n",
     [("日中防衛相会談", "2019-12-17", "", "in_person")]),
])
def test_heading_sessions(run_text, text, expected):
    assert rows(run_text(text)) == expected


@pytest.mark.parametrize("text", [
    "(1)英国\n\n英国は、わが国と基本的な価値を共有する国である。\n",
    "2 最近行われた主な政策協議など\n\n日米両国は、緊密に連携している。\n",
    "イ 能力構築支援など\n\n防衛省は、能力構築支援を継続している。\n",
    # a meeting word but no session date anywhere
    "ア 防衛相会談をはじめとするハイレベル交流\n\nわが国は、各国との防衛交流を推進している。\n",
])
def test_not_meetings(run_text, text):
    assert run_text(text).meetings == ()


def test_meetings_needs_date_form_without_a_date_parenthesis(run_text):
    """A needs_date form (協議) in a heading without a date parenthesis is no heading meeting, though
    the opening sentence has a date (the sentence itself may still be a prose meeting)."""
    doc = run_text("2 最近行われた主な政策協議など\n\n小野寺防衛大臣は、17(平成29)年8月17日、マティス米国防長官と協議を行った。\n")
    assert [m.title for m in doc.meetings if "meeting.gathering" in m.rule.split("+")] == []
    assert [t.text for t in doc.trace if t.reason == "needs_date: no date parenthesis in the heading"] == [
        "最近行われた主な政策協議など"]


@pytest.mark.parametrize("text, expected", [
    ("(1)日米「2+2」(17(平成29)年8月17日(ワシントンDC))\n\n"
     "河野外務大臣及び小野寺防衛大臣は、ワシントンDCにおいて、ティラーソン米国務長官(当時)及びマティス米国防長官との間で"
     "日米安全保障協議委員会(日米「2+2」)を開催した。\n",
     [["ティラーソン", "マティス", "小野寺", "河野"]]),
    ("(5)ペンス米副大統領の安倍内閣総理大臣表敬(17(平成29)年4月18日)\n\n北朝鮮情勢について意見交換を行った。\n",
     [["ペンス", "安倍"]]),
    ("ア 日韓防衛相電話会談(17(平成29)年11月30日)\n\n"
     "同年11月29日に北朝鮮が弾道ミサイルを発射したことを受け、翌日、小野寺防衛大臣は、宋永武韓国国防部長官と電話会談を行った。\n",
     [["宋永武", "小野寺"]]),
])
def test_participants(run_text, text, expected):
    assert participant_names(run_text(text)) == expected


def test_body_venue_and_venue_meeting_id(run_text, rules):
    """Without a heading venue the first venue of the opening sentence is used; venues get meeting_id."""
    text = ("(2)日米首脳会談(16(平成28)年12月27日)(安全保障部分)\n\n"
            "安倍内閣総理大臣は、慰霊のために真珠湾を訪問し、オバマ米大統領(当時)との間で日米首脳会談を実施した。\n")
    doc = run_text(text)
    at = text.index("真珠湾")
    sent = next(s for s in doc.sentences if s.start <= at < s.end)
    venue = VenueMention(sent.section_id, sent.sentence_id, at, at + 3, "真珠湾", "真珠湾", "US", None, "rule",
                         "test")
    doc = MeetingStage(rules)(replace(doc, venues=(venue,), meetings=()))
    assert [(m.date, m.venue) for m in doc.meetings] == [("2016-12-27", "真珠湾")]
    assert [v.meeting_id for v in doc.venues] == [doc.meetings[0].meeting_id]


def test_clause_meeting_ids(run_text):
    text = ("(1)日米防衛相会談(16(平成28)年9月16日(米国防省)及び同年12月7日(防衛省))\n\n"
            "稲田防衛大臣とカーター米国防長官(当時)は、日米防衛相会談を実施した。\n\n"
            "ア 総論\n\n"
            "両閣僚は、協力していくことで一致した。\n\n"
            "16(同28)年12月の会談においては、日米が協力することを確認した。\n\n"
            "(2)英国\n\n"
            "日英両国は、協力を進めることを確認した。\n")
    doc = run_text(text)
    ids = {m.date: m.meeting_id for m in doc.meetings}
    assert [(c.text, c.meeting_id) for c in doc.clauses] == [
        ("一致した", ids["2016-09-16"]), ("確認した", ids["2016-12-07"]), ("確認した", None)]
