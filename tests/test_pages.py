"""The service's pages in a real headless browser: Debian's chromium driven by
Selenium through Debian's chromedriver, against a real server on 127.0.0.1.
A screenshot of each page is left in /tmp (ascn-graph-*.png) to look at."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from ascn_graph import api
from ascn_graph.loading import ASCN, NS_ID
from ascn_graph.pages import row_sources
from ascn_graph.results import label
from tests.test_server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path("/tmp")
WAIT = 120  # seconds to wait for a page element (the first picture may still be drawing)

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium): "
                "no browser to run the page tests in", allow_module_level=True)
if not Path(DRIVER).exists():
    pytest.skip("Debian's chromium-driver is not installed (apt-get install chromium-driver): "
                "Selenium cannot drive chromium without it", allow_module_level=True)


@pytest.fixture(scope="module")
def base() -> str:
    with running_server("--timeout", "30", "--workers", "2") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.TemporaryDirectory(prefix="ascn-graph-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-proxy-server", "--window-size=1280,1400", "--force-device-scale-factor=1",
                     "--lang=en-US", f"--user-data-dir={profile.name}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        profile.cleanup()


@pytest.fixture(scope="module")
def served(reasoned) -> Graph:
    from ascn_graph.export import published

    return published(reasoned, inferred=True)


def wait_for(driver, css: str):
    return WebDriverWait(driver, WAIT).until(seen.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_resource_page(base: str, browser, served: Graph) -> None:
    tenure = NS_ID["tenure/shepherd-indonesia-2023"]
    labels = {o.language: str(o) for o in served.objects(tenure, RDFS.label)}
    quotes = {str(q) for c in served.objects(tenure, ASCN.citation) for q in served.objects(c, ASCN.quote)}
    browser.get(base + "/id/tenure/shepherd-indonesia-2023")
    assert wait_for(browser, "h1").text == labels["en"]
    assert browser.find_element(By.CSS_SELECTOR, "td.label-en").text == labels["en"]
    assert browser.find_element(By.CSS_SELECTOR, "td.label-id").text == labels["id"]
    shown = {q.get_attribute("textContent") for q in browser.find_elements(By.CSS_SELECTOR, "blockquote.quote")}
    assert quotes and quotes <= shown
    assert any("ditunjuk sebagai Shepherd" in q for q in shown)
    browser.save_screenshot(str(SHOTS / "ascn-graph-resource.png"))
    link = browser.find_element(By.CSS_SELECTOR, 'table.facts a[href="/id/country/indonesia"]')
    link.click()
    WebDriverWait(browser, WAIT).until(seen.url_contains("/id/country/indonesia"))
    assert wait_for(browser, "h1").text == "Indonesia"
    back = browser.find_elements(By.CSS_SELECTOR, 'a[href="/id/tenure/shepherd-indonesia-2023"]')
    assert back, "the country's page links back to the tenure (incoming links)"


def test_ontology_term_page(base: str, browser) -> None:
    browser.get(base + "/ontology/Shepherd")
    assert wait_for(browser, "h1").text == "ASCN Shepherd"
    assert browser.find_element(By.CSS_SELECTOR, "td.label-id").text == "Shepherd ASCN"
    assert browser.find_elements(By.CSS_SELECTOR, 'a[href="/id/tenure/shepherd-indonesia-2023"]')


def test_query_page(base: str, browser, reasoned, served: Graph) -> None:
    expected = api.run_saved_query("holders-on-date", {"date": "2024-07-30"}, graph=reasoned)
    browser.get(base + "/queries")
    Select(wait_for(browser, "#query-name")).select_by_value("holders-on-date")
    field = wait_for(browser, "#p_date")
    field.clear()
    field.send_keys("2024-07-30")
    browser.find_element(By.ID, "run").click()
    table = wait_for(browser, "#results")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == expected.columns + ["sources"]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == len(expected.rows) > 3
    holder = expected.columns.index("holder")
    assert sorted(r[holder] for r in rows) == sorted(label(served, r[holder]) for r in expected.rows)
    assert "Lao PDR" in [r[holder] for r in rows]
    for shown, row in zip(rows, expected.rows, strict=True):
        for source in row_sources(served, row):
            assert label(served, source) in shown[-1]
    assert browser.find_element(By.ID, "row-count").text == f"{len(expected.rows)} rows"
    browser.save_screenshot(str(SHOTS / "ascn-graph-queries.png"))


def test_query_page_in_indonesian(base: str, browser) -> None:
    browser.get(base + "/queries?name=pilot-cities&p_country=country:indonesia&lang=id&run=1")
    cells = [td.text for td in wait_for(browser, "#results").find_elements(By.TAG_NAME, "td")]
    assert "Kabupaten Sumedang" in cells and "calon anggota" in cells


def test_timeline_picture(base: str, browser) -> None:
    browser.get(base + "/timeline")
    picture = wait_for(browser, "object#timeline")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script(
        "var o = arguments[0]; return o.contentDocument && o.contentDocument.querySelector('svg') "
        "&& o.contentDocument.querySelectorAll('rect').length > 20;", picture))
    browser.save_screenshot(str(SHOTS / "ascn-graph-timeline.png"))
    browser.get(base + "/timeline.svg")
    svg = wait_for(browser, "svg")
    texts = svg.get_attribute("textContent")
    assert "Shepherd" in texts and "Lao PDR" in texts and "Indonesia" in texts
