"""Meetings told in running prose and captions: one row per session, with who, where, how.

The texts are written for these tests (people, places and phrasing of other editions than the
development documents); rules only, no NER.
"""
from __future__ import annotations

import pytest

from pipeline.document import Document


@pytest.fixture(scope="module")
def meet(extractor):
    def run(text: str, edition: str = "2023"):
        doc = extractor.extract(Document(f"{edition}/test", edition, text))
        return doc

    return run


def rows(doc) -> list[tuple]:
    return [(m.date, m.venue, m.participants, m.mode, m.counterparts, m.host, m.consult_mode, m.source)
            for m in doc.meetings]


@pytest.mark.parametrize(("text", "expected"), [
    # a visit abroad: the visited country is the venue and the host
    ("2019年9月、河野防衛大臣はインドを訪問し、ラジナート・シン印国防大臣と会談を行った。",
     [("2019-09", "インド", "IN-ラジナート・シン|JP-河野太郎", "in_person", "IN", "IN", "visit", "prose")]),
    # a visit to Japan: Japan hosts, no venue is named
    ("2022年6月、マールズ豪国防大臣が訪日し、岸防衛大臣と会談を行った。",
     [("2022-06", "", "AU-リチャード・マールズ|JP-岸信夫", "in_person", "AU", "JP", "visit", "prose")]),
    # telephone and video talks: no venue, no host, CONSULT mode phone
    # (the registry: Reynolds was no longer defence minister in 2021-05, so her id stays the fallback one)
    ("2021年5月、岸防衛大臣は、レイノルズ豪国防大臣と電話会談を実施し、連携の強化で一致した。",
     [("2021-05", "", "AU-レイノルズ|JP-岸信夫", "telephone", "AU", "", "phone", "prose")]),
    ("2020年8月、河野防衛大臣は、テレビ会議形式でレイノルズ豪国防大臣と会談を行った。",
     [("2020-08", "", "AU-リンダ・レイノルズ|JP-河野太郎", "video", "AU", "", "phone", "prose")]),
    # an international conference used as the place: a third-party session
    ("2019年6月、岩屋防衛大臣は、シャングリラ会合の機会に、パルリ仏軍事大臣と会談を行った。",
     [("2019-06", "シャングリラ会合", "FR-フロランス・パルリ|JP-岩屋毅", "in_person", "FR", "", "third-party", "prose")]),
    # several sessions in one sentence, each with its own date and mode
    ("浜田防衛大臣とオースティン米国防長官との間では、2022年10月と2023年1月に対面で、2022年12月に電話で、"
     "日米防衛相会談を実施した。",
     [("2022-10", "", "JP-浜田靖一|US-ロイド・オースティン", "in_person", "US", "", "", "prose"),
      ("2023-01", "", "JP-浜田靖一|US-ロイド・オースティン", "in_person", "US", "", "", "prose"),
      ("2022-12", "", "JP-浜田靖一|US-ロイド・オースティン", "telephone", "US", "", "phone", "prose")]),
    # two dates, two partners: one session each, the subject carried to the second
    ("2018年3月、小野寺防衛大臣はモンゴルを訪問し、エンフボルド・モンゴル国防大臣と、また同年5月には、"
     "サージャン加国防大臣と、会談を行った。",
     [("2018-03", "モンゴル", "JP-小野寺五典|MN-エンフボルド", "in_person", "MN", "MN", "visit", "prose"),
      ("2018-05", "", "CA-ハルジット・サージャン|JP-小野寺五典", "in_person", "CA", "", "", "prose")]),
    # それぞれ: one session per partner, each at the place visited in the partner's country
    ("2018年4月、小野寺防衛大臣はポーランドおよびエストニアを訪問し、それぞれブワシュチャク・ポーランド国防大臣、"
     "ルイク・エストニア国防大臣と会談を行った。",
     [("2018-04", "ポーランド", "JP-小野寺五典|PL-ブワシュチャク", "in_person", "PL", "PL", "visit", "prose"),
      ("2018-04", "エストニア", "EE-ルイク|JP-小野寺五典", "in_person", "EE", "EE", "visit", "prose")]),
    # a subject carried over to the next sentence of the account
    ("2023年3月、浜田防衛大臣はマールズ豪国防大臣と会談した。また、同日、ウォレス英国防大臣と電話会談を行った。",
     [("2023-03", "", "AU-リチャード・マールズ|JP-浜田靖一", "in_person", "AU", "", "", "prose"),
      ("2023-03", "", "GB-ベン・ウォレス|JP-浜田靖一", "telephone", "GB", "", "phone", "prose")]),
    # two meetings coordinated under one realisation verb
    ("2016年11月に稲田防衛大臣とペイン豪国防大臣との間で防衛相会談が、さらに、日豪外務・防衛閣僚協議が"
     "相次いで行われた。",
     [("2016-11", "", "AU-マリス・ペイン|JP-稲田朋美", "in_person", "AU", "", "", "prose"),
      ("2016-11", "", "", "in_person", "AU", "", "", "prose")]),
    # attendees named after the mention; the sides from the title
    ("2019年4月19日、ワシントンにおいて日米「2+2」が開催され、河野外務大臣、岩屋防衛大臣、ポンペオ米国務長官及び"
     "シャナハン米国防長官代行が出席した。",
     [("2019-04-19", "ワシントン", "JP-岩屋毅|JP-河野太郎|US-パトリック・シャナハン|US-マイク・ポンペオ", "in_person", "US", "US", "visit",
       "prose")]),
    # a courtesy call written as a verb with its object (Xを表敬した)
    ("2019年5月、ラジナート・シン印国防大臣は安倍内閣総理大臣を表敬した。",
     [("2019-05", "", "IN-ラジナート・シン|JP-安倍晋三", "in_person", "IN", "", "", "prose")]),
    # two meetings as objects of one verb: each keeps its date, the mode written in the verb phrase
    ("2021年2月に日英「2+2」を、同年4月に日独「2+2」を、いずれもテレビ会議形式で開催した。",
     [("2021-02", "", "", "video", "GB", "", "phone", "prose"),
      ("2021-04", "", "", "video", "DE", "", "phone", "prose")]),
    # an organisation's meeting: multilateral, its members as the sides
    ("2019年11月、河野防衛大臣は、バンコクで開催された拡大ASEAN国防相会議に出席した。",
     [("2019-11", "バンコク", "JP-河野太郎", "in_person", "ASEAN|AU|CN|IN|KR|NZ|RU|US", "", "multilateral", "prose")]),
    # 同会合: the place of the session told before
    ("2019年6月1日、シャングリラ会合の機会に、岩屋防衛大臣はパルリ仏軍事大臣と会談を行った。"
     "同月2日には、同会合において、岩屋防衛大臣は鄭景斗韓国国防部長官と会談を行った。",
     [("2019-06-01", "シャングリラ会合", "FR-フロランス・パルリ|JP-岩屋毅", "in_person", "FR", "", "third-party", "prose"),
      ("2019-06-02", "シャングリラ会合", "JP-岩屋毅|KR-鄭景斗", "in_person", "KR", "", "third-party", "prose")]),
    # participants written as the agents of a passive (AとBによる…会談が行われた)
    # (the registry: 江渡 became defence minister in 2014-09, so his id stays the fallback one)
    ("2014年5月31日、シャングリラ会合の機会に、江渡防衛大臣、ヘーゲル米国防長官及びジョンストン豪国防大臣による"
     "日米豪防衛相会談が行われた。",
     [("2014-05-31", "シャングリラ会合", "AU-デービッド・ジョンストン|JP-江渡|US-チャック・ヘーゲル", "in_person", "AU|US", "",
       "multilateral", "prose")]),
    # a meeting between two other sides: Japan is no side
    ("2019年2月の米朝首脳会談の結果も踏まえ、引き続き注視する。",
     [("2019-02", "", "", "in_person", "KP|US", "", "", "prose")]),
])
def test_meetings_prose_sessions(meet, text, expected):
    assert rows(meet(text)) == expected


