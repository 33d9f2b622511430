"""The inline stylesheet and script of the HTML report (no external resources, no build step)."""

from __future__ import annotations

CSS = """\
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --card: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d8dee4; --link: #0550ae;
  --code: #eef1f4;
  --breaking: #b42318; --breaking-bg: #fde8e7; --dangerous: #8a5300; --dangerous-bg: #fff1d6;
  --safe: #1a7f37; --safe-bg: #e3f6e8;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --card: #171b21; --fg: #e6e9ed; --muted: #9aa4af; --line: #2d333b; --link: #6cb6ff;
    --code: #22282f;
    --breaking: #ff8b82; --breaking-bg: #3d1715; --dangerous: #f2c461; --dangerous-bg: #3a2a08;
    --safe: #6fdd8b; --safe-bg: #12301b;
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
a { color: var(--link); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 28px 0 10px; display: flex; align-items: center; gap: 8px; }
.sources { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.sources code { color: var(--fg); background: var(--code); padding: 1px 5px; border-radius: 4px; }
#summary { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 18px 0 0; }
.badge {
  display: inline-flex; align-items: baseline; gap: 6px; padding: 4px 12px; border-radius: 999px;
  font-weight: 600; border: 1px solid currentColor;
}
.badge b { font-size: 1.15em; }
.badge.breaking, .verdict.breaking { color: var(--breaking); background: var(--breaking-bg); }
.badge.dangerous, .verdict.dangerous { color: var(--dangerous); background: var(--dangerous-bg); }
.badge.safe, .verdict.safe { color: var(--safe); background: var(--safe-bg); }
.badge.zero { color: var(--muted); background: transparent; }
.note { color: var(--muted); margin: 0; }
.impact { overflow-x: auto; }
.impact table { border-collapse: collapse; width: 100%; margin-top: 10px; background: var(--card); font-size: .92em; }
.impact th, .impact td {
  text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line);
}
.impact td:last-child { overflow-wrap: anywhere; }
.filters {
  position: sticky; top: 0; z-index: 1; margin: 20px -20px 0; padding: 12px 20px;
  background: var(--bg); border-bottom: 1px solid var(--line);
  display: flex; flex-wrap: wrap; gap: 10px 24px; align-items: center;
}
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; }
.filters legend { float: left; margin-right: 8px; color: var(--muted); font-size: .85em; padding-top: 2px; }
.filters label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; white-space: nowrap; }
.filters input[type=checkbox] { margin: 0; accent-color: var(--link); }
.filters input[type=search] {
  flex: 1 1 220px; min-width: 0; padding: 6px 10px; font: inherit; color: var(--fg);
  background: var(--card); border: 1px solid var(--line); border-radius: 6px;
}
#shown { color: var(--muted); font-size: .85em; margin: 10px 0 0; }
.changes { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.change {
  background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--line);
  border-radius: 6px; padding: 10px 16px;
}
.change[data-severity=breaking] { border-left-color: var(--breaking); }
.change[data-severity=dangerous] { border-left-color: var(--dangerous); }
.change[data-severity=safe] { border-left-color: var(--safe); }
.message { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.subject { margin: 2px 0 0; color: var(--muted); overflow-wrap: anywhere; }
.meta { margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 20px; font-size: .88em; }
.meta div { display: flex; gap: 6px; min-width: 0; align-items: baseline; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.meta + .meta { margin-top: 2px; }
.meta code { font-size: .95em; }
.verdict { padding: 0 6px; border-radius: 4px; font-weight: 600; }
.bundle {
  background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--line);
  border-radius: 6px; padding: 10px 16px;
}
.bundle[data-severity=breaking] { border-left-color: var(--breaking); }
.bundle[data-severity=dangerous] { border-left-color: var(--dangerous); }
.bundle[data-severity=safe] { border-left-color: var(--safe); }
.bundle details { margin-top: 6px; }
.bundle .changes { margin-top: 8px; }
.bundle .change { border-left-width: 1px; }
summary { cursor: pointer; color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 16px; margin: 18px 0 0; overflow-x: auto; }
.counts table { border-collapse: collapse; background: var(--card); font-size: .88em; }
.counts th, .counts td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--line); }
.counts .num { text-align: right; }
.warnings li { overflow-wrap: anywhere; }
footer { margin-top: 32px; color: var(--muted); font-size: .85em; }
@media (max-width: 720px) {
  body { font-size: 14px; }
  main { padding: 16px 12px 40px; }
  .filters { position: static; margin: 16px -12px 0; padding: 10px 12px; }
  .change { padding: 10px 12px; }
  .meta { gap: 2px 14px; }
}
"""

JS = """\
(() => {
  const form = document.getElementById("filters");
  const rows = Array.from(document.querySelectorAll(".change"));
  const groups = Array.from(document.querySelectorAll(".group"));
  const bundles = Array.from(document.querySelectorAll(".bundle"));
  const shown = document.getElementById("shown");
  const picked = (name) => new Set(Array.from(form.querySelectorAll(`input[name=${name}]:checked`), (i) => i.value));
  const apply = () => {
    const severities = picked("severity"), directions = picked("direction");
    const query = form.elements.q.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      const ok = severities.has(row.dataset.severity) && directions.has(row.dataset.direction)
        && (!query || row.textContent.toLowerCase().includes(query));
      row.hidden = !ok;
      count += ok ? 1 : 0;
    }
    for (const bundle of bundles) bundle.hidden = !bundle.querySelector(".change:not([hidden])");
    for (const group of groups) group.hidden = !group.querySelector(".change:not([hidden])");
    shown.textContent = `${count} of ${rows.length} changes shown`;
  };
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  shown.hidden = false;
  apply();
})();
"""
