"""The consultation pages' forms: what each field looks like. The values are parsed by the
commands' schemas (`commands.py`), the same that parse the API's JSON."""

from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from ..web import CommandForm
from .commands import Answer, OpenConsultation
from .models import CHOICE_LABELS, GROUP_LABELS


class CheckboxList(SelectMultipleField):
    """Several people ticked from a list (a select-multiple is unusable on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenForm(CommandForm):
    command = OpenConsultation

    group = RadioField(
        "Hỏi ý kiến",
        choices=[SelectChoice(g.value, label) for g, label in GROUP_LABELS.items()],
        default="executive",
        validate_choice=False,
    )
    users = CheckboxList("Những người được chọn", choices=[], coerce=str, validate_choice=False)
    deadline = StringField("Hạn góp ý", render_kw={"type": "date"})
    question = TextAreaField(
        "Nội dung xin ý kiến",
        render_kw={"rows": 3, "placeholder": "Đề nghị các đồng chí nghiên cứu, góp ý vào dự thảo…"},
    )


class AnswerForm(CommandForm):
    command = Answer

    choice = RadioField(
        "Ý kiến của đồng chí",
        choices=[SelectChoice(c.value, label) for c, label in CHOICE_LABELS.items()],
        validate_choice=False,
    )
    comment = TextAreaField(
        "Góp ý cụ thể",
        render_kw={"rows": 5},
    )
    version = HiddenField()