@pytest.mark.parametrize("text", [
    "来年、日豪防衛相会談を開催する予定である。",  # planned
    "日米安全保障協議委員会(「2+2」)は、同盟の方向性を議論する場として機能している。",  # a framework
    "2020年9月、茂木外務大臣はインドのシュリングラ外務次官と協定に署名した。",  # a signing
    "2021年3月、岸防衛大臣は、ベトナムのザン国防大臣と意見交換を行った。",  # 意見交換 only
    "報道は「2021年3月に両国が会談を行った」と伝えた。",  # quoted
    "防衛省は、各国と防衛相会談を定期的に実施している。",  # recurring, no session date
    "両国の間では、2015年以降、外務・防衛閣僚会合が開催されており、協力が進展している。",  # recurring since
    "2021年5月、防衛省災害対策本部会議を開催した。",  # a government's own body
    "2022年2月、防衛力の抜本的強化に関する有識者会議が開催された。",  # experts advising one government
    "両大臣は、日豪「2+2」の早期開催で一致した。",  # a future meeting agreed on
    "防衛省は、近隣諸国と閣僚級・次官級の会談を実施し、意見交換を行っている。",  # talks in general
    "2024年1月、防衛大臣は会談後の共同記者会見に臨んだ。",  # after the meeting
    "2019年2月、岩屋防衛大臣はミュンヘン安全保障会議の際にドイツを訪問し、意見交換を行った。",  # an occasion
])
def test_meetings_prose_negatives(meet, text):
    assert meet(text).meetings == ()


def test_meetings_prose_caption_and_prose_are_one_session(meet):
    prose = "2019年11月、河野防衛大臣は、訪日したエスパー米国防長官と日米防衛相会談を行った。\n"
    caption = "日米防衛相会談に臨む河野防衛大臣(写真右)とエスパー米国防長官(写真左)(2019年11月)\n"
    for text, source in ((prose + "\n" + caption, "prose"), (caption + "\n" + prose, "caption")):
        doc = meet(text)
        assert [b.kind for b in doc.blocks] == (["paragraph", "caption"] if source == "prose"
                                                 else ["caption", "paragraph"])
        assert rows(doc) == [("2019-11", "", "JP-河野太郎|US-マーク・エスパー", "in_person", "US", "JP", "visit", source)]


def test_meetings_prose_heading_and_body_are_one_session(meet):
    text = ("(1)日米防衛相会談(2021年3月16日(防衛省))\n\n"
            "岸防衛大臣は、訪日したオースティン米国防長官と日米防衛相会談を実施した。\n")
    doc = meet(text, "2021")
    assert [(m.source, m.date, m.venue, m.host, m.consult_mode) for m in doc.meetings] == [
        ("heading", "2021-03-16", "防衛省", "JP", "visit")]


