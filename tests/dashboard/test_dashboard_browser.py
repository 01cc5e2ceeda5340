"""End to end in headless Chromium: serve the dashboard on 127.0.0.1 against the test warehouse,
open every page, wait for its data, keep a screenshot of each (tests/artifacts/screenshots/), and
check the page shows the warehouse's values; a link and a filter change what is shown."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import dashboard_command

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
INSTALL_BROWSER = ROOT / "scripts" / "install-browser.sh"
SERVER_START_TIMEOUT_S = 90
PAGE_TIMEOUT_S = 60
DEFAULT_PAGE = "data_capture_overview"  # served at the root address
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1600",
]


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Debian's chromium and chromedriver, installed by scripts/install-browser.sh when missing."""
    subprocess.run(["bash", str(INSTALL_BROWSER)], check=True, timeout=900)
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert browser and driver, "install-browser.sh did not install chromium and chromedriver"
    return browser, driver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(dashboard_warehouse: Path, tmp_path_factory):
    """The dashboard served by its documented command on a free local port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "WFH_WAREHOUSE_DIR": str(dashboard_warehouse)}
    with log.open("w") as output:
        server = subprocess.Popen(dashboard_command(port), cwd=ROOT, env=env, stdout=output,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            assert server.poll() is None, f"streamlit exited: {log.read_text()}"
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"streamlit did not start: {log.read_text()}"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


@pytest.fixture(scope="module")
def browser(chromium: tuple[str, str]):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium[0]
    profile = tempfile.mkdtemp(prefix="wfh-chromium-")
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    driver = webdriver.Chrome(options=options, service=Service(chromium[1]))
    driver.set_page_load_timeout(PAGE_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_text(driver) -> str:
    """All text of the page, including table cells (rendered on a canvas, mirrored for screen readers)."""
    return driver.execute_script("return document.body.textContent") or ""


def wait_for(driver, title: str, expected: list[str]) -> str:
    """Wait (bounded) until the page shows its title and every expected value and has finished running."""

    def ready(drv) -> bool:
        heading = drv.find_elements(By.TAG_NAME, "h1")
        running = drv.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        text = page_text(drv)
        return bool(heading) and title in heading[0].text and not running and all(v in text for v in expected)

    try:
        WebDriverWait(driver, PAGE_TIMEOUT_S, poll_frequency=0.5).until(ready)
    except TimeoutException:
        text = page_text(driver)
        missing = [value for value in expected if value not in text]
        raise AssertionError(f"{title}: not shown within {PAGE_TIMEOUT_S}s: {missing}\n{text[:3000]}") from None
    time.sleep(1)  # let charts finish their transitions before the screenshot
    errors = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not errors, f"{title}: {[error.text for error in errors]}"
    assert "Page not found" not in page_text(driver), f"{title}: the address named no page"
    return page_text(driver)


def screenshot(driver, name: str) -> Path:
    """A screenshot of the whole page into tests/artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
        "return Math.max(m.scrollHeight, document.body.scrollHeight);"
    )
    driver.set_window_size(1400, max(900, min(int(height) + 120, 6000)))
    time.sleep(0.5)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1600)
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


