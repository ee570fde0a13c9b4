"""meetings.participant_names: the participants as written at the meeting, in the order of `participants`."""
from __future__ import annotations

import pytest

from pipeline.document import Document


@pytest.mark.parametrize(("text", "expected"), [
    ("2019年9月、河野防衛大臣はインドを訪問し、ラジナート・シン印国防大臣と会談を行った。",
     [("IN-ラジナート・シン|JP-河野太郎", "ラジナート・シン印国防大臣|河野防衛大臣")]),
    # the short form used at the meeting, not the first (longer) mention of the person
    ("2021年3月、岸防衛大臣はオースティン米国防長官と共にブリンケン米国務長官を迎えた。\n"
     "2021年5月、岸大臣は、オースティン長官と電話会談を実施し、連携の強化で一致した。",
     [("JP-岸信夫|US-ロイド・オースティン", "岸大臣|オースティン長官")]),
    # two sessions: each names the people of its own sentence
    ("2020年8月、河野防衛大臣は、テレビ会議形式でレイノルズ豪国防大臣と会談を行った。"
     "同年10月、レイノルズ国防大臣が訪日し、岸防衛大臣と会談を行った。",
     [("AU-リンダ・レイノルズ|JP-河野太郎", "レイノルズ豪国防大臣|河野防衛大臣"),
      ("AU-リンダ・レイノルズ|JP-岸信夫", "レイノルズ国防大臣|岸防衛大臣")]),
    # a heading meeting: the people of its heading and body
    ("1 日豪防衛協力\n(1)日豪防衛相会談(19(平成31)年4月5日(防衛省))\n"
     "ペイン豪国防大臣は、19(平成31)年4月に来日し、岩屋防衛大臣と会談を行った。\n",
     # (the registry: Payne was no longer defence minister in 2019-04: her fallback id)
     [("AU-ペイン|JP-岩屋毅", "ペイン豪国防大臣|岩屋防衛大臣")]),
])
def test_meetings_participant_names_as_written(extractor, text, expected):
    doc = extractor.extract(Document("2023/test", "2023", text))
    assert [(m.participants, m.participant_names) for m in doc.meetings] == expected