def test_meetings_prose_meeting_of_other_sides_in_a_heading_section(meet):
    """A 日米韓 meeting told in the section of a 日米 heading meeting on the same day is another row."""
    text = ("(1)日米防衛相会談(2017年10月23日(クラーク))\n\n"
            "小野寺防衛大臣は、クラークにおいてマティス米国防長官と会談を行った。"
            "また、同日、宋永武韓国国防部長官を交えた日米韓防衛相会談を行った。\n")
    doc = meet(text, "2018")
    assert [(m.source, m.title, m.counterparts, m.consult_mode) for m in doc.meetings] == [
        ("heading", "日米防衛相会談", "US", ""),
        ("prose", "日米韓防衛相会談", "KR|US", "multilateral")]
    assert doc.meetings[1].participants == "JP-小野寺五典|KR-宋永武"


def test_meetings_prose_two_meetings_of_one_day_stay_two(meet):
    """A 2+2 and a defence ministers' meeting on the same day, and a courtesy call told in the
    section of a heading meeting, are separate sessions; the 2+2's alias names the heading's meeting."""
    text = ("(1)日仏「2+2」(2019年1月11日(ブレスト))\n\n"
            "河野外務大臣及び岩屋防衛大臣は、ルドリアン仏外務大臣及びパルリ仏軍事大臣との間で"
            "外務・防衛閣僚会合(日仏「2+2」)を開催した。\n"
            "同日、岩屋防衛大臣は、パルリ仏軍事大臣と日仏防衛相会談を行った。\n"
            "同日、パルリ仏軍事大臣は安倍内閣総理大臣を表敬した。\n")
    doc = meet(text, "2019")
    assert [(m.source, m.title, m.date, m.participants) for m in doc.meetings] == [
        ("heading", "日仏「2+2」", "2019-01-11", "FR-ジャン=イヴ・ル・ドリアン|FR-フロランス・パルリ|JP-岩屋毅|JP-河野太郎"),
        ("prose", "日仏防衛相会談", "2019-01-11", "FR-フロランス・パルリ|JP-岩屋毅"),
        ("prose", "表敬", "2019-01-11", "FR-フロランス・パルリ|JP-安倍晋三")]


def test_meetings_prose_sentence_cut_by_a_line_break(meet):
    text = "2019年4月、岩屋防衛大臣は、シャナハン米国防長官代行と\n会談を行った。\n"
    assert rows(meet(text)) == [("2019-04", "", "JP-岩屋毅|US-パトリック・シャナハン", "in_person", "US", "", "", "prose")]


def test_meetings_prose_clauses_follow_their_session(meet):
    text = ("(1)日米「2+2」(2019年4月19日(ワシントンDC))\n\n"
            "河野外務大臣及び岩屋防衛大臣は、ポンペオ米国務長官及びシャナハン米国防長官代行と日米「2+2」を開催し、"
            "同盟の強化で一致した。\n"
            "2019年5月、岩屋防衛大臣は、シャナハン米国防長官代行と電話会談を行い、連携を確認した。\n"
            "両者は、地域情勢についても認識を共有した。\n\n"
            "防衛省は、引き続き防衛協力を推進していくことを確認した。\n")
    doc = meet(text, "2019")
    by_title = {m.title: m.meeting_id for m in doc.meetings}
    assert set(by_title) == {"日米「2+2」", "電話会談"}
    linked = [(c.text, c.meeting_id) for c in doc.clauses]
    # the next paragraph opens as a continuation (両者は): still the phone call's account; a
    # paragraph about something else in the 2+2's section belongs to the section's meeting
    assert linked == [("一致した", by_title["日米「2+2」"]), ("確認した", by_title["電話会談"]),
                      ("認識を共有した", by_title["電話会談"]), ("確認した", by_title["日米「2+2」"])]
    phone = next(m for m in doc.meetings if m.title == "電話会談")
    assert doc.text[phone.start:phone.end] == phone.text == "電話会談を行い"


def test_meetings_prose_clause_outside_any_account_has_no_meeting(meet):
    text = ("2019年5月、岩屋防衛大臣は、シャナハン米国防長官代行と電話会談を行い、連携を確認した。\n"
            "防衛省は、引き続き防衛協力を推進していくことを確認した。\n")
    doc = meet(text, "2019")
    assert [(c.sentence_id, c.meeting_id) for c in doc.clauses] == [(1, 1), (2, None)]



def test_meetings_prose_clauses_of_a_later_mention_belong_to_the_session(meet):
    text = ("2019年3月には北京で、同年11月には東京で日中防衛相会談が実施された。\n"
            "同年11月の日中防衛相会談では、海空連絡メカニズムの早期運用開始で合意した。\n")
    doc = meet(text, "2020")
    assert [(m.date, m.venue) for m in doc.meetings] == [("2019-03", "北京"), ("2019-11", "東京")]
    assert [(c.text, c.meeting_id) for c in doc.clauses] == [("合意した", doc.meetings[1].meeting_id)]


