"""The search form, read from the query string; search.services checks what it holds."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectField, StringField

from ..web import choices


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        "Từ cần tìm",
        render_kw={"placeholder": "Ví dụ: nghi quyet dat dai, 46-CT/TW", "maxlength": 500},
    )
    date_from = StringField("Từ ngày", render_kw={"type": "date"})
    date_to = StringField("Đến ngày", render_kw={"type": "date"})
    sort = SelectField(
        "Sắp xếp",
        choices=choices([("relevance", "Liên quan nhất"), ("date", "Mới nhất")]),
        validate_choice=False,
    )
    doc_type = HiddenField()
    status = HiddenField()
    term = HiddenField()
    origin = HiddenField()
    issuer = HiddenField()
