"""`coachctl report` in a real browser: Debian's chromium, headless, driven from the command line.

The page is opened offline in three ways: its DOM dumped (every chart's SVG
and marks there), a screenshot written, and printed to PDF on A4. Chromium
runs with its proxy pointing at a closed port and with console logging on: a
request of any kind would fail and, the page's Content-Security-Policy
refusing it, log a console error; the test asserts the console stayed silent.
Skipped, with the reason, only where no chromium is installed (CI installs it:
see .ci/run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.test_qa import TODAY
from tests.test_report import KINGSMEAD, MARKS, Page

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (CI installs "
                                "Debian's chromium: apt-get install chromium)")
CONSOLE = re.compile(r":CONSOLE[(:]")


def chromium(page: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--hide-scrollbars", f"--user-data-dir={home / 'profile'}",
         "--proxy-server=127.0.0.1:9", "--enable-logging=stderr", "--v=0", *args,
         page.as_uri()],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)})


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "kingsmead.html"
    assert invoke("report", KINGSMEAD, "-o", out, "--today", TODAY).exit_code == 0
    return out


def test_renders_every_chart_offline_with_a_silent_console(page: Path, tmp_path: Path) -> None:
    res = chromium(page, tmp_path, "--dump-dom")
    assert res.returncode == 0, res.stderr[-2000:]
    assert not CONSOLE.search(res.stderr), [line for line in res.stderr.splitlines()
                                            if CONSOLE.search(line)]
    dom = Page(res.stdout)
    assert len(dom.figures) == 8
    for name, fig in dom.figures.items():
        assert fig["svg"] == 1 and fig["tables"] == 1, name
        assert fig["marks"].get(MARKS[name], 0) > 0, (name, fig["marks"])
    assert dom.figures["heat"]["marks"]["dot"] == 33


def test_screenshot_and_a4_print(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    res = chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1200,2400")
    assert res.returncode == 0, res.stderr[-2000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000  # a page of charts, not a blank
    assert not CONSOLE.search(res.stderr)

    pdf = tmp_path / "report.pdf"
    res = chromium(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert res.returncode == 0, res.stderr[-2000:]
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert 3 <= pages <= 12, pages  # charts kept whole, one per page at most, not one per line
    sizes = {m for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)}
    assert all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes), sizes


def test_the_console_check_sees_a_request(tmp_path: Path) -> None:
    """The control: a page asking for an image over the network logs on the console."""
    bad = tmp_path / "bad.html"
    bad.write_text('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
                   '<img src="http://example.invalid/x.png" alt="">', encoding="utf-8")
    res = chromium(bad, tmp_path, "--dump-dom")
    assert CONSOLE.search(res.stderr), res.stderr[-2000:]