@pytest.mark.parametrize(("text", "expected"), [
    # the heading names the meeting with its alias in brackets; the prose retells it by the alias
    ("3 カナダとの防衛協力\n(2)日加外務・防衛閣僚協議(「2+2」)\n2019年4月14日、東京において第1回日加「2+2」が開催され、"
     "河野外務大臣、岩屋防衛大臣、フリーランド加外務大臣及びサージャン加国防大臣が出席した。\n",
     [("日加外務・防衛閣僚協議(「2+2」)", "2019-04-14", "heading")]),
    # ... but a 「2+2」 of other sides told in that section is a meeting of its own
    ("3 カナダとの防衛協力\n(2)日加外務・防衛閣僚協議(「2+2」)\n2019年4月14日、東京において第1回日加「2+2」が開催され、"
     "河野外務大臣、岩屋防衛大臣が出席した。同月19日、ワシントンにおいて日米「2+2」が開催された。\n",
     [("日加外務・防衛閣僚協議(「2+2」)", "2019-04-14", "heading"), ("日米「2+2」", "2019-04-19", "prose")]),
])
def test_meetings_prose_retelling_a_heading_by_its_alias(meet, text, expected):
    assert [(m.title, m.date, m.source) for m in meet(text).meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the participants are told in the next sentence: they attended
    ("2019年4月14日、東京において第2回日加「2+2」が開催された。わが国からは河野外務大臣と岩屋防衛大臣が、"
     "カナダ側からはフリーランド加外務大臣とサージャン加国防大臣が出席し、協力の推進を確認した。\n",
     "CA-ハルジット・サージャン|CA-フリーランド|JP-岩屋毅|JP-河野太郎"),
    # people of the next sentence who are not said to attend are no participants
    ("2019年4月14日、東京において第2回日加「2+2」が開催された。岩屋防衛大臣は、協力が重要であると述べた。\n", ""),
])
def test_meetings_prose_participants_told_in_the_next_sentence(meet, text, expected):
    assert [m.participants for m in meet(text).meetings] == [expected]


def test_meetings_prose_a_session_joining_the_previous_takes_its_people(meet):
    doc = meet("2017年10月23日には、小野寺防衛大臣は、マニラにおいてマティス米国防長官と会談を行うとともに、"
               "宋永武韓国国防部長官を交えた日米韓防衛相会談を行った。\n")
    assert [(m.title, m.venue, m.participants, m.counterparts) for m in doc.meetings] == [
        ("会談", "マニラ", "JP-小野寺五典|US-ジェームズ・マティス", "US"),
        ("日米韓防衛相会談", "マニラ", "JP-小野寺五典|KR-宋永武|US-ジェームズ・マティス", "KR|US")]


@pytest.mark.parametrize(("text", "expected"), [
    # an organisation with no seat names a conference: a third-party session
    ("2010年10月11日、北澤防衛大臣は、ADMMプラスの機会に梁光烈中国国防部長と会談を行った。\n", "third-party"),
    # an organisation at its seat hosts
    ("2014年5月、安倍内閣総理大臣は、NATO本部においてラスムセンNATO事務総長と会談を行った。\n", "visit"),
])
def test_meetings_prose_an_organisation_as_the_place(meet, text, expected):
    assert [m.consult_mode for m in meet(text).meetings] == [expected]


def test_meetings_prose_an_organisation_officer_named_without_it_later(meet):
    doc = meet("2013年4月14日、ラスムセンNATO事務総長が来日し、安倍内閣総理大臣と会談を行った。"
               "翌15日、ラスムセン事務総長は防衛省において小野寺防衛大臣と会談を行った。\n")
    assert [(m.date, m.counterparts, m.host, m.consult_mode) for m in doc.meetings] == [
        ("2013-04-14", "NATO", "JP", "visit"), ("2013-04-15", "NATO", "JP", "visit")]


@pytest.mark.parametrize(("text", "expected"), [
    # the conference in a third country is the place: the session is third-party
    ("2013年6月、小野寺防衛大臣は、シンガポールで開催されたシャングリラ会合の際に、ル・ドリアン仏国防大臣と"
     "日仏防衛相会談を行った。\n", ("シャングリラ会合", "third-party")),
    # a place of the partner's country is the place: a visit
    ("2013年6月、小野寺防衛大臣は、フランスのパリにおいてル・ドリアン仏国防大臣と日仏防衛相会談を行った。\n",
     ("パリ", "visit")),
])
def test_meetings_prose_the_place_in_a_third_country(meet, text, expected):
    assert [(m.venue, m.consult_mode) for m in meet(text).meetings] == [expected]


@pytest.mark.parametrize("text", [
    # a date of the event the meeting answers (written style: …を受け、), then the meeting's own date
    "2017年9月の弾道ミサイル発射を受け、小野寺防衛大臣は、同月、マティス米国防長官と電話会談を行い、連携を確認した。\n",
    "2017年9月の核実験を受けて、小野寺防衛大臣は、同月、マティス米国防長官と電話会談を行った。\n",
])
def test_meetings_prose_the_date_of_the_event_answered_is_not_a_session(meet, text):
    assert [(m.date, m.participants, m.counterparts) for m in meet(text).meetings] == [
        ("2017-09", "JP-小野寺五典|US-ジェームズ・マティス", "US")]


def test_meetings_prose_both_ministers_are_the_people_of_the_session_before(meet):
    doc = meet("2018年3月、小野寺防衛大臣は、ペイン豪国防大臣と電話会談を行った。"
               "同年5月の演習に際しても、両大臣は電話会談を実施し、連携を確認した。\n")
    assert [(m.date, m.participants, m.counterparts) for m in doc.meetings] == [
        ("2018-03", "AU-マリス・ペイン|JP-小野寺五典", "AU"), ("2018-05", "AU-マリス・ペイン|JP-小野寺五典", "AU")]


