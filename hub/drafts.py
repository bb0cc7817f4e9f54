"""Names for the drafts the browser keeps of a text being typed (hub/assets/hub/js/hub.js).

A name carries the signed-in user's id, so that a draft left in a browser after a session ended is offered
only to the same person signing in again. Staff drafts are kept in localStorage (they survive a closed tab
at a work desk), young people's in sessionStorage (a shared phone forgets them with the tab); signing out
and the quick exit forget both.
"""


def draft_name(user, name: str) -> str:
    return f"{user.pk}:{name}" if user.is_authenticated else name


def draft_attrs(user, name: str, *, staff: bool = False) -> dict[str, str]:
    """The attributes of a textarea whose text is kept as a draft."""
    return {"data-draft": draft_name(user, name), "data-draft-store": "local" if staff else "session"}
