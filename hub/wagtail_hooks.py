"""The CMS user editor's bulk actions, narrowed to staff accounts and audited (hub/cms_users.py).

Registered after Wagtail's own (a higher ``order``): the bulk-action registry keeps the last class it
sees for an action type, so these replace Wagtail's "assign role", "delete" and "set active state"."""

from wagtail import hooks

from hub.cms_users import STAFF_USER_BULK_ACTIONS, bulk_action_audit

for _action_class in STAFF_USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=100)

hooks.register("before_bulk_action", bulk_action_audit)
