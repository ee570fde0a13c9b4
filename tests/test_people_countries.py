"""People: the country of an office holder written without a marker right before the title —
from the office itself, "Xの" before the name, a mention joined by および, the country visited,
the paragraph's partner and the section heading, each only where the office fits the country.

The names, countries and sentences are made up for these tests (none is in a development set)."""
from __future__ import annotations

import pytest

from pipeline.stages.people import PeopleStage, PersonIdRules, name_key


def people(run_text, text: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.title, p.country) for p in run_text(text).people]


@pytest.mark.parametrize("text, expected", [
    # an office only one country has gives that country
    ("岸防衛大臣は、ヒックス国防副長官と会談した。", ("ヒックス", "国防副長官", "US")),
    ("、ブリンケン国務長官と会談した。", ("ブリンケン", "国務長官", "US")),
    ("、李鍾燮国防部長官と会談した。", ("李鍾燮", "国防部長官", "KR")),
    ("、ルコルニュ軍隊大臣と会談した。", ("ルコルニュ", "軍隊大臣", "FR")),
    # 国防長官: the United States unless the text says the Philippines
    ("、ヘグセス国防長官と会談した。", ("ヘグセス", "国防長官", "US")),
    ("守屋事務次官はフィリピンを訪問し、テオドロ国防長官と会談した。", ("テオドロ", "国防長官", "PH")),
    # a reading in brackets after a kanji name, no marker
    ("大野防衛庁長官は、尹光雄(ユン・グァンウン)国防部長官と会談した。", ("尹光雄", "国防部長官", "KR")),
])
def test_people_country_from_the_office(run_text, text, expected):
    assert expected in people(run_text, text)


@pytest.mark.parametrize("text, expected", [
    # "Xの" before the name
    ("岸防衛大臣は、エストニアのペブクル国防大臣と会談した。", [("ペブクル", "国防大臣", "EE")]),
    ("同年、スイスのアムヘルト国防大臣が来日した。", [("アムヘルト", "国防大臣", "CH")]),
    # a country written before the name's ・ (the name is what follows it)
    ("会議には、ポーランド・コシニャククミシュ国防相も参加した。", [("コシニャククミシュ", "国防相", "PL")]),
    # several "Xの" in a list, and a mention joined by および that takes the one before it
    ("防衛大臣政務官は、オランダのブラント国防大臣、ノルウェーのグラム国防大臣およびスンデ国防次官と会談した。",
     [("ブラント", "国防大臣", "NL"), ("グラム", "国防大臣", "NO"), ("スンデ", "国防次官", "NO")]),
])
def test_people_country_from_a_marker_before_the_name(run_text, text, expected):
    got = people(run_text, text)
    assert [g for g in got if g[1] != "防衛大臣政務官" and g[0] != "岸"] == expected


@pytest.mark.parametrize("text, expected", [
    # the country visited, in the same sentence, before the mention
    ("石井防衛大臣はスペインを訪問し、ロブレス国防大臣と会談した。", ("ロブレス", "国防大臣", "ES")),
    ("昨年9月、井上長官はケニアを訪問し、オモンディ国防大臣と会談した。", ("オモンディ", "国防大臣", "KE")),
    ("同月、訪英した林防衛大臣は、ヒーリー国防大臣と会談した。", ("ヒーリー", "国防大臣", "GB")),
    ("ペルー訪問に際しては、オテロ国防大臣の配慮により、会談が実現した。", ("オテロ", "国防大臣", "PE")),
    # a Japanese office after a katakana name is that office of the visited country
    ("防衛事務次官はスペインを訪問し、ロブレス防衛大臣を表敬した。", ("ロブレス", "防衛大臣", "ES")),
    # the partner of the paragraph, and a sentence about one country
    ("ポーランドとの間では、昨年、ブワシュチャク国防大臣が来日した。", ("ブワシュチャク", "国防大臣", "PL")),
    ("チリとは、本年3月に林防衛大臣が訪問し、フェルナンデス国防大臣と会談した。", ("フェルナンデス", "国防大臣", "CL")),
    ("ケニアでは、オモンディ国防次官と意見交換した。", ("オモンディ", "国防次官", "KE")),
    # a partner named in the section heading
    ("3 スペインとの防衛協力・交流\n\n岸防衛大臣は、ロブレス国防大臣と会談した。\n", ("ロブレス", "国防大臣", "ES")),
    ("1 ブラジル\n\n陸上幕僚長が訪問し、ルーラ大統領を表敬した。\n", ("ルーラ", "大統領", "BR")),
    ("(1)日米防衛相会談\n\n岸防衛大臣は、オースティン長官と会談した。\n", ("オースティン", "長官", "US")),
])
def test_people_country_from_context(run_text, text, expected):
    assert expected in people(run_text, text)


