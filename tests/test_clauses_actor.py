"""Clause actors: `both` for joint subjects, the speaker's person for Xから/Xは statements."""
from __future__ import annotations

import pytest


def actors(doc) -> list[tuple[str, str]]:
    """(predicate, actor) with person actors shown by the name of their person mention."""
    names = {p.person_id: p.name for p in doc.people}
    return [(c.text, c.actor if c.actor == "both" else names.get(c.actor, "?" + c.actor)) for c in doc.clauses]


@pytest.mark.parametrize("text, expected", [
    ("四閣僚は、日米安全保障条約第5条が尖閣諸島に適用されることを改めて確認した。", [("改めて確認した", "both")]),
    ("三閣僚は、北朝鮮の挑発行為を強く非難する旨表明した。", [("表明した", "both")]),
    ("両大臣は、協力を進めていくことを確認した。", [("確認した", "both")]),
    ("会談では、防衛当局間の意思疎通を継続していくことが確認された。", [("確認された", "both")]),
    # joint subject AとBは
    ("小野寺防衛大臣とロレンザーナ比国防大臣は、海洋秩序を維持することが重要であるとの認識を共有した。",
     [("認識を共有した", "both")]),
    # speaker with から / からは / は
    ("マティス米国防長官から、米国は日本の防衛にコミットしている旨強調した。", [("旨強調した", "マティス")]),
    ("ロレンザーナ比国防大臣からは、わが国の支援に対して謝意が表明された。", [("表明された", "ロレンザーナ")]),
    ("ウィリアムソン英国防大臣は、「防衛協力が一層深まることを歓迎する」旨述べた。", [("旨述べた", "ウィリアムソン")]),
    # a unilateral statement followed by a joint agreement in one sentence
    ("稲田防衛大臣から、南シナ海における米軍の取組を支持する旨述べ、両閣僚は、関与を強化していくことで一致した。",
     [("旨述べ", "稲田"), ("一致した", "both")]),
    ("小野寺防衛大臣から、英国の協力を要請し、協力していくことで一致した。", [("要請し", "小野寺"), ("一致した", "both")]),
    # the speaker holds for a second statement of the same sentence
    ("安倍内閣総理大臣から、米国の抑止力が地域安定の鍵である旨述べ、南シナ海に関し、作戦を強く支持する旨述べた。",
     [("旨述べ", "安倍"), ("旨述べた", "安倍")]),
    # Aは、…Bとの間で… makes the clause joint
    ("安倍内閣総理大臣は、オバマ米大統領(当時)との間で首脳会談を実施し、同盟の価値が変わらないことを確認した。",
     [("確認した", "both")]),
    # 同大臣 / 同氏 refer back to the nearest earlier person with that title
    ("レイノルズ豪国防大臣と会談した。同大臣から、協力を深めたい旨述べた。", [("旨述べた", "レイノルズ")]),
    ("双方は、共同訓練を拡充していくことで一致した。", [("一致した", "both")]),
    ("両防衛相は、連携の重要性を確認した。", [("確認した", "both")]),
    ("マティス米国防長官から、見本である旨発言した。", [("旨発言した", "マティス")]),
    # a sentence with no subject carries the previous one over
    ("両閣僚は、連携していくことで一致した。普天間飛行場の辺野古移設が唯一の解決策であるとの立場を共有した。",
     [("一致した", "both"), ("立場を共有した", "both")]),
])
def test_actor(run_text, text, expected):
    assert actors(run_text(text)) == expected


def test_actor_rule_ids_in_rule_column(run_text):
    doc = run_text("マティス米国防長官から、揺るぎない旨強調した。")
    assert [c.rule for c in doc.clauses] == ["clause.state.kyocho+actor.person_from"]
