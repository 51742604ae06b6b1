from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from .. import parsing
from ..web import Checked


class EventFilterForm(FlaskForm):
    """The audit page's filters, read from the query string."""

    class Meta:
        csrf = False

    actor = SelectField(
        "Người thực hiện",
        choices=[],
        validate_choice=False,
        validators=[Checked(parsing.integer, label="người thực hiện", low=1, required=False)],
    )
    action = SelectField(
        "Thao tác",
        choices=[],
        validate_choice=False,
        validators=[Checked(parsing.text, label="thao tác", limit=100, one_line=True)],
    )
    object_type = SelectField(
        "Đối tượng",
        choices=[],
        validate_choice=False,
        validators=[Checked(parsing.text, label="đối tượng", limit=100, one_line=True)],
    )
    object_id = StringField(
        "Mã đối tượng",
        validators=[
            Checked(parsing.integer, label="mã đối tượng", low=1, high=parsing.ID_MAX, required=False)
        ],
        render_kw={"inputmode": "numeric", "size": 6},
    )
    date_from = StringField(
        "Từ ngày",
        validators=[Checked(parsing.day, label="từ ngày", required=False)],
        render_kw={"type": "date"},
    )
    date_to = StringField(
        "Đến ngày",
        validators=[Checked(parsing.day, label="đến ngày", required=False)],
        render_kw={"type": "date"},
    )
