"""The browsers of the browser tests run with Playwright's own switches and ours (tests/browser/conftest.py):
Chromium keeps only the last --disable-features it is given."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import OWN_DISABLED_FEATURES


def browser_command_lines() -> list[list[str]]:
    """The command lines of the browser processes this test process started (through Playwright's
    driver), read from /proc: Chromium answers Browser.getBrowserCommandLine only to --enable-automation,
    which Playwright does not pass."""
    parents, command_lines = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command_lines[int(entry.name)] = (entry / "cmdline").read_bytes().decode().split("\0")
        except OSError:  # gone meanwhile
            continue
        parents[int(entry.name)] = int(stat[stat.rfind(")") + 2 :].split()[1])

    def ours(pid):
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    return [
        line
        for pid, line in command_lines.items()
        if ours(pid) and "--remote-debugging-pipe" in line  # the browser itself, not its helpers
    ]


@pytest.mark.parametrize("which", ["browser", "full_browser"])
def test_chromium_keeps_playwrights_disabled_features_and_ours(request, which):
    assert request.getfixturevalue(which).is_connected()  # launched (package scope)
    lines = [
        line for line in browser_command_lines() if ("headless-shell" in line[0]) == (which == "browser")
    ]
    assert lines, "the browser process was not found"
    for line in lines:
        last = [argument for argument in line if argument.startswith("--disable-features=")][-1]
        features = set(last.removeprefix("--disable-features=").split(","))
        # Playwright's: no HTTPS upgrade of the live server's http:// address, no media router, no hints.
        assert {"HttpsUpgrades", "MediaRouter", "OptimizationHints", "PaintHolding"} <= features
        assert set(OWN_DISABLED_FEATURES) <= features
