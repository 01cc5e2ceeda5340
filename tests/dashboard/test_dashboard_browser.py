"""End to end in headless Chromium, as a workforce planner uses the dashboard: serve it on 127.0.0.1
against the test warehouse, open every page and deep link, wait for its data, change a filter on each
page, keep a screenshot of each state (tests/artifacts/screenshots/), time first render and filter
change per page (printed, and written to tests/artifacts/render_times.txt), and check the cases that
once stood between the dashboard and daily use (FOP vs Provision losing its standards, a deep-linked
capability ignoring the filters, the default page's own address, the all-cycles table)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from wfh.dashboard import dashboard_command

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
INSTALL_BROWSER = ROOT / "scripts" / "install-browser.sh"
SERVER_START_TIMEOUT_S = 90
PAGE_TIMEOUT_S = 60
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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
        server = subprocess.Popen(
            dashboard_command(port), cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
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


# ---------------------------------------------------------------- reading and driving the page


def page_text(driver) -> str:
    """All text of the page, including table cells (rendered on a canvas, mirrored for screen readers)."""
    return driver.execute_script("return document.body.textContent") or ""


def main_text(driver) -> str:
    """Text of the page body without the sidebar."""
    return (
        driver.execute_script(
            "const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.textContent : ''"
        )
        or ""
    )


def running(driver) -> bool:
    return bool(driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'))


def settle(driver, title: str, expected: list[str], changed_from: str | None = None) -> float:
    """Wait (bounded) until the page shows its title and every expected value, has finished running
    and (when ``changed_from`` is given) differs from that text; returns the seconds waited."""
    started = time.monotonic()

    def ready(drv) -> bool:
        try:
            heading = drv.find_elements(By.TAG_NAME, "h1")
            text = page_text(drv)
            return (
                bool(heading)
                and title in heading[0].text
                and not running(drv)
                and all(value in text for value in expected)
                and (changed_from is None or text != changed_from)
            )
        except StaleElementReferenceException:
            return False

    try:
        WebDriverWait(driver, PAGE_TIMEOUT_S, poll_frequency=0.1).until(ready)
    except TimeoutException:
        text = page_text(driver)
        missing = [value for value in expected if value not in text]
        raise AssertionError(f"{title}: not shown within {PAGE_TIMEOUT_S}s: {missing}\n{text[:3000]}") from None
    elapsed = time.monotonic() - started
    errors = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert not errors, f"{title}: {[error.text for error in errors]}"
    assert "Page not found" not in page_text(driver), f"{title}: the address named no page"
    return elapsed


def open_page(driver, url: str, title: str, expected: list[str]) -> float:
    """Load ``url`` and wait for the page; returns seconds from the request to the settled page."""
    started = time.monotonic()
    driver.get(url)
    settle(driver, title, expected)
    return time.monotonic() - started


def widget(driver, testid: str, label: str):
    """The Streamlit widget of that kind whose label is ``label``."""
    return driver.find_element(
        By.XPATH, f"//div[@data-testid='{testid}'][.//*[@data-testid='stWidgetLabel'][normalize-space()='{label}']]"
    )


def click_label(label: str) -> Callable:
    """A toggle, checkbox or radio option, by its text."""
    return lambda drv: drv.find_element(By.XPATH, f"//label[.//*[normalize-space()='{label}']]").click()


def choose(label: str, option: str) -> Callable:
    """Pick ``option`` in the select box labelled ``label`` (type its text, then Enter)."""

    def act(drv) -> None:
        box = widget(drv, "stSelectbox", label).find_element(By.TAG_NAME, "input")
        box.click()
        box.send_keys(option)
        time.sleep(0.3)
        box.send_keys(Keys.ENTER)
        WebDriverWait(drv, 10, poll_frequency=0.05).until(  # the option list (all names as text) has closed
            lambda d: not d.find_elements(By.CSS_SELECTOR, "[role='listbox'], [role='option']")
        )

    return act


def slide(label: str, steps: int = 1, key: str = Keys.ARROW_RIGHT) -> Callable:
    """Move the slider labelled ``label`` by ``steps`` (right unless ``key`` says otherwise)."""

    def act(drv) -> None:
        thumb = widget(drv, "stSlider", label).find_element(By.CSS_SELECTOR, "input[type='range']")
        drv.execute_script("arguments[0].focus()", thumb)  # a visually hidden input: focus, then keys
        for _ in range(steps):
            ActionChains(drv).send_keys(key).perform()

    return act


def type_into(label: str, words: str) -> Callable:
    def act(drv) -> None:
        box = widget(drv, "stTextInput", label).find_element(By.TAG_NAME, "input")
        box.send_keys(words + Keys.ENTER)

    return act


def screenshot(driver, name: str) -> Path:
    """A screenshot of the whole page into tests/artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
        "return Math.max(m.scrollHeight, document.body.scrollHeight);"
    )
    driver.set_window_size(1400, max(900, min(int(height) + 120, 6000)))
    time.sleep(0.8)  # charts re-lay out to the new size
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1600)
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