@pytest.mark.parametrize("text, expected", [
    # the office does not fit the heading's partner: an American 国防大臣 or 事務総長 does not exist
    ("(1)日米防衛相会談\n\n岸防衛大臣は、ウォン国防大臣とも会談した。\n", ("ウォン", "国防大臣", "")),
    ("(1)日米防衛相会談\n\n岸防衛大臣は、ストルテンベルグ事務総長とも会談した。\n", ("ストルテンベルグ", "事務総長", "")),
    ("(1)日米防衛相会談\n\n岸防衛大臣は、ルッテNATO事務総長とも会談した。\n", ("ルッテ", "事務総長", "")),
    # several countries visited: no guess
    ("石井防衛大臣はタイおよびマレーシアを訪問し、ハサン国防大臣と会談した。", ("ハサン", "国防大臣", "")),
    # the visit comes after the mention
    ("石井防衛大臣はロブレス国防大臣と会談した後、スペインを訪問した。", ("ロブレス", "国防大臣", "")),
    # a partner that is an organisation gives no country
    ("NATOとの間では、ロブレス国防大臣が来日した。", ("ロブレス", "国防大臣", "")),
    # a katakana name is not Japanese: a bare 外務大臣 after one is not JP
    ("岸防衛大臣は、マカリー外務大臣と会談した。", ("マカリー", "外務大臣", "")),
    # 訪日 says where the meeting was, not whose office it is
    ("同年、訪日したバウシュ国防大臣は、岸防衛大臣と会談した。", ("バウシュ", "国防大臣", "")),
])
def test_people_country_context_only_where_the_office_fits(run_text, text, expected):
    assert expected in people(run_text, text)


@pytest.mark.parametrize("text, expected", [
    ("昨年9月、石破長官(当時)は訪問した。", ("石破", "長官", "JP", True)),
    ("本年1月、西村防衛庁長官政務官が訪問した。", ("西村", "防衛庁長官政務官", "JP", False)),
    ("本年1月、中島政務官が出席した。", ("中島", "政務官", "JP", False)),
    ("、鈴木防衛審議官が出席した。", ("鈴木", "防衛審議官", "JP", False)),
    ("、島田事務次官が出席した。", ("島田", "事務次官", "JP", False)),
    ("、湯浅陸幕長と山村海幕長が出席した。", ("山村", "海幕長", "JP", False)),
    ("、井筒空幕長が出席した。", ("井筒", "空幕長", "JP", False)),
    ("2024年10月、小泉大臣は会合に出席した。", ("小泉", "大臣", "JP", False)),
    ("、稲田前防衛大臣が出席した。", ("稲田", "防衛大臣", "JP", True)),
    ("、カーター元米国防長官が来日した。", ("カーター", "国防長官", "US", True)),
    ("、ヒーリー英元国防大臣が来日した。", ("ヒーリー", "国防大臣", "GB", True)),
    ("、グテーレス国連事務総長と会談した。", ("グテーレス", "事務総長", "", False)),
    ("、パパロ米インド太平洋軍司令官と会談した。", ("パパロ", "インド太平洋軍司令官", "US", False)),
    # an office no rule lists, after a foreign (katakana) name
    ("、ナイドゥ国防担当閣外国務大臣と会談した。", ("ナイドゥ", "国防担当閣外国務大臣", "", False)),
    ("、バイヤー・ドイツ海軍総監と懇談した。", ("バイヤー", "海軍総監", "DE", False)),
])
def test_people_offices_of_other_eras_and_ranks(run_text, text, expected):
    assert expected in [(p.name, p.title, p.country, p.former) for p in run_text(text).people]


@pytest.mark.parametrize("text", [
    "クウェート、アラブ首長国連邦などと交流している。",
    "トンガ国防大臣と会談した。",
    "ペルー国防大臣が来日した。",
    "済南軍区司令官を代表とする代表団が訪日した。",
    "環境大臣が出席した。",
    "ハガティ駐日米国大使が出席した。",
    "米ミサイル防衛庁長官が来日した。",
])
def test_people_country_names_and_offices_alone_are_no_people(run_text, text):
    assert run_text(text).people == ()


IDS = PersonIdRules(family_name_first=("リー", "キム", "グエン"), particles=("ル", "フォン", "デア"))


@pytest.mark.parametrize("name, key", [
    ("リー・シェンロン", "リー"),  # East Asian order: the family name first
    ("キム・ヨンヒョン", "キム"),
    ("グエン・タン・ズン", "グエン"),
    ("マイク・ペンス", "ペンス"),  # Western order: the family name last
    ("ジャン=イヴ・ル・ドリアン", "ル・ドリアン"),  # particles belong to the family name
    ("フォン・デア・ライエン", "フォン・デア・ライエン"),
    ("クランプ=カレンバウアー", "クランプ=カレンバウアー"),  # = joins one name
    ("アンネグレート・クランプ＝カレンバウアー", "クランプ=カレンバウアー"),
    ("ペンス", "ペンス"),
])
def test_people_name_key_is_the_family_name(name, key):
    assert name_key(name, IDS) == key


def test_people_full_and_short_names_share_an_id(run_text):
    doc = run_text("岸防衛大臣は、リー・シェンロン星首相と会談した。リー首相は述べた。"
                   "クランプ=カレンバウアー独国防大臣は、アンネグレート・クランプ=カレンバウアー国防大臣とも呼ばれる。")
    ids = {p.name: p.person_id for p in doc.people}
    assert ids["リー・シェンロン"] == ids["リー"] == "SG-リー・シェンロン"
    assert ids["クランプ=カレンバウアー"] == ids["アンネグレート・クランプ=カレンバウアー"]


def test_people_a_ginza_person_lets_a_foreign_name_take_an_unknown_office(rules):
    """What NER feeds in: a name GiNZA reads as a Person may take an office pattern that otherwise
    needs a marker or a katakana name (checked on the stage itself: rule tests load no model)."""
    stage = PeopleStage(rules)
    text = "王毅国防産業大臣"
    title_at = stage.title_starts(text)
    assert stage.best_tail(text, 2, title_at, foreign=False) is None
    tail = stage.best_tail(text, 2, title_at, foreign=True)
    assert tail is not None and text[tail.title_start:tail.title_end] == "国防産業大臣"
