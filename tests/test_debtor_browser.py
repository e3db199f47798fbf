"""The debtor's page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium) opens the letter's web link on the bot's own server
(``python -m bot telegram`` in webhook mode), proposes a payment plan, and the creditor's chat
on the fake Bot API receives it; contests with a file chosen in the page's plain file field, and
the creditor receives both. The screenshot it takes is the README's picture of the page
(``docs/debtor-page.png``: written when missing or with ``UPDATE_SCREENSHOTS=1``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from testing.bot_process import free_port, kill, launch
from testing.fakebot import ApiCall, FakeBotApi
from testing.stored import save_account
from tests.test_debtor_files import delivery_note
from tests.test_debtor_web import CREDITOR, NOW, creditor_account
from tests.test_webhook import SECRET, wait_listening

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "debtor-page.png"

# Debian's chromium and chromium-driver must be there (.ci/run installs them): no skipping.
pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(deliver_webhooks=True) as server:
        yield server


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """A phone-sized headless Chromium; never Selenium Manager's own download."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=420,2400", "--lang=fr-FR",
                     "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(api: FakeBotApi, data_dir: Path, tmp_path: Path) -> Iterator[str]:
    """The debtor's page of a saved creditor's case, served by the bot in webhook mode (a
    process of its own, stopped at the end): its address."""
    account, token = creditor_account()
    save_account(data_dir, account)
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    process = launch(api, data_dir, tmp_path / "bot.log", NOW,
                     args=["--webhook-url", f"{public}/tg/hook", "--port", str(port)],
                     TELEGRAM_WEBHOOK_SECRET=SECRET)
    try:
        wait_listening(port)
        yield f"{public}/d/{token}"
    finally:
        kill(process)


def test_a_debtor_proposes_a_plan_in_a_browser_and_the_creditor_receives_it(
        api: FakeBotApi, page: str, tmp_path: Path, browser: WebDriver) -> None:
    browser.get(page)
    assert "Ce qui est réclamé" in browser.find_element(By.ID, "claim").text
    assert browser.find_element(By.CSS_SELECTOR, "#pay img.qr").get_attribute(
        "naturalWidth") not in {None, "0"}  # the EPC code was drawn by the browser
    take_screenshot(browser, tmp_path)

    count = browser.find_element(By.ID, "count")
    count.clear()
    count.send_keys("4")
    type_date(browser.find_element(By.ID, "first"), "10", "12", "2026")
    Select(browser.find_element(By.ID, "interval")).select_by_value("monthly")
    mark = api.mark()
    browser.find_element(By.CSS_SELECTOR, '#plan button[type="submit"]').click()
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located(
        (By.ID, "done")))
    assert "transmise au créancier" in browser.find_element(By.ID, "done").text

    def plan_reached_creditor(call: ApiCall) -> bool:
        return (call.method == "sendMessage" and call.params.get("chat_id") == CREDITOR
                and "propose un échéancier" in str(call.params.get("text", "")))

    api.wait_for(plan_reached_creditor, timeout=20, since=mark)
    said = "\n".join(m.text for m in api.messages_to(CREDITOR))
    assert "4 échéances mensuelles à partir du 10 décembre 2026" in said


def test_a_debtor_contests_with_a_file_in_a_browser_and_the_creditor_receives_both(
        api: FakeBotApi, page: str, tmp_path: Path, browser: WebDriver) -> None:
    note = tmp_path / "bon de livraison.pdf"
    note.write_bytes(delivery_note())
    browser.get(page)
    Select(browser.find_element(By.ID, "reason")).select_by_value("quantity")
    browser.find_element(By.ID, "text").send_keys("Seules 2 pages sur 5 ont été livrées.")
    browser.find_element(By.ID, "files").send_keys(str(note))  # as "Choose file" does
    mark = api.mark()
    browser.find_element(By.CSS_SELECTOR, '#contest button[type="submit"]').click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located(
        (By.ID, "done")))
    assert "transmise au créancier" in browser.find_element(By.ID, "done").text
    [sent] = api.wait_documents(CREDITOR, 1, timeout=30, since=mark)
    assert sent.filename == "bon de livraison.pdf"
    assert sent.content == note.read_bytes()
    said = "\n".join(m.text for m in api.messages_to(CREDITOR))
    assert "« Seules 2 pages sur 5 ont été livrées. »" in said
    assert "Il joint 1 fichier" in said


def type_date(field: WebElement, day: str, month: str, year: str) -> None:
    """Type a day into a date field as a person would. The order of its parts follows the
    browser's interface language (day first in French, month first in Chromium's default
    English when Debian's chromium-l10n is not installed): type it one way, then the other."""
    wanted = f"{year}-{month}-{day}"
    for order in (day + month + year, month + day + year):
        field.send_keys(order)
        if field.get_attribute("value") == wanted:
            return
        field.clear()
    raise AssertionError(f"the date field kept {field.get_attribute('value')!r}")


def take_screenshot(browser: WebDriver, folder: Path) -> None:
    """The page as a phone shows it, top to the plan form; kept in docs/ for the README."""
    shot = folder / "debtor-page.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000  # a real page, not a blank one
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
