"""Every committed page, rendered in a real headless browser as a reader at 1,280 px sees it.

Checks what a reader needs: the page loads offline (all names resolve to nothing, and no request
leaves file: or data: URLs), nothing is wider than a 1,280 px viewport, and a replication page
opens with its verdict paragraph above the verdict table. Needs Debian's `chromium` and
`chromium-driver` and the `selenium` package (.ci/run installs them); skipped otherwise.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parent.parent / "reports"
PAGES = sorted(REPORTS.rglob("*.html"))
VIEWPORT = 1280

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    DRIVER is None or shutil.which("chromium") is None,
    reason="no chromium/chromedriver on this machine (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={VIEWPORT},900", "--host-resolver-rules=MAP * ~NOTFOUND"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def is_replication_page(page: Path) -> bool:
    """A replication's page has its results file beside it."""
    return page.with_suffix(".json").is_file() and page.name != "index.html"


def requested_urls(driver) -> list[str]:
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            out.append(msg["params"]["request"]["url"])
    return out


# Boxes that scroll sideways (a table in `.ibrep-scroll`, an output area) keep the document
# narrow while the reader still has to scroll: every such box must fit what it holds, and no
# table or figure may reach past the viewport's right edge.
WIDER_THAN_ITS_BOX = """
const vw = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll('body *')) {
  const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
                  && el.scrollWidth > el.clientWidth + 1;
  const sticksOut = ['TABLE', 'IMG', 'svg', 'PRE'].includes(el.tagName)
                    && el.getBoundingClientRect().right > vw + 1;
  if (scrolls || sticksOut)
    out.push(`${el.tagName}.${el.className} ${el.scrollWidth} px in ${el.clientWidth} px`);
}
return out;
"""


# The atlas page is built from runs by replications/atlas/page.py: its 18-column heatmap has
# headers without spaces ("hash=floor") and scrolls in its own box until that page is rebuilt
# with headers that wrap. Strict: the test fails once it fits, and this mark must go.
KNOWN_WIDE = {"atlas.html": "the atlas heatmap scrolls inside its own box (built from runs)"}


def _fit_params():
    for p in PAGES:
        reason = KNOWN_WIDE.get(str(p.relative_to(REPORTS)))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(p, marks=marks, id=str(p.relative_to(REPORTS)))


def test_pages_exist():
    assert PAGES, f"no committed pages under {REPORTS}"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPORTS)) for p in PAGES])
def test_page_reads_offline_within_the_viewport(browser, page):
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(page.as_uri())
    external = [u for u in requested_urls(browser) if not u.startswith(("file:", "data:"))]
    assert not external, f"{page.name} requests {external[:3]}"
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= VIEWPORT, f"{page.name} is {width} px wide at a {VIEWPORT} px viewport"
    if is_replication_page(page):
        order = browser.execute_script(
            "const p = document.querySelector('.ibrep-verdict');"
            "const t = document.querySelector('table.ibrep');"
            "return [p ? p.getBoundingClientRect().top : null,"
            "        t ? t.getBoundingClientRect().top : null];")
        assert order[0] is not None, f"{page.name} has no verdict paragraph"
        assert order[1] is None or order[0] < order[1], \
            f"{page.name}: the verdict paragraph is below the verdict table"


@pytest.mark.parametrize("page", list(_fit_params()))
def test_tables_and_figures_fit_without_sideways_scrolling(browser, page):
    browser.get(page.as_uri())
    wide = browser.execute_script(WIDER_THAN_ITS_BOX)
    assert not wide, f"{page.name}: {len(wide)} box(es) wider than their room, e.g. {wide[:3]}"