def test_meetings_prose_both_countries_name_no_people(meet):
    doc = meet("2018年3月、小野寺防衛大臣は、ペイン豪国防大臣と電話会談を行った。"
               "同年5月、両国の防衛当局は日豪防衛当局間協議を実施した。\n")
    assert [(m.date, m.participants) for m in doc.meetings] == [
        ("2018-03", "AU-マリス・ペイン|JP-小野寺五典"), ("2018-05", "")]


def test_meetings_prose_a_caption_of_a_heading_meeting_adds_its_people(meet):
    doc = meet("1 主な会談\n\n（1）日米防衛相会談（2015年4月8日（防衛省））\n\n"
               "会談は、カーター国防長官の就任後初の来日の機会に行われ、協力の強化を確認した。\n\n"
               "日米防衛相会談に臨む中谷防衛大臣とカーター国防長官（2015年4月）\n\n"
               "日米防衛相会談に臨む中谷防衛大臣と\nカーター国防長官（2015年4月）\n", edition="2016")
    assert [(m.date, m.participants, m.source) for m in doc.meetings] == [
        ("2015-04-08", "JP-中谷元|US-アシュトン・カーター", "heading")]


@pytest.mark.parametrize(("text", "expected"), [
    # the next sentence says who chaired it and which countries' ministers took part
    ("2022年5月、防衛省は、第1回日・中東欧諸国防衛相会合をオンライン形式で開催した。同会合では、岸防衛大臣が"
     "議長を務め、ポーランド、チェコ及びハンガリーの国防大臣等が参加した。\n", [("JP-岸信夫", "CZ|HU|PL")]),
    # a country named for another reason is no side
    ("2022年5月、防衛省は、第1回日・中東欧諸国防衛相会合をオンライン形式で開催した。同会合の議題には、"
     "ポーランドの情勢が含まれた。\n", [("", "")]),
])
def test_meetings_prose_chair_and_countries_told_in_the_next_sentence(meet, text, expected):
    assert [(m.participants, m.counterparts) for m in meet(text).meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # …会談も実施した / …協議も開催された: "also held" took place as much as "held"
    ("2018年10月29日、安倍内閣総理大臣はモディ印首相と日印首脳会談を行った。また、同日、小野寺防衛大臣は、"
     "東京においてシタラマン印国防大臣と日印防衛相会談も実施した。\n", ["日印首脳会談", "日印防衛相会談"]),
    ("2018年10月、小野寺防衛大臣はシタラマン印国防大臣と会談した。同月、日印防衛当局間協議も開催された。\n",
     ["会談", "日印防衛当局間協議"]),
    # …も行う予定 / …も実施していく: planned or habitual, not a session
    ("2018年10月、小野寺防衛大臣はシタラマン印国防大臣と会談した。来年には日印防衛相会談も行う予定である。\n", ["会談"]),
    ("2018年10月、小野寺防衛大臣はシタラマン印国防大臣と会談した。両国は日印防衛相会談も実施していくことで一致した。\n",
     ["会談"]),
])
def test_meetings_prose_a_meeting_also_held(meet, text, expected):
    assert [m.title for m in meet(text, edition="2019").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the place written in the meeting's own verb phrase (…会合を東京において開催し)
    ("2019年6月、防衛省は、第2回日・北欧防衛相会合を東京において対面形式で開催し、岩屋防衛大臣が議長を務めた。\n",
     [("東京", "JP")]),
    ("2011年10月には、第3回日ASEAN防衛当局次官級会合を東京で開催し、協力の在り方について議論を行った。\n",
     [("東京", "JP")]),
    # a mode written there is no place
    ("2019年6月、防衛省は、第2回日・北欧防衛相会合をオンライン形式で開催した。\n", [("", "")]),
])
def test_meetings_prose_the_place_in_the_meetings_own_verb_phrase(meet, text, expected):
    assert [(m.venue, m.host) for m in meet(text, edition="2020").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the meeting word alone, nobody named, no date of its own: the session just told, again
    ("2014年2月、ハノイにおいて日越防衛当局次官級協議が開催され、海洋安全保障などについて協議が行われた。\n",
     ["日越防衛当局次官級協議"]),
    # another word (a phone call after a meeting) is another session
    ("2014年2月、小野寺防衛大臣はタイン越国防大臣と会談を行い、同年3月にはタイン国防大臣と電話会談も実施した。\n",
     ["会談", "電話会談"]),
])
def test_meetings_prose_the_word_alone_retells_the_session_just_told(meet, text, expected):
    assert [m.title for m in meet(text, edition="2015").meetings] == expected


def test_meetings_prose_on_the_occasion_of_the_session_told_before(meet):
    doc = meet("（1）日・北欧防衛相会合\n\n2019年6月、第2回日・北欧防衛相会合を東京において開催し、岩屋防衛大臣が議長を"
               "務めた。この会合の際、岩屋防衛大臣は、ノルウェーのバッケイェンセン国防大臣と防衛省において会談し、"
               "協力の推進で一致した。\n", edition="2020")
    assert [(m.date, m.venue, m.host, m.consult_mode) for m in doc.meetings] == [
        ("2019-06", "東京", "JP", "visit"), ("2019-06", "防衛省", "JP", "visit")]


