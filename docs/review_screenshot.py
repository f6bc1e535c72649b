"""Make docs/review.png: the review page for an example, in Debian's Chromium.

    python docs/review_screenshot.py

Translates an example with the pseudo engine in a temporary folder (a memory of its own),
serves the review page, edits the heading, tries to delete a locked amount, and takes the
picture. Needs the dev extra (Playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "startup-ai-jakarta-pendanaan"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.environ["SYNDICATE_TM"] = str(base / "tm.sqlite3")
        os.chdir(base)  # its own ./config: the translation and the page use the same glossary
        (base / "config").mkdir()
        (base / "config" / "syndicate.yaml").write_text("glossary: glossary.yaml\n")
        (base / "config" / "glossary.yaml").write_text("keep: [KataKita]\n")
        from playwright.sync_api import sync_playwright

        from syndicate.cli import main as cli
        from syndicate.resources.glossary import Glossary
        from syndicate.resources.memory import TranslationMemory
        from syndicate.review.bitext import load_bitext
        from syndicate.review.store import ReviewStore
        from syndicate.review.web import ReviewApp, make_server, reloader, url_of

        source = base / f"{EXAMPLE}.md"
        shutil.copy(ROOT / "examples" / source.name, source)
        with contextlib.suppress(SystemExit):
            cli(["-qq", "translate", str(source), "--to", "en-GB", "--engine", "pseudo"])
        glossary = Glossary(keep=("KataKita",))
        bitext = load_bitext(source, base / f"{EXAMPLE}.en-GB.md", glossary=glossary)
        with (
            ReviewStore(base / "review.sqlite3") as store,
            TranslationMemory(base / "tm.sqlite3") as memory,
        ):
            app = ReviewApp(
                [bitext], store=store, who="ayu", memory=memory, reload=reloader(glossary=glossary)
            )
            server = make_server(app)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--headless", "--disable-gpu"],
                )
                page = browser.new_page(viewport={"width": 1280, "height": 1180})
                page.goto(url_of(server, app))
                first = page.locator("li.segment").nth(3)
                first.get_by_role("button", name="Approve segment").click()
                first.locator(".state.approved").wait_for()
                money = (
                    page.locator("li.segment")
                    .nth(3)
                    .locator("[data-role=editor] .chip.amount")
                    .first
                )
                money.evaluate(
                    "chip => { chip.parentElement.focus(); const r = document.createRange();"
                    " r.setStartAfter(chip); const s = getSelection(); s.removeAllRanges();"
                    " s.addRange(r); }"
                )
                page.keyboard.press("Backspace")
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(ROOT / "docs" / "review.png"))
                browser.close()
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
