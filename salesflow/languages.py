"""The languages salesflow writes documents in (`lead edit --doc-lang`, `quote render --lang`)."""

from __future__ import annotations

from salesflow.errors import SalesflowError
from salesflow.i18n import _

DOC_LANGS = ("zh_CN", "en")


def check_doc_lang(text: str) -> str:
    """`zh_CN` or `en` (also read: zh, zh-CN, cn, chinese, english)."""
    key = text.strip().lower().replace("-", "_")
    found = {"zh_cn": "zh_CN", "zh": "zh_CN", "cn": "zh_CN", "chinese": "zh_CN", "中文": "zh_CN",
             "en": "en", "english": "en", "英文": "en"}.get(key)  # fmt: skip
    if found is None:
        raise SalesflowError(_('document language "{text}" is not zh_CN or en').format(text=text))
    return found
