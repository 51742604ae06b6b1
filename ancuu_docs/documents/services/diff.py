"""Word-level comparison of two versions' extracted text."""

from __future__ import annotations

import difflib
import re

from ...auth.models import User
from ..commands import Comparison
from .reading import get_version

_WORD_OR_BREAK = re.compile(r"\n|[^\s]+")


def diff_versions(actor: User, document_id: int, versions: Comparison) -> dict:
    old = get_version(actor, document_id, versions.old)
    new = get_version(actor, document_id, versions.new)
    ops = diff_words(old.text, new.text)
    return {
        "document_id": document_id,
        "from": old.n,
        "to": new.n,
        "ops": ops,
        "inserted_words": sum(len(op["text"].split()) for op in ops if op["op"] == "insert"),
        "deleted_words": sum(len(op["text"].split()) for op in ops if op["op"] == "delete"),
    }


def diff_words(old: str, new: str) -> list[dict]:
    """Word-level opcodes; line breaks are tokens of their own so paragraphs stay apart."""
    a, b = _WORD_OR_BREAK.findall(old), _WORD_OR_BREAK.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    ops: list[dict] = []

    def emit(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        if ops and ops[-1]["op"] == op:
            ops[-1]["text"] = _join_tokens([ops[-1]["text"], *tokens])
        else:
            ops.append({"op": op, "text": _join_tokens(tokens)})

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", a[i1:i2])
        else:
            emit("delete", a[i1:i2])
            emit("insert", b[j1:j2])
    return ops


def _join_tokens(tokens: list[str]) -> str:
    out = ""
    for token in tokens:
        if out and not out.endswith("\n") and token != "\n":
            out += " "
        out += token
    return out