def expected_values(warehouse, cycle: str) -> dict[str, tuple[str, list[str]]]:
    """Per page: its title and values from the warehouse it must show on first load."""
    title, capabilities = warehouse.rows(
        "SELECT cycle_title, capabilities FROM marts.data_capture_overview WHERE cycle_id = ?", [cycle])[0]
    first_fop = warehouse.value(
        "SELECT name FROM marts.dim_fop WHERE cycle_id = ? ORDER BY coalesce(role_level_id, 999), name LIMIT 1",
        [cycle])
    first_fop_key = warehouse.value(
        "SELECT fop_key FROM marts.dim_fop WHERE cycle_id = ? ORDER BY coalesce(role_level_id, 999), name LIMIT 1",
        [cycle])
    partner = warehouse.value(
        "SELECT min(partner_name) FROM marts.supply_chain_capabilities WHERE cycle_id = ?", [cycle])
    first_ksb = warehouse.value(
        "SELECT capability_statement FROM marts.future_ksb_summary WHERE cycle_id = ? ORDER BY capability_key LIMIT 1",
        [cycle])
    most_shared = warehouse.value(
        "SELECT capability_statement FROM marts.fop_distribution WHERE cycle_id = ? "
        "ORDER BY fops_total DESC, capability_key LIMIT 1", [cycle])
    best_matched = warehouse.value(
        "SELECT capability_statement FROM marts.capability_provision_status WHERE cycle_id = ? "
        "ORDER BY best_similarity DESC NULLS LAST LIMIT 1", [cycle])
    best_fit_standard = warehouse.value(
        "SELECT standard_title FROM marts.fop_vs_provision WHERE fop_key = ? ORDER BY fit_rank LIMIT 1",
        [first_fop_key])
    top_priority = warehouse.value(
        "SELECT fop_name FROM marts.fop_priorities WHERE cycle_id = ? ORDER BY action_rank LIMIT 1", [cycle])
    finding = warehouse.rows(
        "SELECT finding FROM marts.data_quality_findings WHERE cycle_id = ? ORDER BY severity DESC, finding_id LIMIT 1",
        [cycle])
    return {
        "data_capture_overview": ("Data Capture Overview", [title or cycle, str(capabilities)]),
        "supply_chain_capabilities": ("Supply Chain Capabilities", [partner]),
        "fop_detail": ("FOP Detail", [first_fop]),
        "fop_matrix": ("FOP Matrix", [first_fop]),
        "future_ksbs_summary": ("Future KSBs Summary", [first_ksb]),
        "fop_distribution": ("FOP Distribution", [most_shared]),
        "capabilities_matched": ("Capabilities Matched to Current Provision", [best_matched]),
        "fit_surplus_factors": ("Fit & Surplus Factors", [f"standards for {first_fop}"]),
        "fit_surplus_matrix": ("Fit & Surplus Matrix", [first_fop]),
        "fop_capability_matches": ("FOP Capability Matches", [first_fop]),
        "fop_vs_provision": ("FOP vs Provision", [first_fop] + ([best_fit_standard] if best_fit_standard else [])),
        "fop_priorities": ("FOP Priorities", [top_priority]),
        "data_quality": ("Data Quality", [finding[0][0]] if finding else ["Findings in the cycle's data"]),
    }


def test_every_page_shows_warehouse_data(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    for page, (title, expected) in expected_values(warehouse, cycle).items():
        browser.get(f"{dashboard_url}/{'' if page == DEFAULT_PAGE else page}")
        wait_for(browser, title, expected)
        screenshot(browser, page)


def test_a_capability_link_opens_its_matched_statements(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    key, statement = warehouse.rows(
        "SELECT capability_key, capability_statement FROM marts.capability_provision_status "
        "WHERE cycle_id = ? AND best_similarity IS NOT NULL ORDER BY best_similarity, capability_key LIMIT 1",
        [cycle])[0]
    top_statement = warehouse.value(
        "SELECT statement_text FROM marts.capability_provision_match WHERE capability_key = ? ORDER BY rank LIMIT 1",
        [key])
    browser.get(f"{dashboard_url}/capabilities_matched?{urlencode({'cycle': cycle, 'capability': key})}")
    wait_for(browser, "Capabilities Matched to Current Provision", [statement, top_statement[:60]])
    screenshot(browser, "capabilities_matched_link")


def test_a_filter_changes_what_is_shown(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    total, priority = warehouse.rows(
        "SELECT count(*), count(*) FILTER (WHERE is_priority) FROM marts.fop_priorities WHERE cycle_id = ?", [cycle]
    )[0]
    assert 0 < priority < total, "the test warehouse needs priority and other FOPs"
    browser.get(f"{dashboard_url}/fop_priorities")
    wait_for(browser, "FOP Priorities", [])
    assert captions(browser) >= {f"{total} FOPs"}
    browser.find_element(By.XPATH, "//label[.//*[normalize-space()='Priority FOPs only']]").click()
    try:
        WebDriverWait(browser, PAGE_TIMEOUT_S, poll_frequency=0.5).until(
            lambda drv: f"{priority} FOPs" in captions(drv))
    except TimeoutException:
        raise AssertionError(f"the toggle did not filter: captions {captions(browser)}") from None
    wait_for(browser, "FOP Priorities", [])
    assert f"{total} FOPs" not in captions(browser)
    screenshot(browser, "fop_priorities_priority_only")


def captions(driver) -> set[str]:
    return {element.text for element in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stCaptionContainer"]')}