def test_meetings_prose_the_conference_named_again_stays_the_place(meet):
    doc = meet("2013年6月1日、シャングリラ会合の機会に、小野寺防衛大臣はヘーゲル米国防長官と会談を行った。"
               "2014年5月31日にも、同会合の機会に、小野寺防衛大臣はヘーゲル国防長官と会談を行った。\n", edition="2014")
    assert [(m.date, m.venue) for m in doc.meetings] == [("2013-06-01", "シャングリラ会合"), ("2014-05-31", "シャングリラ会合")]


@pytest.mark.parametrize(("text", "expected"), [
    # …会談を行い、…について協議した: what the call discussed, not a second session
    ("2015年3月、中谷防衛大臣はジョンストン豪国防大臣と電話会談を行い、潜水艦協力について協議した。\n", ["電話会談"]),
    # with no session told before it in the sentence, 協議した with a partner is the session
    ("2015年3月、中谷防衛大臣はジョンストン豪国防大臣と、潜水艦協力について協議した。\n", ["協議"]),
    # …を行う方向で調整している: planned
    ("2015年3月、中谷防衛大臣はジョンストン豪国防大臣と会談した。中谷防衛大臣が本年中に豪州を訪問し、ジョンストン"
     "国防大臣と防衛相会談を行う方向で調整している。\n", ["会談"]),
])
def test_meetings_prose_what_a_session_discussed_and_what_is_planned(meet, text, expected):
    assert [m.title for m in meet(text, edition="2015").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a third country's visitor, subject of the sentence before, took no part in the next meeting
    ("2007年5月、ユング独国防大臣が来日し、久間防衛大臣との間で会談を行った。スペインについては、同年6月、"
     "アロンソ西国防大臣との会談を東京で実施した。\n", ["DE-フランツ・ヨーゼフ・ユング|JP-久間章生", "ES-アロンソ"]),
    # the Japanese minister of the account carries over
    ("2007年5月、久間防衛大臣は訪米し、ゲーツ国防長官と会談を行った。同年6月にも、ゲーツ国防長官と電話会談を行った。\n",
     ["JP-久間章生|US-ロバート・ゲイツ", "JP-久間章生|US-ロバート・ゲイツ"]),
])
def test_meetings_prose_who_carries_over_to_the_next_sentence(meet, text, expected):
    assert [m.participants for m in meet(text, edition="2008").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # two dates joined by と share the partner written after the last one
    ("マレーシアとは、中谷防衛大臣が2015年3月と同年11月にヒシャムディン国防大臣と会談を行い、協力の強化を確認した。\n",
     [("2015-03", "JP-中谷元|MY-ヒシャムディン"), ("2015-11", "JP-中谷元|MY-ヒシャムディン")]),
    # the people written before the dates are shared as before
    ("マレーシアとは、中谷防衛大臣とヒシャムディン国防大臣が2015年3月と同年11月に会談を行った。\n",
     [("2015-03", "JP-中谷元|MY-ヒシャムディン"), ("2015-11", "JP-中谷元|MY-ヒシャムディン")]),
])
def test_meetings_prose_dates_joined_share_the_people_after_them(meet, text, expected):
    assert [(m.date, m.participants) for m in meet(text, edition="2016").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the visitor of a visit that is the meeting's occasion took part in it
    ("2019年4月、安倍内閣総理大臣のフランス訪問の機会に日仏首脳会談が行われた。\n", ["JP-安倍晋三"]),
    # a person whose instruction is told took no part
    ("2019年4月、安倍内閣総理大臣の指示を受け、日仏防衛当局間協議が開催された。\n", [""]),
])
def test_meetings_prose_the_visitor_on_whose_visit_it_was_held(meet, text, expected):
    assert [m.participants for m in meet(text, edition="2020").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the date someone took office is no session's: the session has the date written for it
    ("インドネシアとは、2014年10月に就任したリャミザルド国防大臣と江渡防衛大臣が、同年12月に電話会談を行った。\n",
     [("2014-12", "telephone")]),
    ("2015年1月、シンガポールを訪問した江渡防衛大臣は、前年10月に着任したウン・エンヘン国防大臣と会談を行った。\n",
     [("2015-01", "in_person")]),
    # a date of the session itself stays one
    ("インドネシアとは、2014年12月に電話会談を行い、協力の推進で一致した。\n", [("2014-12", "telephone")]),
])
def test_meetings_prose_the_date_someone_took_office_is_not_the_sessions(meet, text, expected):
    assert [(m.date, m.mode) for m in meet(text, edition="2015").meetings] == expected


@pytest.mark.parametrize("text", [
    # planned with its date and place written between the meeting and the verb
    "ドイツとは、ランブレヒト国防大臣との日独防衛相会談を昨年12月にベルリンで開催する予定であったが、延期された。\n",
    "カナダとは、アナンド国防大臣との会談を本年秋に東京で行う方向で調整している。\n",
])
def test_meetings_prose_planned_with_its_date_and_place_between(meet, text):
    assert meet(text, edition="2023").meetings == ()


