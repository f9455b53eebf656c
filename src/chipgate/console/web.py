"""What every console page shares: templates, the signed-in user, CSRF checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from chipgate.console import session as sessions
from chipgate.console.geo import VIEWBOX, region_path
from chipgate.service.deps import state_of
from chipgate.service.keys import Principal, Role, authenticate

TEMPLATES = Environment(
    loader=FileSystemLoader(str(resources.files("chipgate.console") / "templates")),
    autoescape=True,  # every party name and free text is escaped
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_CITATION = re.compile(r"^(?P<text>.*?)\s*<(?P<url>https?://[^>\s]+)>\s*$")


def citation(text: str) -> dict[str, str | None]:
    """A citation split into its words and its link (``text <url>`` in the data).

    >>> citation("15 CFR 744.23 <https://www.ecfr.gov/x>")
    {'text': '15 CFR 744.23', 'url': 'https://www.ecfr.gov/x'}
    >>> citation("90 FR 4544")
    {'text': '90 FR 4544', 'url': None}
    """
    found = _CITATION.match(text)
    if found is None:
        return {"text": text, "url": None}
    return {"text": found["text"], "url": found["url"]}


TEMPLATES.filters["citation"] = citation
TEMPLATES.filters["region_path"] = region_path


class NotSignedIn(Exception):
    """The request has no valid session: the page sends the browser to sign in."""


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in key's holder, with the session's key and CSRF token."""

    principal: Principal
    key: str
    csrf: str

    def can(self, role: str) -> bool:
        """Whether the key's role reaches ``role``."""
        return self.principal.role.allows(Role(role))


def session_of(request: Request) -> sessions.Session | None:
    """The console session the request's cookie carries, if any (not yet checked
    against the store)."""
    state = state_of(request)
    return sessions.unseal(
        sessions.secret(state.settings.data_dir), request.cookies.get(sessions.COOKIE)
    )


def user_of(request: Request) -> User:
    """The signed-in user (``NotSignedIn`` without a valid, unrevoked key)."""
    found = session_of(request)
    if found is None:
        raise NotSignedIn
    principal = authenticate(state_of(request).store, found.key)
    if principal is None:
        raise NotSignedIn
    return User(principal, found.key, found.csrf)


def render(
    request: Request,
    template: str,
    user: User | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page, with the user and the navigation it may see."""
    context.setdefault("viewbox", VIEWBOX)
    html = TEMPLATES.get_template(template).render(
        request=request, user=user, path=request.url.path, **context
    )
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={
            "Content-Security-Policy": (
                "default-src 'self'; img-src 'self' data:; style-src 'self' "
                "'unsafe-inline'; script-src 'self' 'unsafe-eval'; "
                "frame-ancestors 'none'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
        },
    )


def see_other(url: str) -> RedirectResponse:
    """Redirect after a form (POST, then GET)."""
    return RedirectResponse(url, status_code=303)
