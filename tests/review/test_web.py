"""The review page: served on 127.0.0.1 behind a token, driven in Debian's Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.errors import install_hint
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.review.bitext import load_bitext
from syndicate.review.store import ReviewStore, store_path
from syndicate.review.web import ReviewApp, make_server, reloader, url_of
from tests.helpers import ROOT, run, syndicate_command

NOW = "2025-06-25T07:00:00Z"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXAMPLE = "startup-ai-jakarta-pendanaan"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An example translated to en-GB by the pseudo engine, with a glossary keeping a name."""
    (tmp_path / "glossary.yaml").write_text("keep: [KataKita]\n")
    (tmp_path / "syndicate.yaml").write_text("engine: pseudo\nglossary: glossary.yaml\n")
    shutil.copy(ROOT / "examples" / f"{EXAMPLE}.md", tmp_path / f"{EXAMPLE}.md")
    result = run(
        "--config", str(tmp_path / "syndicate.yaml"), "translate", str(tmp_path / f"{EXAMPLE}.md"),
        "--to", "en-GB", "--now", NOW,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.fixture
def printed_url(project: Path) -> Iterator[str]:
    """`syndicate review` in a process of its own; the URL it prints."""
    process = subprocess.Popen(
        syndicate_command(
            "--config",
            str(project / "syndicate.yaml"),
            "review",
            f"{EXAMPLE}.md",
            "--to",
            "en-GB",
            "--who",
            "editor",
        ),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "?token=" in url, process.stderr
        yield url
    finally:
        process.terminate()
        process.communicate(timeout=10)  # closes the pipes too


@pytest.fixture
def served(project: Path) -> Iterator[tuple[str, Path]]:
    """The review app on a real server in a thread; its URL and the translation file."""
    output = project / f"{EXAMPLE}.en-GB.md"
    from syndicate.resources.glossary import load_glossary

    glossary = load_glossary(project / "glossary.yaml")
    bitext = load_bitext(project / f"{EXAMPLE}.md", output, glossary=glossary)
    with ReviewStore(store_path(Path(os.environ["SYNDICATE_TM"]), Path("-"))) as store:
        app = ReviewApp([bitext], store=store, who="ayu", reload=reloader(glossary=glossary))
        server = make_server(app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield url_of(server, app), output
        finally:
            server.shutdown()
            server.server_close()


def post(url: str, body: dict[str, object], token: str | None) -> tuple[int, dict[str, object]]:
    base = url.split("?")[0].rstrip("/")
    request = urllib.request.Request(
        base + "/api",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"} | ({"X-Review-Token": token} if token else {}),
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            data = exc.read()
        return exc.code, json.loads(data) if data.startswith(b"{") else {}


def status_of(project: Path) -> dict[str, object]:
    result = run("--config", str(project / "syndicate.yaml"), "status", "--json")
    item: dict[str, object] = json.loads(result.stdout)["translations"][0]
    return item


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_an_editor_edits_cannot_delete_a_chip_and_approves_in_chromium(
    project: Path, printed_url: str
) -> None:
    """From the printed URL: edit a segment, fail to delete a locked amount, approve the
    article; the file, the memory and status show it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.goto(printed_url)
        heading = page.locator("li.segment", has_text="Rencana penggunaan dana")
        editor = heading.locator('[data-role="editor"]')
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("How the money will be spent")
        heading.get_by_role("button", name="Save segment").click()
        page.wait_for_function(
            "el => el.textContent === 'edited'",
            arg=heading.locator('[data-role="state"]').element_handle(),
        )
        # A locked amount: put the caret right after it and press Backspace.
        item = (
            page.locator("li.segment")
            .filter(has=page.locator('[data-role="editor"] .chip.amount'))
            .first
        )
        money = item.locator('[data-role="editor"] .chip.amount').first
        chips_before = item.locator('[data-role="editor"] [data-token]').count()
        money.evaluate(
            "chip => { chip.parentElement.focus(); const r = document.createRange();"
            " r.setStartAfter(chip); r.collapse(true); const s = window.getSelection();"
            " s.removeAllRanges(); s.addRange(r); }"
        )
        page.keyboard.press("Backspace")
        assert item.locator('[data-role="editor"] [data-token]').count() == chips_before
        assert "Locked" in item.locator('[data-role="alert"]').inner_text()
        # An edit not saved before approving the article is approved with it.
        quote = page.locator("li.segment", has_text="We believe language").locator(
            '[data-role="editor"]'
        )
        quote.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("We think language is the last mile.")
        page.get_by_role("button", name="Approve the whole article").click()
        page.wait_for_function(
            "() => document.querySelector('[data-role=\"article-state\"]').textContent"
            ".startsWith('approved by editor')"
        )
        page.screenshot(path=str(project / "review.png"), full_page=False)
        browser.close()
    output = (project / f"{EXAMPLE}.en-GB.md").read_text(encoding="utf-8")
    assert "## How the money will be spent\n" in output
    assert "> We think language is the last mile.\n" in output
    item_status = status_of(project)
    assert item_status["approved"] is True and item_status["approved_by"] == "editor"
    with TranslationMemory(Path(os.environ["SYNDICATE_TM"])) as memory:
        human = [u.target for u in memory.units() if u.engine == HUMAN]
    assert "How the money will be spent" in human and len(human) == 17


def test_a_request_without_the_token_gets_403(printed_url: str) -> None:
    """The page and the API answer 403 without the token, or with another one."""
    base = printed_url.split("?")[0]
    for url in (base, base + "?token=wrong", base + "favicon.ico"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url)
        caught.value.close()
        assert caught.value.code == 403
    assert post(printed_url, {"action": "undo"}, None)[0] == 403


def test_a_request_naming_another_host_gets_403_even_with_the_token(printed_url: str) -> None:
    """A page of another site reaching the server through DNS rebinding is refused."""
    import http.client

    parts = urllib.parse.urlsplit(printed_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
    try:
        connection.request("GET", f"/?{parts.query}", headers={"Host": "evil.example"})
        assert connection.getresponse().status == 403
    finally:
        connection.close()


def test_a_save_that_drops_a_chip_or_breaks_the_structure_is_refused_with_the_reason(
    served: tuple[str, Path],
) -> None:
    """The server checks every save like engine output: the file stays as it was."""
    url, output = served
    token = url.split("token=")[1]
    before = output.read_text(encoding="utf-8")
    code, answer = post(
        url, {"action": "save", "translation": 0, "position": 3, "template": "no chips"}, token
    )
    assert code == 422 and "locked" in str(answer["message"])
    bitext_template = "Teks\n\n# Judul baru"
    code, answer = post(
        url,
        {"action": "save", "translation": 0, "position": 9, "template": bitext_template},
        token,
    )
    assert code == 422 and "structure-changed" in str(answer["message"])
    assert output.read_text(encoding="utf-8") == before


def test_undo_puts_the_last_change_back(served: tuple[str, Path]) -> None:
    """Save, then undo: the file and the state are as before the save."""
    url, output = served
    token = url.split("token=")[1]
    before = output.read_text(encoding="utf-8")
    code, answer = post(
        url, {"action": "save", "translation": 0, "position": 9, "template": "New heading"}, token
    )
    assert code == 200 and answer["states"]["9"] == "edited"  # type: ignore[index]
    assert "## New heading" in output.read_text(encoding="utf-8")
    code, answer = post(url, {"action": "undo"}, token)
    assert code == 200 and answer["states"]["9"] == "machine"  # type: ignore[index]
    assert output.read_text(encoding="utf-8") == before


def test_without_the_review_extra_the_command_says_what_to_install(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Jinja2: `syndicate review` is a usage error naming the extra to install."""
    monkeypatch.setitem(sys.modules, "jinja2", None)
    result = run(
        "--config", str(project / "syndicate.yaml"), "review", f"{EXAMPLE}.md", "--to", "en-GB"
    )
    assert result.exit_code == 2
    assert install_hint("review") in result.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_page_works_from_the_keyboard_and_labels_every_control(
    project: Path, printed_url: str
) -> None:
    """Alt+Down moves to the next segment, Ctrl+Enter approves and moves on; every button
    and text box has a name a screen reader reads."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.goto(printed_url)
        unnamed = page.evaluate(
            "() => Array.from(document.querySelectorAll('button, [role=textbox]'))"
            ".filter(e => !(e.getAttribute('aria-label') || e.textContent.trim())).length"
        )
        assert unnamed == 0
        editors = page.locator('[data-role="editor"][contenteditable="true"]')
        editors.nth(0).focus()
        page.keyboard.press("Alt+ArrowDown")
        focused = "() => document.activeElement.getAttribute('aria-label')"
        assert page.evaluate(focused) == editors.nth(1).get_attribute("aria-label")
        page.keyboard.press("Control+Enter")
        second = page.locator("li.segment").nth(1).locator('[data-role="state"]')
        page.wait_for_function("el => el.textContent === 'approved'", arg=second.element_handle())
        assert page.evaluate(focused) == editors.nth(2).get_attribute("aria-label")
        browser.close()
    states = [s["state"] for s in status_of(project)["states"]]  # type: ignore[attr-defined]
    assert states[1] == "approved" and states.count("approved") == 1


def test_head_is_answered_like_get_without_a_body(served: tuple[str, Path]) -> None:
    """HEAD (link checkers, curl -I) gets the page's status and headers, no body; not 501."""
    import http.client

    url, _ = served
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
    try:
        connection.request("HEAD", f"/?{parts.query}")
        head = connection.getresponse()
        assert head.status == 200 and head.read() == b""
        assert head.getheader("Content-Type") == "text/html; charset=utf-8"
        assert int(head.getheader("Content-Length") or 0) > 1000
        connection.request("HEAD", "/")  # without the token: refused as GET is
        refused = connection.getresponse()
        assert refused.status == 403 and refused.read() == b""
    finally:
        connection.close()


def test_the_page_title_names_each_article_once(served: tuple[str, Path]) -> None:
    """The tab shows the article's title and locale, not its path once per translation;
    several translations of one article say how many."""
    from syndicate.review.web import page_title

    url, output = served
    with urllib.request.urlopen(url) as response:
        page = response.read().decode("utf-8")
    title = "Startup AI Asal Jakarta Raih Pendanaan Seri B Rp 800 Miliar"
    assert f"<title>Review: {title} (en-GB)</title>" in page
    bitext = load_bitext(output.with_name(f"{EXAMPLE}.md"), output)
    assert page_title([bitext] * 3) == f"Review: {title} (en-GB, 3 translations)"