@pytest.mark.parametrize(("text", "expected"), [
    # a session of the next sentence that another side joins: the people of the session before took part
    ("2019年11月、ADMMプラスの機会に、河野防衛大臣はレイノルズ豪国防大臣と日豪防衛相会談を行った。同会合の機会には、"
     "エスパー米国防長官を交えて日米豪防衛相会談も行われた。\n", ["レイノルズ|河野", "エスパー|レイノルズ|河野"]),
    ("2024年7月、テオドロ比国防大臣が来日し、木原防衛大臣と日比防衛相会談を行った。両大臣は、同月、東京においてオースティン"
     "米国防長官も交えて日米比防衛相会合を開催した。\n", ["テオドロ|木原", "オースティン|テオドロ|木原"]),
    # without a word that it joins the session before, its own people only
    ("2019年11月、河野防衛大臣はレイノルズ豪国防大臣と日豪防衛相会談を行った。同月、河野防衛大臣は"
     "エスパー米国防長官と日米防衛相会談を行った。\n", ["レイノルズ|河野", "エスパー|河野"]),
])
def test_meetings_prose_a_session_joining_the_one_told_before(meet, text, expected):
    got = [m.participants.split("|") for m in meet(text, edition="2025").meetings]
    assert len(got) == len(expected)
    for ids, names in zip(got, expected):  # each named person once, by the name as written
        assert len(ids) == len(names.split("|")) and all(any(n in i for i in ids) for n in names.split("|"))


def test_meetings_prose_on_that_occasion_the_date_and_place_of_the_session_before(meet):
    text = ("2014年6月、シドニーにおいて日豪外務・防衛閣僚協議（「2＋2」）を開催した。その機会に、小野寺防衛大臣は"
            "ジョンストン国防大臣と日豪防衛相会談を行った。\n")
    got = [(m.title, m.date, m.venue, m.host) for m in meet(text, edition="2015").meetings]
    assert got == [("日豪外務・防衛閣僚協議", "2014-06", "シドニー", "AU"), ("日豪防衛相会談", "2014-06", "シドニー", "AU")]


@pytest.mark.parametrize(("text", "expected"), [
    # the conference its subject attended is the place of the session, not a session
    ("2023年6月、シャングリラ会合に出席した浜田防衛大臣は、マールズ豪国防大臣と会談を行った。\n",
     [("会談", "シャングリラ会合", "third-party")]),
    # attended, and nothing else told: the meeting attended is the session
    ("2021年11月、岸防衛大臣は、テレビ会議形式で日ASEAN防衛担当大臣会合に出席し、地域情勢について議論した。\n",
     [("日ASEAN防衛担当大臣会合", "", "phone")]),
])
def test_meetings_prose_the_meeting_its_subject_attended_is_the_place(meet, text, expected):
    assert [(m.title, m.venue, m.consult_mode) for m in meet(text, edition="2023").meetings] == expected


def test_meetings_prose_a_closing_clause_dates_and_names_no_one_of_the_session(meet):
    # the visitor of the clause the session follows (…が訪日した際の宣言を受けて) took no part; the people
    # who attended did
    text = ("2017年8月にメイ首相が訪日した際に発出された「共同宣言」を受けて、同年12月、ロンドンにおいて日英外務・防衛"
            "閣僚会合を開催し、岸田外務大臣及び小野寺防衛大臣とジョンソン外務大臣及びファロン国防大臣が出席した。\n")
    got = [(m.date, m.venue, m.participants.split("|")) for m in meet(text, edition="2018").meetings]
    assert len(got) == 1 and got[0][:2] == ("2017-12", "ロンドン")
    names = got[0][2]
    assert len(names) == 4 and all(any(n in p for p in names) for n in ("岸田", "小野寺", "ジョンソン", "ファロン"))


def test_meetings_prose_the_subject_after_a_closing_clause_takes_part(meet):
    text = "2017年9月の核実験を受けて、小野寺防衛大臣は、同月、マティス米国防長官と電話会談を行った。\n"
    got = [m.participants for m in meet(text, edition="2018").meetings]
    assert len(got) == 1 and "小野寺" in got[0] and "マティス" in got[0]


@pytest.mark.parametrize(("text", "expected"), [
    # a region visited names no host; the country where each session was held does
    ("2023年7月、岸田内閣総理大臣は中東を訪問し、カタールではタミーム首長と、クウェートではミシュアル首相と、"
     "それぞれ首脳会談を行った。\n", [("カタール", "QA", "visit"), ("クウェート", "KW", "visit")]),
])
def test_meetings_prose_a_region_visited_leaves_the_host_to_the_place(meet, text, expected):
    assert [(m.venue, m.host, m.consult_mode) for m in meet(text, edition="2024").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a place written after それぞれ is every session's
    ("稲田防衛大臣は、2016年9月にラオスのチャンサモン国防大臣と、同年10月にはミャンマーのセイン・ウィン国防大臣と、"
     "それぞれ防衛省において会談を行った。\n", [("2016-09", "防衛省"), ("2016-10", "防衛省")]),
    # each session's own place stays its own
    ("稲田防衛大臣は、2016年9月にラオスのチャンサモン国防大臣と東京において、同年10月にはミャンマーのセイン・ウィン"
     "国防大臣と防衛省において、それぞれ会談を行った。\n", [("2016-09", "東京"), ("2016-10", "防衛省")]),
])
def test_meetings_prose_a_place_after_each_is_every_sessions(meet, text, expected):
    assert [(m.date, m.venue) for m in meet(text, edition="2017").meetings] == expected


