"""Who may do what: the roles' rules here, each feature's rules on its own objects beside it.

member       reads issued (approved or superseded) documents that are not confidential, and the
             drafts circulated to them for comments; reads meetings.
clerk        a member, plus creating drafts, adding versions to drafts they created, sending
             them to review and taking them back from review.
secretariat  everything on documents, confidential ones included; meetings; the audit log.
admin        what secretariat can, plus users and uploaded drafting templates.

`can(user, action)` asks the role rules; `can(user, action, obj)` asks the rule the feature that
owns `obj` registered (documents register theirs), so auth knows no feature's model.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from .models import Role, User


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    CREATE_CONFIDENTIAL = "create_confidential"
    ADD_VERSION = "add_version"
    EDIT = "edit"
    TRANSITION = "transition"
    VIEW_AUDIT = "view_audit"
    MANAGE_MEETINGS = "manage_meetings"
    MANAGE_USERS = "manage_users"
    MANAGE_TEMPLATES = "manage_templates"


OFFICE = frozenset({Role.SECRETARIAT, Role.ADMIN})

# Who may do each action in general (the menu, the pages that create, the lists that manage).
ROLE_RULES: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_TEMPLATES: frozenset({Role.ADMIN}),
    Action.VIEW_AUDIT: OFFICE,
    Action.MANAGE_MEETINGS: OFFICE,
    Action.CREATE: frozenset({Role.CLERK, Role.SECRETARIAT, Role.ADMIN}),
    Action.CREATE_CONFIDENTIAL: OFFICE,
    Action.EDIT: OFFICE,
    Action.TRANSITION: OFFICE,
}

ObjectRule = Callable[[User, Action, object], bool]
_object_rules: dict[type, ObjectRule] = {}


def register_object_rule(cls: type, rule: ObjectRule) -> None:
    """A feature's rule for its own objects: rule(active user, action, obj) -> allowed."""
    _object_rules[cls] = rule


def is_active(user: User | None) -> bool:
    return user is not None and user.is_active


def is_office(user: User | None) -> bool:
    """The secretariat and admins: they read and manage every document."""
    return is_active(user) and user.role in OFFICE


def can(user: User | None, action: Action, obj: object | None = None) -> bool:
    if not is_active(user):
        return False
    if obj is None:
        if action not in ROLE_RULES:
            raise ValueError(f"{action} needs an object")
        return user.role in ROLE_RULES[action]
    for cls in type(obj).__mro__:
        rule = _object_rules.get(cls)
        if rule is not None:
            return rule(user, action, obj)
    raise ValueError(f"no rule for {type(obj).__name__}")