# ---------------------------------------------------------------- what each page must show


@dataclass
class Visit:
    """One page: its address, title, values it must show, one filter change and what shows after it."""

    page: str
    title: str
    expected: list[str]
    action: Callable | None
    after: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)


APPROVED_CANDIDATE = (
    "EXISTS (SELECT 1 FROM marts.capability_provision_match AS m INNER JOIN marts.dim_standard AS s "
    "USING (standard_key) WHERE m.capability_key = p.capability_key AND s.status = 'Approved for delivery')"
)


def top_statement(warehouse, capability_key: str) -> str:
    """The statement the page lists first for a capability (approved-for-delivery standards only, by rank)."""
    return warehouse.value(
        """
        SELECT m.statement_text FROM marts.capability_provision_match AS m
        INNER JOIN marts.dim_standard AS s USING (standard_key)
        WHERE m.capability_key = ? AND s.status = 'Approved for delivery'
        ORDER BY m.rank LIMIT 1
        """,
        [capability_key],
    )


def visits(warehouse, cycle: str) -> list[Visit]:
    """Every page and deep link, with values from the warehouse and one filter change each."""
    one = warehouse.value
    title, capabilities = warehouse.rows(
        "SELECT cycle_title, capabilities FROM marts.data_capture_overview WHERE cycle_id = ?", [cycle]
    )[0]
    fops = warehouse.rows(
        "SELECT fop_key, name FROM marts.dim_fop WHERE cycle_id = ? ORDER BY coalesce(role_level_id, 999), name",
        [cycle],
    )
    first_fop = fops[0][1]
    fitted = [
        row[0]
        for row in warehouse.rows("SELECT DISTINCT fop_key FROM marts.fop_vs_provision WHERE cycle_id = ?", [cycle])
    ]
    other_fop_key, other_fop = next((key, name) for key, name in reversed(fops) if key in fitted)
    partner = one("SELECT min(partner_name) FROM marts.supply_chain_capabilities WHERE cycle_id = ?", [cycle])
    first_ksb = one(
        "SELECT capability_statement FROM marts.future_ksb_summary WHERE cycle_id = ? ORDER BY capability_key LIMIT 1",
        [cycle],
    )
    search_word = max(first_ksb.split(), key=len).lower()
    shared_by_two, all_capabilities = warehouse.rows(
        "SELECT count(*) FILTER (WHERE fops_total >= 2), count(*) FROM marts.fop_distribution WHERE cycle_id = ?",
        [cycle],
    )[0]
    shown_most = one("SELECT max(fit_rank) FROM marts.fop_vs_provision")  # the slider's default and max
    approved_best = one(
        "SELECT count(DISTINCT v.standard_key) FROM marts.fop_vs_provision AS v "
        "INNER JOIN marts.dim_standard AS s USING (standard_key) "
        "WHERE v.fop_key = ? AND s.status = 'Approved for delivery'",
        [other_fop_key],
    )
    most_shared = one(
        "SELECT capability_statement FROM marts.fop_distribution WHERE cycle_id = ? "
        "ORDER BY fops_total DESC, capability_key LIMIT 1",
        [cycle],
    )
    best_matched = one(
        "SELECT capability_statement FROM marts.capability_provision_status WHERE cycle_id = ? "
        "ORDER BY best_similarity DESC NULLS LAST LIMIT 1",
        [cycle],
    )
    linked_key, linked_statement = warehouse.rows(
        "SELECT capability_key, capability_statement FROM marts.capability_provision_status AS p "
        f"WHERE cycle_id = ? AND best_similarity IS NOT NULL AND {APPROVED_CANDIDATE} "
        "ORDER BY best_similarity, capability_key LIMIT 1",
        [cycle],
    )[0]
    linked_top = top_statement(warehouse, linked_key)
    top_priority = one(
        "SELECT fop_name FROM marts.fop_priorities WHERE cycle_id = ? ORDER BY action_rank LIMIT 1", [cycle]
    )
    total, priority = warehouse.rows(
        "SELECT count(*), count(*) FILTER (WHERE is_priority) FROM marts.fop_priorities WHERE cycle_id = ?", [cycle]
    )[0]
    finding = one(
        "SELECT finding FROM marts.data_quality_findings WHERE cycle_id = ? ORDER BY severity DESC, finding_id LIMIT 1",
        [cycle],
    )
    return [
        Visit(
            "data_capture_overview",
            "Data Capture Overview",
            [title or cycle, str(capabilities)],
            click_label("Share of capabilities"),
            ["%"],
        ),
        Visit("supply_chain_capabilities", "Supply Chain Capabilities", [partner], click_label("Not matched")),
        Visit("fop_detail", "FOP Detail", [first_fop], choose("FOP", other_fop), [f"Capabilities in {other_fop}"]),
        Visit("fop_matrix", "FOP Matrix", [first_fop], click_label("Hide empty capabilities")),
        Visit("future_ksbs_summary", "Future KSBs Summary", [first_ksb], type_into("Search any column", search_word)),
        Visit(
            "fop_distribution",
            "FOP Distribution",
            [most_shared],
            slide("Capabilities needed by at least this many FOPs"),
            [f"{shared_by_two} of {all_capabilities} capabilities"],
        ),
        Visit(
            "capabilities_matched",
            "Capabilities Matched to Current Provision",
            [best_matched],
            click_label("Not matched"),
        ),
        Visit(
            "capabilities_matched",
            "Capabilities Matched to Current Provision",
            [linked_statement, linked_top[:60]],
            click_label("Partial match"),
            query={"cycle": cycle, "capability": linked_key},
        ),
        Visit(
            "fit_surplus_factors",
            "Fit & Surplus Factors",
            [first_fop],
            choose("FOP", other_fop),
            [f"standards for {other_fop}"],
        ),
        Visit("fit_surplus_matrix", "Fit & Surplus Matrix", [first_fop], click_label("Surplus")),
        Visit("fop_capability_matches", "FOP Capability Matches", [first_fop], click_label("Not matched")),
        Visit(
            "fop_vs_provision",
            "FOP vs Provision",
            [first_fop],
            choose("FOP", other_fop),
            [f"standards for {other_fop}"],
        ),
        Visit(
            "fop_vs_provision",
            "FOP vs Provision",
            [other_fop],
            slide("Standards shown (best first)", shown_most - 2, Keys.ARROW_LEFT),
            [f"{min(2, approved_best)} standards for {other_fop}"],
            query={"cycle": cycle, "fop": other_fop_key},
        ),
        Visit(
            "fop_priorities",
            "FOP Priorities",
            [top_priority, f"{total} FOPs"],
            click_label("Priority FOPs only"),
            [f"{priority} FOPs"],
        ),
        Visit(
            "data_quality",
            "Data Quality",
            [finding] if finding else ["Findings in the cycle's data"],
            click_label("Failed expectations only"),
        ),
    ]