def test_meetings_prose_dates_with_their_own_places_share_the_partner_after_them(meet):
    text = ("マレーシアとは、中谷防衛大臣が2015年3月にクアラルンプールで、同年11月に東京で、ヒシャムディン国防大臣と"
            "日マレーシア防衛相会談を行った。\n")
    got = [(m.date, m.venue, m.participants) for m in meet(text, edition="2016").meetings]
    assert got == [("2015-03", "クアラルンプール", "JP-中谷元|MY-ヒシャムディン"),
                   ("2015-11", "東京", "JP-中谷元|MY-ヒシャムディン")]


def test_meetings_prose_a_dated_caption_shows_a_session_of_its_own(meet):
    # the prose tells the visitor's talks with the prime minister; the photo, dated, his talks with the
    # defence minister: two sessions of one visit
    text = ("2019年4月、スタヴリディスNATO事務総長代理が来日し、安倍内閣総理大臣と会談を行った。\n\n"
            "来日したスタヴリディスNATO事務総長代理と会談する岩屋防衛大臣（2019年4月）\n")
    got = [(m.source, m.participants.split("|")) for m in meet(text, edition="2020").meetings]
    assert [s for s, _ in got] == ["prose", "caption"]
    assert any("安倍" in p for p in got[0][1]) and any("岩屋" in p for p in got[1][1])
    assert all(any("スタヴリディス" in p for p in ps) and len(ps) == 2 for _, ps in got)


def test_meetings_prose_a_caption_of_the_session_told_is_the_same_session(meet):
    text = ("2019年4月、スタヴリディスNATO事務総長代理が来日し、岩屋防衛大臣と会談を行った。\n\n"
            "来日したスタヴリディスNATO事務総長代理と会談する岩屋防衛大臣（2019年4月）\n")
    got = [(m.source, m.participants) for m in meet(text, edition="2020").meetings]
    assert len(got) == 1 and got[0][0] == "prose"


def test_meetings_prose_a_meeting_named_in_a_clause_of_its_own_is_not_the_place(meet):
    # 同会談で… is where the policy was confirmed, not where the talks after it were held
    text = ("2009年11月、北澤防衛大臣は、防衛省において梁光烈国防部長と日中防衛相会談を行った。同会談で確認された方針を"
            "受けて、2010年1月には、東京において日中防衛当局間協議を開催した。\n")
    got = [(m.title, m.venue, m.host) for m in meet(text, edition="2010").meetings]
    assert got == [("日中防衛相会談", "防衛省", "JP"), ("日中防衛当局間協議", "東京", "JP")]


@pytest.mark.parametrize(("text", "expected"), [
    # one visit, two sessions of the visitor: Japan hosts both
    ("2023年1月、ストルテンベルグNATO事務総長が来日し、岸田内閣総理大臣を表敬したほか、浜田防衛大臣と会談を行った。\n",
     [("表敬", "JP", "visit"), ("会談", "JP", "visit")]),
    # a telephone talk after it is no part of the visit
    ("2023年1月、ストルテンベルグNATO事務総長が来日し、岸田内閣総理大臣を表敬したほか、浜田防衛大臣と電話会談を行った。\n",
     [("表敬", "JP", "visit"), ("電話会談", "", "phone")]),
])
def test_meetings_prose_the_sessions_of_one_visit_share_its_host(meet, text, expected):
    assert [(m.title, m.host, m.consult_mode) for m in meet(text, edition="2023").meetings] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # talks to go on (協議していく) are no session; the call that agreed on them is
    ("2006年2月、額賀防衛庁長官はラムズフェルド国防長官と電話会談を行い、経費の分担について引き続き協議していくことで"
     "一致した。\n", ["電話会談"]),
    # a topic the government discussed, nobody named: no session
    ("2012年4月、政府は安全保障会議を開催し、我が国の対応について協議した。\n", []),
    # attending the meeting is the purpose of the visit, not a session; the talks are
    ("2024年3月、木原防衛大臣は、同会合に参加するため来日したジョセフ・パプアニューギニア国防大臣と防衛省において会談を"
     "行った。\n", ["会談"]),
    # held for the first time: the named talks are the session
    ("メキシコとは、2023年、東京において日メキシコ防衛当局間協議を初めて実施し、交流の枠組みについて協議した。\n",
     ["日メキシコ防衛当局間協議"]),
    # talks that have been held (会談している) stay a session
    ("2008年5月、石破防衛大臣は、インドネシアのユウォノ国防相とも電話で会談している。\n", ["会談"]),
])
def test_meetings_prose_what_is_no_session_beside_one(meet, text, expected):
    assert [m.title for m in meet(text, edition="2024").meetings] == expected


def test_meetings_prose_a_visit_told_alone_dates_and_names_the_talks_after_it(meet):
    text = ("2018年8月、大野防衛大臣政務官は、ソロモン諸島及びバヌアツを訪問した。ホニアラではマネレ外務大臣と会談を行い、"
            "協力の推進で一致した。ポートビラでは、レゲンバヌ外務大臣と会談した。\n")
    got = [(m.date, m.participants) for m in meet(text, edition="2019").meetings]
    assert [d for d, _ in got] == ["2018-08", "2018-08"]
    assert all("大野" in p and len(p.split("|")) == 2 for _, p in got)


def test_meetings_prose_a_visit_told_alone_dates_no_talks_with_nobody_named(meet):
    text = "2018年8月、大野防衛大臣政務官は、ソロモン諸島を訪問した。実務者の協議としては、防衛当局間協議も開催された。\n"
    assert [m.date for m in meet(text, edition="2019").meetings] == []
