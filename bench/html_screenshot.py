"""Look at the HTML report in a real browser: render the petstore example, open it in headless Chromium,
take screenshots at a wide and a narrow width and check the rendered DOM.

    .venv/bin/python bench/html_screenshot.py [--out docs/images] [--dark]

Needs Debian's ``chromium`` (``apt-get install -y chromium``); exits with 2 when there is none. Writes
``html-report-wide.png`` (1400x900) and ``html-report-narrow.png`` (400x900), and with ``--dark`` also
``html-report-dark.png`` (1400x900, ``prefers-color-scheme: dark``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from apidiff import compare  # noqa: E402
from apidiff.report.html import render  # noqa: E402

SIZES = {"wide": (1400, 900), "narrow": (400, 900)}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def chromium(binary: str, page: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="apidiff-chromium-") as profile:
        command = [binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                   "--hide-scrollbars", f"--user-data-dir={profile}", *args, page.as_uri()]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    parser.add_argument("--dark", action="store_true", help="also take a dark-mode screenshot")
    options = parser.parse_args()
    binary = find_chromium()
    if binary is None:
        print("no Chromium found: install Debian's chromium (apt-get install -y chromium)", file=sys.stderr)
        return 2
    os.chdir(REPO)  # relative source paths in the page, as in the snapshot
    report = compare("examples/petstore/v1.yaml", "examples/petstore/v2.yaml", today=date(2026, 1, 1))
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="apidiff-html-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render(report), encoding="utf-8")
        started = time.perf_counter()
        dom = chromium(binary, page, "--dump-dom")
        print(f"--dump-dom: {time.perf_counter() - started:.2f} s")
        if dom.returncode != 0 or 'id="summary"' not in dom.stdout:
            print(f"the rendered DOM has no summary element:\n{dom.stderr[-2000:]}", file=sys.stderr)
            return 1
        counted = re.search(r"\b(\d+) of (\d+) changes shown", dom.stdout)
        if counted is None or counted.group(1) != counted.group(2) or int(counted.group(2)) == 0:
            print("the filter script did not run (Content-Security-Policy hash or script error?)", file=sys.stderr)
            return 1
        print(f"the filter script ran: {counted.group(0)} ({len(report.changes)} changes in the report)")
        shots: list[tuple[str, tuple[int, int], tuple[str, ...]]] = [(n, size, ()) for n, size in SIZES.items()]
        if options.dark:
            shots.append(("dark", SIZES["wide"], ("--force-dark-mode", "--blink-settings=preferredColorScheme=0")))
        for name, (width, height), extra in shots:
            target = options.out / f"html-report-{name}.png"
            started = time.perf_counter()
            shot = chromium(binary, page, f"--screenshot={target}", f"--window-size={width},{height}", *extra)
            if shot.returncode != 0 or not target.exists():
                print(f"screenshot {name} failed:\n{shot.stderr[-2000:]}", file=sys.stderr)
                return 1
            print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: {width}x{height}, "
                  f"{time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
