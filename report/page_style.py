"""The report page's stylesheet, inlined so the page is one file that needs
no network. Sized for a 1280 px window; printed, each section starts an A4
page, the pictures' sections in landscape so their text stays legible."""

from __future__ import annotations

CSS = """
:root {
  --ink: #1a202c; --muted: #4a5568; --rule: #e2e8f0; --paper: #ffffff; --tint: #f7fafc;
  --sts: #2b6cb0; --dep: #c05621;
  --pass: #22543d; --pass-bg: #c6f6d5; --fail: #9b2c2c; --fail-bg: #fed7d7;
  --inconclusive: #744210; --inconclusive-bg: #fefcbf; --na: #4a5568; --na-bg: #e2e8f0;
}
* { box-sizing: border-box; }
html { background: #edf2f7; }
body {
  margin: 0 auto; max-width: 1240px; padding: 20px 20px 40px; color: var(--ink);
  font: 14px/1.45 "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
section {
  background: var(--paper); border-radius: 10px; padding: 18px 22px 20px; margin: 0 0 18px;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .08);
}
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 15.5px; margin: 20px 0 8px; display: flex; gap: 10px; align-items: baseline; }
h3 .tally { font-size: 12.5px; font-weight: normal; color: var(--muted); }
h4 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); }
p.lead { margin: 0 0 12px; color: var(--muted); }
.sts { color: var(--sts); } .dep { color: var(--dep); }
code, pre, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
pre {
  background: #1a202c; color: #e2e8f0; padding: 8px 10px; border-radius: 6px; margin: 4px 0 8px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 260px; overflow: auto;
}
nav { margin: 10px 0 0; font-size: 13px; }
nav a { color: var(--sts); margin-right: 14px; text-decoration: none; }
nav a:hover { text-decoration: underline; }

dl.facts { display: grid; grid-template-columns: 150px 1fr; gap: 3px 14px; margin: 14px 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }

.tallies { display: flex; gap: 8px; margin: 12px 0 0; flex-wrap: wrap; }
.tallies .mark { font-size: 13px; padding: 4px 10px; }
.mark.none { color: #a0aec0; background: var(--tint); font-weight: normal; }
ul.stopping { list-style: none; padding: 0; margin: 4px 0 0; }
ul.stopping li { margin: 3px 0; }
ul.stopping a { color: var(--ink); }

.mark {
  display: inline-block; min-width: 52px; text-align: center; padding: 1px 7px; border-radius: 10px;
  font-size: 11.5px; font-weight: bold; letter-spacing: .02em; white-space: nowrap;
}
.mark.passed { color: var(--pass); background: var(--pass-bg); }
.mark.failed { color: var(--fail); background: var(--fail-bg); }
.mark.inconclusive { color: var(--inconclusive); background: var(--inconclusive-bg); }
.mark.not-applicable { color: var(--na); background: var(--na-bg); }
.workload {
  display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 4px; border: 1px solid currentColor;
  margin-right: 6px; white-space: nowrap;
}

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
th { font-size: 12.5px; color: var(--muted); font-weight: bold; background: var(--tint); }
table.comparison td:first-child { font-weight: bold; color: var(--muted); width: 150px; white-space: nowrap; }
table.comparison td { width: 44%; overflow-wrap: anywhere; }
table.comparison th.sts { color: var(--sts); } table.comparison th.dep { color: var(--dep); }
table.pods { font-size: 12px; }
table.pods td { white-space: nowrap; }
table.pods td.wraps { white-space: normal; }
table.pods th, table.pods td { padding: 4px 6px; }
table.pods td.state { min-width: 150px; }
table.pods td.dir {
  font-family: "DejaVu Sans Mono", monospace; font-size: 11px; min-width: 200px; overflow-wrap: anywhere;
}

.check { border-left: 4px solid var(--rule); padding: 6px 10px 6px 12px; margin: 0 0 6px; background: var(--paper); }
.check.passed { border-left-color: #68d391; }
.check.failed { border-left-color: #e53e3e; background: #fffafa; }
.check.inconclusive { border-left-color: #d69e2e; background: #fffff5; }
.check.not-applicable { border-left-color: #a0aec0; }
.check .title { display: flex; gap: 8px; align-items: baseline; }
.check .title .name { font-weight: bold; }
.check .line {
  margin: 2px 0 0 62px; font-size: 13px; display: grid; grid-template-columns: 72px 1fr; overflow-wrap: anywhere;
}
.check .line b { color: var(--muted); font-weight: normal; }
.check .detail { margin: 8px 0 2px 62px; }
.hint {
  margin: 6px 0 4px 62px; padding: 6px 10px; border-radius: 6px; background: #ebf8ff; color: #2a4365;
  font-size: 13px;
}
.hint::before { content: "Hint: "; font-weight: bold; }
ul.events { margin: 2px 0 6px; padding-left: 18px; font-size: 12px; }
ul.events li { overflow-wrap: anywhere; }
ul.events .warning { color: var(--fail); }
.see-above { font-size: 12.5px; color: var(--muted); }
.picture { overflow-x: auto; }
.picture svg { display: block; max-width: 100%; height: auto; }
.unobserved {
  border: 2px solid #e53e3e; background: #fff5f5; border-radius: 8px; padding: 12px 16px; margin: 14px 0 0;
}
footer { color: var(--muted); font-size: 12px; text-align: center; }

@page { size: A4; margin: 12mm; }
@page wide { size: A4 landscape; margin: 10mm; }
@media print {
  html, body { background: white; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { box-shadow: none; border-radius: 0; padding: 0; margin: 0; }
  section + section { break-before: page; page-break-before: always; }
  section.wide { page: wide; }
  section.wide .picture svg { max-height: 115mm; width: auto; }
  table.pods { font-size: 8pt; }
  table.pods td.state { min-width: 50mm; }
  table.pods td.dir { font-size: 7pt; min-width: 55mm; }
  nav, footer { display: none; }
  pre { max-height: none; overflow: visible; }
  .check, tr, .picture { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""
