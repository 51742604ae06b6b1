"""Rendering DOCX templates with docxtpl in a sandboxed Jinja environment.

Uploaded templates are checked before they are kept: Jinja syntax, no import/include/
extends, no attribute or item starting with "_" (the way out of a sandbox), only known
filters and tests, and a trial render in the sandbox with sample values.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from docx.shared import Mm
from docxtpl import DocxTemplate
from flask import current_app
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..documents.types import DOC_TYPES
from ..errors import InvalidInput
from ..timeutil import vietnamese_date
from .bounded import run_bounded, too_big_message

# What every template may use besides its declared fields (filled in by the engine).
CONTEXT_NAMES = frozenset({"org", "number_line", "draft", "version", "doc_type", "doc_type_name", "issue"})

_HEADING1 = re.compile(r"^[IVXLC]+[-.]\s")
_HEADING2 = re.compile(r"^\d+(?:\.\d+)*\.\s")
_HEADING3 = re.compile(r"^[a-zđ]\)\s")
_BULLET = re.compile(r"^[-–•+]\s")


def sections(value: object) -> list[dict]:
    """Body text (or a list of blocks) as blocks: heading1 "I-", heading2 "1.", heading3
    "a)", bullet "-", paragraph; each becomes one styled paragraph in the document."""
    if isinstance(value, list):
        blocks = []
        for item in value:
            if isinstance(item, dict) and "text" in item:
                blocks.append(
                    {"kind": str(item.get("kind") or _kind(str(item["text"]))), "text": str(item["text"])}
                )
            else:
                blocks.extend(sections(str(item)))
        return blocks
    return [{"kind": _kind(line), "text": line} for line in lines(value)]


# A numbered line this long, or ending like a sentence, is an item of the body, not a heading.
SHORT_HEADING = 80


def _kind(line: str) -> str:
    if _HEADING1.match(line):
        return "heading1"
    if _HEADING2.match(line):
        short = len(line) <= SHORT_HEADING and not line.rstrip().endswith((".", ";", ","))
        return "heading2" if short else "item"
    if _HEADING3.match(line):
        return "heading3"
    if _BULLET.match(line):
        return "bullet"
    return "paragraph"


def lines(value: object) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def clock(value: object) -> str:
    """08:30 -> "08 giờ 30 phút"."""
    match = re.match(r"^\s*(\d{1,2})[:hg.]\s*(\d{2})", str(value or ""))
    if not match:
        return str(value or "")
    return f"{int(match.group(1)):02d} giờ {match.group(2)} phút"


def _count(value: object) -> int | None:
    match = re.match(r"^\s*(\d+)", str(value if value is not None else ""))
    return int(match.group(1)) if match else None


def vote(row: object, present: object) -> str:
    """A vote in the minutes' words: "13/14 đồng chí có mặt tán thành (92,86%); …", and
    "thống nhất 100%" only when everyone present voted in favour."""
    row = row if isinstance(row, dict) else {}
    ayes, noes, abstains, total = (
        _count(row.get("in_favour")),
        _count(row.get("against")),
        _count(row.get("abstaining")),
        _count(present),
    )
    if ayes is None or not total:
        return str(row.get("in_favour") or "")
    if ayes == total:
        return f"{ayes}/{total} đồng chí có mặt tán thành, thống nhất 100%"
    share = f"{ayes * 100 / total:.2f}".replace(".", ",")
    parts = [f"{ayes}/{total} đồng chí có mặt tán thành ({share}%)"]
    parts.append(f"{noes or 0} đồng chí không tán thành")
    parts.append(f"{abstains or 0} đồng chí không biểu quyết")
    return "; ".join(parts)


def vn_date(value: object) -> str:
    if isinstance(value, date):
        return vietnamese_date(value)
    try:
        return vietnamese_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def make_environment(**options) -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, **options)
    env.filters.update(
        {"vn_date": vn_date, "sections": sections, "lines": lines, "clock": clock, "vote": vote}
    )
    env.globals.pop("lipsum", None)  # lipsum(20000): pages of nothing, at no cost to the author
    return env


def render(template: bytes, context: dict) -> bytes:
    """Fill a DOCX template; the page margins come from the settings."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=make_environment(), autoescape=True)
    config = current_app.config
    for section in document.docx.sections:
        section.top_margin = Mm(config["MARGIN_TOP_MM"])
        section.bottom_margin = Mm(config["MARGIN_BOTTOM_MM"])
        section.left_margin = Mm(config["MARGIN_LEFT_MM"])
        section.right_margin = Mm(config["MARGIN_RIGHT_MM"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ checking uploads

_FORBIDDEN_TAG = re.compile(r"\{%-?\s*(import|from|include|extends|macro|call)\b")


@dataclass(frozen=True)
class TemplateReport:
    placeholders: list[str]


def _jinja_sources(template: bytes) -> list[str]:
    """The Jinja text of the body, headers and footers, as docxtpl will render it."""
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.init_docx()
    except Exception as exc:
        raise InvalidInput("Không mở được tệp mẫu DOCX.", field="file") from exc
    sources = [document.patch_xml(document.get_xml())]
    for part in document.docx.part.package.iter_parts():
        name = str(part.partname)
        if re.match(r"^/word/(header|footer)\d*\.xml$", name):
            sources.append(document.patch_xml(part.blob.decode("utf-8")))
    return sources


def check_template(template: bytes, sample: dict) -> TemplateReport:
    """Refuse a template that would not render safely; list the placeholders it uses."""
    env = make_environment()
    placeholders: set[str] = set()
    for source in _jinja_sources(template):
        forbidden = _FORBIDDEN_TAG.search(source)
        if forbidden:
            raise InvalidInput(
                f"Mẫu không được dùng lệnh «{forbidden.group(1)}» (import, include, extends, macro).",
                field="file",
            )
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            raise InvalidInput(syntax_message(exc), field="file") from exc
        _check_tree(tree, env)
        placeholders |= meta.find_undeclared_variables(tree)
    # Try it: every placeholder gets a value, and anything undefined after that (the sandbox's
    # answer to an unsafe access among others) fails instead of printing nothing.
    context = {**{name: "mẫu" for name in placeholders}, **engine_context("NQ", version=1), **sample}
    run_bounded(lambda: _trial_render(template, context))
    return TemplateReport(placeholders=sorted(placeholders - CONTEXT_NAMES))


# Jinja's syntax errors, as a template author reads them in Vietnamese (Jinja says them in
# English); the line is Jinja's line in the part of the DOCX where the error is.
_QUOTED = re.compile(r"'([^']*)'")
_SYNTAX_MESSAGES = (
    (re.compile(r"Encountered unknown tag '([^']*)'"), "lệnh «{0}» không có (hoặc thiếu lệnh mở tương ứng)"),
    (re.compile(r"Jinja was looking for the following tags: (.*?)\. The innermost"), "thiếu thẻ đóng ({0})"),
    (re.compile(r"unexpected end of template"), "mẫu hết khi một thẻ {{{{ … }}}} hoặc {{% … %}} chưa đóng"),
    (re.compile(r"expected token '([^']*)', got '([^']*)'"), "cần «{0}» nhưng gặp «{1}»"),
    (re.compile(r"unexpected '([^']*)'"), "«{0}» không đúng chỗ"),
    (re.compile(r"unexpected char '([^']*)'"), "ký tự «{0}» không dùng được trong thẻ"),
    (re.compile(r"tag name expected"), "thiếu tên lệnh sau «{{%»"),
    (re.compile(r"Expected an expression"), "thiếu biểu thức trong thẻ"),
)


_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "hết mẫu"}


def syntax_message(exc: TemplateSyntaxError) -> str:
    english = exc.message or ""
    for pattern, vietnamese in _SYNTAX_MESSAGES:
        found = pattern.search(english)
        if found:
            groups = [_TOKENS.get(g, g).replace("'", "").replace(" or ", " hoặc ") for g in found.groups()]
            what = vietnamese.format(*groups)
            break
    else:
        what = "cách viết thẻ {{ … }} hoặc {% … %} chưa đúng"
    return f"Mẫu có lỗi cú pháp ở dòng {exc.lineno}: {what}."


def used_names(template: bytes) -> set[str]:
    """Every name a template reads, the engine's included."""
    env = make_environment()
    names: set[str] = set()
    for source in _jinja_sources(template):
        names |= meta.find_undeclared_variables(env.parse(source))
    return names


def _trial_render(template: bytes, context: dict) -> bytes:
    trial = make_environment(undefined=StrictUndefined)
    limit = current_app.config["TEMPLATE_OUTPUT_BYTES"]
    size = 0
    try:
        for source in _jinja_sources(template):
            size += len(trial.from_string(source).render(context).encode())
            if size > limit:
                raise InvalidInput(too_big_message(limit), field="file")
    except SecurityError as exc:
        raise InvalidInput("Mẫu có biểu thức không an toàn (truy cập bị chặn).", field="file") from exc
    except (MemoryError, InvalidInput):
        raise
    except UndefinedError as exc:
        name = _QUOTED.search(str(exc))
        named = f": «{name.group(1)}»" if name else ""
        raise InvalidInput(f"Mẫu dùng tên chưa có giá trị{named}.", field="file") from exc
    except Exception as exc:  # any other failure on sample data: refuse, saying what kind
        raise InvalidInput(
            f"Mẫu không điền được với dữ liệu thử (lỗi {type(exc).__name__}): "
            "hãy kiểm tra các thẻ {{ }} và {% %}.",
            field="file",
        ) from exc
    return b""


def _check_tree(tree: nodes.Template, env: SandboxedEnvironment) -> None:
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name not in env.globals:
            raise InvalidInput(f"Mẫu gọi hàm không có: «{call.node.name}».", field="file")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test, nodes.Const)):
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value.startswith("_"):
            # "__class__" as a string reaches attributes through attr(), map() and friends.
            raise InvalidInput(f"Mẫu có biểu thức không an toàn: «{node.value}».", field="file")
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise InvalidInput(
                f"Mẫu có biểu thức không an toàn: truy cập thuộc tính «{node.attr}».", field="file"
            )
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            raise InvalidInput(f"Mẫu có biểu thức không an toàn: truy cập «{node.arg.value}».", field="file")
        if isinstance(node, nodes.Filter) and node.name not in env.filters:
            raise InvalidInput(f"Mẫu dùng bộ lọc không có: «{node.name}».", field="file")
        if isinstance(node, nodes.Test) and node.name not in env.tests:
            raise InvalidInput(f"Mẫu dùng phép thử không có: «{node.name}».", field="file")


def engine_context(
    doc_type: str,
    *,
    version: int,
    number: str | None = None,
    issue_date: date | None = None,
    signer: str | None = None,
) -> dict:
    """What the engine adds to a template's fields: the issuing body from the settings (so
    another ward uses the same templates), the number line and the draft mark; for the
    issued file, the issue date and the signer."""
    config = current_app.config
    blank = "\u00a0" * 6  # "Số      -NQ/ĐU": a draft has no number yet
    return {
        "org": {
            "superior_body": config["SUPERIOR_BODY"],
            "issuing_body": config["ISSUING_BODY"],
            "symbol": config["NUMBER_SYMBOL"],
            "place": config["PLACE_NAME"],
            "term": config["PARTY_TERM"],
        },
        "number_line": number or f"{blank}-{doc_type}/{config['NUMBER_SYMBOL']}",
        "draft": number is None,
        # None for a draft; the issued file's number, date and signer once approved.
        "issue": {"number": number, "date": issue_date, "signer": signer or ""} if number else None,
        "version": version,
        "doc_type": doc_type,
        "doc_type_name": DOC_TYPES.get(doc_type, doc_type),
    }
