"""The HTML report in a real headless browser: it loads without console errors, renders a
non-blank page, and every citation link opens its source with the quote highlighted.

Skips where no Chromium is installed (``.ci/run`` installs the OS package). With
``UPDATE_REPORT_PNG=1`` the screenshot is also written to ``docs/report.png`` for the README.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from browser import Browser, enabled, png_colours
from click.testing import CliRunner

from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leanings"
CHECK_LINKS = """
(async () => {
  const failures = [];
  const links = Array.from(document.querySelectorAll('a.cite'));
  for (const a of links) {
    const href = a.getAttribute('href');
    const id = decodeURIComponent(href.slice(1));
    if (location.hash !== href) {
      const changed = new Promise(r => { window.addEventListener('hashchange', r, {once: true}); setTimeout(r, 1000); });
      a.click();
      await changed;
    }
    const el = document.getElementById(id);
    if (!el) { failures.push(id + ': no such sentence'); continue; }
    if (el.textContent !== a.dataset.quote) failures.push(id + ': the sentence is not the quote');
    if (!el.classList.contains('hl')) failures.push(id + ': not highlighted');
    const box = el.closest('details');
    if (!box || !box.open) failures.push(id + ': its source is not open');
    if (el.getBoundingClientRect().height === 0) failures.push(id + ': not visible');
  }
  return {count: links.length, failures};
})()
"""


@pytest.fixture(scope="module")
def browser():
    executable = Browser.find()
    if not executable or not enabled():
        pytest.skip("no Chromium installed (the OS package 'chromium'; .ci/run installs it)")
    b = Browser(executable)
    yield b
    b.close()


def write_report(tmp_path: Path) -> Path:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, [
        "brief", "--corpus", str(EXAMPLE), "--db", str(tmp_path / "db.sqlite3"), "--detail", "short",
        "--format", "html", "-o", str(out),
    ])
    assert result.exit_code == 0, result.output
    return out


def test_the_report_is_one_self_contained_page_with_every_section(tmp_path):
    page = write_report(tmp_path).read_text(encoding="utf-8")
    for heading in ("Reported by several independent sources", "Where sources differ",
                    "Blindspots: points only one leaning reports", "Coverage</h2>", "Sources</h2>"):
        assert heading in page
    assert 'class="heat"' in page and 'class="sides"' in page
    assert "http" not in page.replace('href="https://', "").split("<h2>Sources</h2>")[0]  # nothing fetched


def test_the_report_loads_without_errors_and_every_citation_opens_its_quote(browser, tmp_path):
    report = write_report(tmp_path)
    browser.open(report, height=2600)  # the screenshot shows the points, disputes, blindspots and heatmap
    shot = browser.screenshot()
    (tmp_path / "report.png").write_bytes(shot)
    if os.environ.get("UPDATE_REPORT_PNG") == "1":
        shutil.copyfile(tmp_path / "report.png", ROOT / "docs" / "report.png")
    assert png_colours(shot) > 16, "the screenshot is blank"
    checked = browser.evaluate(CHECK_LINKS)
    assert checked["count"] >= 10
    assert checked["failures"] == []
    assert browser.console_errors() == []


def test_a_broken_page_is_caught(browser, tmp_path):
    """(The checks above can fail: a page with a script error and a dangling citation.)"""
    page = tmp_path / "broken.html"
    page.write_text('<html><body><script>undefinedFunction()</script>'
                    '<a class="cite" href="#s-x-1" data-quote="Q">[x:1]</a></body></html>', encoding="utf-8")
    browser.open(page)
    assert browser.console_errors()
    assert browser.evaluate(CHECK_LINKS)["failures"] == ["s-x-1: no such sentence"]
