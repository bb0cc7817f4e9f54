"""The header rules of MDN's HTTP Observatory (mdn/mdn-http-observatory, src/analyzer/tests/ and the
score table in src/grader/charts.js), applied to one HTTPS response of ours.

The Observatory itself scans a public host over the internet; this re-implements its per-header tests
(CSP, cookies, Referrer-Policy, X-Frame-Options, X-Content-Type-Options, HSTS, CORP, SRI) so that a test
can score the production command's headers on loopback. Not covered: the redirection test (the proxy
redirects HTTP to HTTPS on the same host: modifier 0) and HSTS preloading (+5 only once the domain is on
the browsers' preload list).
"""

import re
from http.cookies import SimpleCookie

BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
EXTRA_CREDIT_FROM = 90


def parse_csp(header: str) -> dict[str, set[str]]:
    policy = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            policy.setdefault(tokens[0].lower(), set(tokens[1:]))
    return policy


def csp_rule(headers) -> tuple[str, int]:
    header = headers.get("Content-Security-Policy")
    if not header:
        return "csp-not-implemented", -25
    csp = parse_csp(header)
    default = csp.get("default-src", {"*"})
    script = set(csp.get("script-src", default))
    style = set(csp.get("style-src", default))
    objects = csp.get("object-src", default)
    for sources in (script, style):
        if any(source.startswith("'nonce-") or source.startswith("'sha") for source in sources):
            sources.discard("'unsafe-inline'")
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return "csp-implemented-with-unsafe-inline", -20
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval", -10
    if style & (BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if csp.get("default-src") == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_rule(set_cookie_headers: list[str]) -> tuple[str, int]:
    cookies = SimpleCookie()
    for raw in set_cookie_headers:
        cookies.load(raw)
    if not cookies:
        return "cookies-not-found", 0
    worst = ("cookies-secure-with-httponly-sessions-and-samesite", 5)
    for name, morsel in cookies.items():
        session = "sess" in name.lower() or "login" in name.lower()
        samesite = (morsel["samesite"] or "").lower()
        if session and not morsel["secure"]:
            return "cookies-session-without-secure-flag", -40
        if session and not morsel["httponly"]:
            return "cookies-session-without-httponly-flag", -30
        if not morsel["secure"]:
            worst = min(worst, ("cookies-without-secure-flag", -20), key=lambda rule: rule[1])
        if samesite and samesite not in {"lax", "strict", "none"}:
            worst = min(worst, ("cookies-samesite-flag-invalid", -20), key=lambda rule: rule[1])
        if not samesite:
            worst = min(worst, ("cookies-secure-with-httponly-sessions", 0), key=lambda rule: rule[1])
    return worst


def referrer_rule(headers) -> tuple[str, int]:
    value = (headers.get("Referrer-Policy") or "").split(",")[-1].strip().lower()
    if not value:
        return "referrer-policy-not-implemented", 0
    if value in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}:
        return "referrer-policy-private", 5
    return "referrer-policy-unsafe", -5


def frame_rule(headers) -> tuple[str, int]:
    ancestors = parse_csp(headers.get("Content-Security-Policy") or "").get("frame-ancestors")
    if ancestors and not ancestors & BROAD:
        return "x-frame-options-implemented-via-csp", 5
    if (headers.get("X-Frame-Options") or "").upper() in {"DENY", "SAMEORIGIN"}:
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def nosniff_rule(headers) -> tuple[str, int]:
    if (headers.get("X-Content-Type-Options") or "").strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    return "x-content-type-options-not-implemented", -5


def hsts_rule(headers) -> tuple[str, int]:
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security") or "")
    if not match:
        return "hsts-not-implemented", -20
    if int(match.group(1)) >= 15_768_000:
        return "hsts-implemented-max-age-at-least-six-months", 0
    return "hsts-implemented-max-age-less-than-six-months", -10


def corp_rule(headers) -> tuple[str, int]:
    value = (headers.get("Cross-Origin-Resource-Policy") or "").strip().lower()
    if not value:
        return "corp-not-implemented", 0
    if value in {"same-origin", "same-site"}:
        return f"corp-implemented-with-{value}", 10
    if value == "cross-origin":
        return "corp-implemented-with-cross-origin", 0
    return "corp-header-invalid", -5


def sri_rule(headers, body: str) -> tuple[str, int]:
    if "html" not in (headers.get("Content-Type") or ""):
        return "sri-not-implemented-response-not-html", 0
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", body)
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    if all(source.startswith("/") and not source.startswith("//") for source in sources):
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def score(headers, set_cookie_headers: list[str], body: str) -> tuple[int, list[tuple[str, int]]]:
    """The Observatory score and the rules that made it; extra credit counts only from 90 up."""
    results = [
        csp_rule(headers),
        cookies_rule(set_cookie_headers),
        referrer_rule(headers),
        frame_rule(headers),
        nosniff_rule(headers),
        hsts_rule(headers),
        corp_rule(headers),
        sri_rule(headers, body),
    ]
    base = 100 + sum(modifier for _, modifier in results if modifier < 0)
    bonus = sum(modifier for _, modifier in results if modifier > 0) if base >= EXTRA_CREDIT_FROM else 0
    return base + bonus, results
