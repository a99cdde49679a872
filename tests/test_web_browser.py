"""End to end: `docmine serve`'s app on a free local port, driven by Debian's headless Chromium.

Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver, which
.ci/run installs); skipped with that reason when they are missing. Nothing is downloaded: the
browser starts with networking, updates and sync off."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from docmine.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BOARD = "integrated care board"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
    "chromium-driver; .ci/run does this)",
)
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:
    """The app served by uvicorn in a thread, as `docmine serve` runs it."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(web_db, default_search_mode="lexical"),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    yield driver
    driver.quit()


def wait(driver: Any, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def screenshot(driver: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def assert_no_alert(driver: Any) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018


def test_search_filter_open_and_download(server: str, browser: Any, downloads: Path) -> None:
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=q]").text == "Search obligations"
    box.send_keys("publish plan", Keys.ENTER)  # the keyboard alone runs a search
    wait(browser).until(expected_conditions.url_contains("q=publish+plan"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert cards and browser.find_elements(By.CSS_SELECTOR, ".card mark")
    holders = {c.find_element(By.CSS_SELECTOR, ".facts dd").text for c in cards}
    assert BOARD in holders and len(holders) >= 2

    # a facet filter: pick the holder, apply
    Select(browser.find_element(By.ID, "facet-holder")).select_by_value(BOARD)
    if "holder=" not in browser.current_url:  # the script may already have submitted it
        browser.find_element(By.CSS_SELECTOR, "button.apply").click()
    wait(browser).until(expected_conditions.url_contains("holder=integrated+care+board"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert cards and {c.find_element(By.CSS_SELECTOR, ".facts dd").text for c in cards} == {BOARD}
    assert browser.find_element(By.CSS_SELECTOR, ".card .badge").text.lower() == "mandatory"
    screenshot(browser, "web-search")

    # download the filtered view as XLSX
    shown = len(cards)
    browser.find_element(By.LINK_TEXT, "XLSX").click()
    target = downloads / "docmine-register.xlsx"
    wait(browser, 20).until(lambda _: target.exists() and target.stat().st_size > 0)
    sheet = load_workbook(target).worksheets[0]
    holder_column = [c.value for c in sheet[1]].index("duty_holder") + 1
    values = [sheet.cell(r, holder_column).value for r in range(2, sheet.max_row + 1)]
    assert len(values) == shown and set(values) == {BOARD}

    # one click to the obligation
    first = browser.find_element(By.CSS_SELECTOR, ".card .snippet a")
    text = first.text
    first.click()
    wait(browser).until(expected_conditions.url_contains("/obligations/"))
    assert browser.find_element(By.CSS_SELECTOR, ".clause-text").text in text.replace("…", "")
    assert browser.find_element(By.CSS_SELECTOR, ".context .current")
    assert "In the source" in browser.page_source
    screenshot(browser, "web-obligation")


def test_other_versions_are_one_click_away(server: str, browser: Any) -> None:
    browser.get(server + "/?q=joint+forward+plan")
    browser.find_element(By.CSS_SELECTOR, ".card .snippet a").click()
    wait(browser).until(expected_conditions.url_contains("/obligations/"))
    browser.find_element(By.LINK_TEXT, "Version 1").click()
    wait(browser).until(
        expected_conditions.presence_of_element_located((By.LINK_TEXT, "Version 2"))
    )


def test_document_text_with_script_shows_as_text(server: str, browser: Any) -> None:
    browser.get(server + "/?q=website")
    link = browser.find_element(By.CSS_SELECTOR, ".card .snippet a")
    assert "<script>alert(1)</script>" in link.text
    link.click()
    wait(browser).until(expected_conditions.url_contains("/obligations/"))
    assert_no_alert(browser)
    assert "<script>alert(1)</script>" in browser.find_element(By.CSS_SELECTOR, ".clause-text").text
    scripts = browser.execute_script("return document.querySelectorAll('main script').length")
    assert scripts == 0
    screenshot(browser, "web-script-as-text")

    browser.get(server + "/?q=carers")
    assert "<img src=x onerror=alert(3)>" in browser.find_element(By.CSS_SELECTOR, ".cards").text
    assert browser.execute_script("return document.querySelectorAll('main img').length") == 0
    assert_no_alert(browser)


def test_summary_chart_and_documents(server: str, browser: Any) -> None:
    browser.get(server + "/summary")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.chart tbody tr")
    assert rows and rows[0].find_element(By.CSS_SELECTOR, "th").text == BOARD
    assert rows[0].find_elements(By.CSS_SELECTOR, "svg rect.seg-mandatory")
    titles = browser.find_element(By.CSS_SELECTOR, "table.docs").text
    assert "v2 (latest)" in titles and "Briefing on carers" in titles
    screenshot(browser, "web-summary")


def test_filters_work_from_the_keyboard(server: str, browser: Any) -> None:
    browser.get(server + "/")
    # every obligation force is ticked by default; Space on a checkbox applies it at once
    for force in ("mandatory", "suggestion"):
        before = browser.current_url
        browser.find_element(By.ID, f"force-{force}").send_keys(Keys.SPACE)
        wait(browser).until(expected_conditions.url_changes(before))
    badges = {b.text.lower() for b in browser.find_elements(By.CSS_SELECTOR, ".card .badge")}
    assert badges == {"expectation"}
    # arrowing through a drop-down does not reload the page; the Apply button does
    before = browser.current_url
    browser.find_element(By.ID, "facet-holder").send_keys(Keys.ARROW_DOWN)
    time.sleep(0.5)
    assert browser.current_url == before
    browser.find_element(By.CSS_SELECTOR, "button.apply").send_keys(Keys.ENTER)
    wait(browser).until(expected_conditions.url_contains("holder="))
    assert "body=" not in browser.current_url  # empty fields are left out of the address