def assert_every_table_downloads(driver, page: str) -> None:
    """Each table on the page has its CSV and Excel download buttons (they render just after the table)."""
    selector = "[data-testid='stDataFrame'], [data-testid='stTable']"

    def counts(drv) -> tuple[int, int, int]:
        tables = len(drv.find_elements(By.CSS_SELECTOR, selector))
        buttons = [
            b.get_attribute("textContent") or ""  # also those in a closed expander
            for b in drv.find_elements(By.CSS_SELECTOR, "[data-testid='stDownloadButton']")
        ]
        return tables, sum("CSV" in b for b in buttons), sum("Excel" in b for b in buttons)

    try:
        WebDriverWait(driver, 15, poll_frequency=0.2).until(
            lambda drv: (lambda t, c, x: t > 0 and c >= t and x >= t)(*counts(drv))
        )
    except TimeoutException:
        tables, csv, excel = counts(driver)
        raise AssertionError(f"{page}: {tables} tables but {csv} CSV and {excel} Excel buttons") from None


def test_every_page_renders_and_filters_in_time(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    """Visits every page and deep link, changes one filter on each, keeps screenshots, prints timings."""
    # The first visit also pays for the new server's imports and the browser's first load of the app.
    warm_up = open_page(browser, f"{dashboard_url}/", "Data Capture Overview", [])
    lines = [
        f"(first visit to a new server, untimed below: {warm_up:.2f} s)",
        f"{'page':<48} {'first render s':>15} {'filter change s':>16}",
    ]
    for visit in visits(warehouse, cycle):
        name = visit.page + ("_link" if visit.query else "")
        url = f"{dashboard_url}/{visit.page}" + (f"?{urlencode(visit.query)}" if visit.query else "")
        first = open_page(browser, url, visit.title, visit.expected)
        assert_every_table_downloads(browser, name)
        screenshot(browser, name)
        change = None
        if visit.action is not None:
            before = page_text(browser)
            started = time.monotonic()
            visit.action(browser)
            settle(browser, visit.title, visit.after, changed_from=before)
            change = time.monotonic() - started
            screenshot(browser, f"{name}_filtered")
        lines.append(f"{name:<48} {first:>15.2f} " + (f"{change:>16.2f}" if change is not None else f"{'-':>16}"))
    report = "\n".join(lines)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "render_times.txt").write_text(report + "\n")
    print("\nRender times (headless Chromium, this machine):\n" + report)


