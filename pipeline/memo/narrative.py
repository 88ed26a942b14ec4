"""叙述摘要: each narrative cell's length against its printed limit and its key terms.

Length is counted as the form counts 字 (characters other than white space,
``pipeline.model.text.char_count``).  Key terms are jieba's TF-IDF keywords (nouns and verbal
nouns); jieba ships its dictionary and IDF table, nothing is downloaded.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.model import Catalogue, Extraction
from pipeline.model.text import char_count

from .wording import field_label

KEYWORDS = 6
PLAN_KEYWORDS = 10
KEY_POS = ("n", "nz", "nt", "ns", "nr", "vn", "v", "eng")
# Words every narrative of this scheme uses: true of all dossiers, so no help to an expert.
COMMON = frozenset({"集群", "企业", "中小企业", "开展", "建立", "提升", "推进", "实现", "提供", "服务",
                    "发展", "建设", "推动", "加强", "形成", "情况", "工作", "年", "有限公司"})


@lru_cache(maxsize=1)
def _jieba():
    import importlib

    from pipeline.model.words import jieba
    jieba()                                  # the dictionary loaded, the log quiet
    return importlib.import_module("jieba.analyse")


def warm_up() -> None:
    """Load jieba's dictionary now (a batch does it once before forking its workers)."""
    _jieba()


def key_terms(text: str, k: int = KEYWORDS) -> list[str]:
    if not text or not text.strip():
        return []
    terms = _jieba().extract_tags(text, topK=k + len(COMMON), allowPOS=KEY_POS)
    return [t for t in terms if t not in COMMON and not t.isdigit()][:k]


def narrative_rows(ext: Extraction, cat: Catalogue) -> list[dict]:
    rows = []
    for spec in cat.specs:
        if spec.type != "text" or not spec.limit:
            continue
        fv = ext.fields.get(spec.id)
        if fv is None:
            continue
        text = fv.value if isinstance(fv.value, str) else ""
        n = char_count(text)
        rows.append({"id": spec.id, "label": field_label(cat, spec.id), "chars": n, "limit": spec.limit,
                     "over": n > spec.limit, "empty": n == 0,
                     "ratio": min(n / spec.limit, 1.5) if spec.limit else 0,
                     "keywords": key_terms(text, PLAN_KEYWORDS if spec.limit > 1000 else KEYWORDS)})
    return rows
