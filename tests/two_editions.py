"""Two small documents of two editions, written for the tests of the joins, the workbook and the report:
each numbers its meetings from 1 again (ids restart per document), with US talks in both."""
from __future__ import annotations

from pathlib import Path

DOCS = {
    "2020/a": ("1 日印・日米の防衛協力\n"
               "2019年9月、河野防衛大臣はインドを訪問し、ラジナート・シン印国防大臣と会談を行った。"
               "両大臣は、防衛協力の強化で一致した。\n"
               "2019年11月、河野防衛大臣は、エスパー米国防長官と電話会談を実施し、緊密な連携の継続を確認した。\n"),
    "2021/b": ("1 日米・日仏の防衛協力\n"
               "2021年5月12日、岸防衛大臣は、オースティン米国防長官と電話会談を実施し、同盟の抑止力の強化で一致した。\n"
               "2021年6月、岸防衛大臣はフランスを訪問し、パルリ仏軍事大臣と会談を行った。"
               "両大臣は、共同訓練の拡大を歓迎した。\n"
               "=2021年7月の予定\n"),
}


def write_raw(folder: Path) -> Path:
    for doc_id, text in DOCS.items():
        path = folder / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
