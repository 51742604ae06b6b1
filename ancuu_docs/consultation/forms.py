"""The consultation pages' forms: fields checked by the parsers the service uses; the service
checks what spans fields (a named group needs names; "Ý kiến khác" needs the comment)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from .. import parsing
from ..web import Checked
from .models import CHOICE_LABELS, GROUP_LABELS
from .services import COMMENT_MAX, QUESTION_MAX


class CheckboxList(SelectMultipleField):
    """Several people ticked from a list (a select-multiple is unusable on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenForm(FlaskForm):
    group = RadioField(
        "Hỏi ý kiến",
        choices=[SelectChoice(g.value, label) for g, label in GROUP_LABELS.items()],
        default="executive",
        validate_choice=False,
    )
    users = CheckboxList("Những người được chọn", choices=[], coerce=str, validate_choice=False)
    deadline = StringField(
        "Hạn góp ý", validators=[Checked(parsing.day, label="hạn góp ý")], render_kw={"type": "date"}
    )
    question = TextAreaField(
        "Nội dung xin ý kiến",
        validators=[Checked(parsing.text, label="nội dung xin ý kiến", limit=QUESTION_MAX)],
        render_kw={"rows": 3, "placeholder": "Đề nghị các đồng chí nghiên cứu, góp ý vào dự thảo…"},
    )


class AnswerForm(FlaskForm):
    choice = RadioField(
        "Ý kiến của đồng chí",
        choices=[SelectChoice(c.value, label) for c, label in CHOICE_LABELS.items()],
        validate_choice=False,
    )
    comment = TextAreaField(
        "Góp ý cụ thể",
        validators=[Checked(parsing.text, label="góp ý", limit=COMMENT_MAX)],
        render_kw={"rows": 5},
    )
    version = HiddenField()