# ---------------------------------------------------------------- cases that once were broken


def test_default_page_opens_at_its_own_address(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    title = warehouse.value("SELECT cycle_title FROM marts.data_capture_overview WHERE cycle_id = ?", [cycle])
    browser.get(f"{dashboard_url}/data_capture_overview")
    settle(browser, "Data Capture Overview", [title or cycle])
    time.sleep(1.5)  # the "Page not found" dialog arrives after the page's first run
    assert "Page not found" not in page_text(browser)


def test_changing_the_fop_keeps_its_best_standards(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    # Two FOPs where the second's best approved-for-delivery standard is not among the first's ten
    # best: a selection carried over from the first FOP cannot show it.
    pairs = warehouse.rows(
        """
        WITH best AS (
            SELECT v.fop_key, f.name, v.standard_key, v.standard_title, v.fit_rank, s.status
            FROM marts.fop_vs_provision AS v
            INNER JOIN marts.dim_fop AS f USING (fop_key)
            INNER JOIN marts.dim_standard AS s USING (standard_key)
            WHERE v.cycle_id = ?
        ),
        first_approved AS (
            SELECT fop_key, name, min_by(standard_key, fit_rank) AS standard_key,
                   min_by(standard_title, fit_rank) AS standard_title
            FROM best WHERE status = 'Approved for delivery' GROUP BY ALL
        )
        SELECT a.fop_key, a.name, b.name, b.standard_title
        FROM (SELECT DISTINCT fop_key, name FROM best) AS a, first_approved AS b
        WHERE a.fop_key <> b.fop_key
          AND NOT EXISTS (SELECT 1 FROM best AS x WHERE x.fop_key = a.fop_key AND x.standard_key = b.standard_key)
        ORDER BY a.name, b.name
        LIMIT 1
        """,
        [cycle],
    )
    # The real cycle always has such a pair; a warehouse without one cannot show the broken case.
    assert pairs, "no two FOPs of this warehouse have different best-fitting standards"
    first_key, first, second, second_best = pairs[0]
    browser.get(f"{dashboard_url}/fop_vs_provision?{urlencode({'cycle': cycle, 'fop': first_key})}")
    settle(browser, "FOP vs Provision", [first])
    if first not in widget(browser, "stSelectbox", "FOP").text:
        choose("FOP", first)(browser)
        settle(browser, "FOP vs Provision", [first])
    before = page_text(browser)
    choose("FOP", second)(browser)
    settle(browser, "FOP vs Provision", [f"standards for {second}", second_best], changed_from=before)
    assert "Choose at least one standard" not in page_text(browser)
    screenshot(browser, "fop_vs_provision_fop_changed")


def test_a_fop_without_capabilities_says_so(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    empty = warehouse.rows(
        """
        SELECT f.fop_key, f.name FROM marts.dim_fop AS f
        WHERE f.cycle_id = ? AND NOT EXISTS (SELECT 1 FROM marts.fop_detail AS d WHERE d.fop_key = f.fop_key)
        ORDER BY f.name LIMIT 1
        """,
        [cycle],
    )
    # The report rates one priority FOP (Automation Digitalisation Specialist) on no capability.
    assert empty, "every FOP of this warehouse lists capabilities: the empty-FOP case cannot be shown"
    fop_key, name = empty[0]
    browser.get(f"{dashboard_url}/fop_vs_provision?{urlencode({'cycle': cycle, 'fop': fop_key})}")
    settle(browser, "FOP vs Provision", [name, "lists no capabilities"])
    assert "Choose at least one standard" not in page_text(browser)


def test_a_linked_capability_follows_the_filters(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    key, statement = warehouse.rows(
        "SELECT capability_key, capability_statement FROM marts.capability_provision_status AS p "
        f"WHERE cycle_id = ? AND match_class <> 'none' AND {APPROVED_CANDIDATE} "
        "ORDER BY best_similarity DESC, capability_key LIMIT 1",
        [cycle],
    )[0]
    top = top_statement(warehouse, key)
    browser.get(f"{dashboard_url}/capabilities_matched?{urlencode({'cycle': cycle, 'capability': key})}")
    settle(browser, "Capabilities Matched to Current Provision", [statement, top[:60]])
    before = page_text(browser)
    click_label("Not matched")(browser)
    settle(browser, "Capabilities Matched to Current Provision", ["hidden by the filters"], changed_from=before)
    statements_panel = main_text(browser).split("Matched statements", 1)[-1]
    assert top[:60] not in statements_panel, "the linked capability's statements stay although filtered out"
    screenshot(browser, "capabilities_matched_link_filtered_out")


def test_an_unknown_capability_key_is_reported(browser, dashboard_url: str, cycle: str) -> None:
    browser.get(f"{dashboard_url}/capabilities_matched?{urlencode({'cycle': cycle, 'capability': 'no-such-key'})}")
    settle(browser, "Capabilities Matched to Current Provision", ["no-such-key"])
    assert "No capability" in main_text(browser)


def test_all_cycles_table_shows_themes_and_match_counts(browser, dashboard_url: str, warehouse, cycle: str) -> None:
    """Every column of the all-cycles table is on screen with its values (no blank or cut columns)."""
    themes, matched, partial, unmatched = warehouse.rows(
        "SELECT themes, matched_capabilities, partial_capabilities, unmatched_capabilities "
        "FROM marts.data_capture_overview WHERE cycle_id = ?",
        [cycle],
    )[0]
    browser.get(f"{dashboard_url}/data_capture_overview")
    settle(browser, "Data Capture Overview", ["All cycles in the warehouse"])
    table = browser.find_element(By.CSS_SELECTOR, "[data-testid='stTable'] table")
    headers = [cell.text for cell in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    row = dict(zip(headers, next(r for r in rows if cycle in r), strict=False))
    assert row["Themes"] == str(themes)
    assert (row["Matched"], row["Partial match"], row["Not matched"]) == (str(matched), str(partial), str(unmatched))
    width = browser.execute_script("return window.innerWidth")
    right = browser.execute_script("return arguments[0].getBoundingClientRect().right", table)
    assert right <= width, "the all-cycles table runs off the page"


def test_sidebar_shows_publish_time_and_run_not_the_file_path(browser, dashboard_url: str, dashboard_warehouse) -> None:
    browser.get(f"{dashboard_url}/data_capture_overview")
    settle(browser, "Data Capture Overview", ["Warehouse published"])
    sidebar = browser.find_element(By.CSS_SELECTOR, "[data-testid='stSidebar']").text
    assert str(dashboard_warehouse) not in sidebar and "wfh.duckdb" not in sidebar
    assert "run" in sidebar.lower()
