"""The inline stylesheet of the HTML report: system fonts, print rules, no network."""

from __future__ import annotations

CSS = """
:root { color-scheme: light; --confirmed: #b00020; --likely: #a35a00; --possible: #00638a; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem auto;
  max-width: 1100px; padding: 0 1rem; color: #1a1a1a; background: #fff; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; margin-top: 2rem; }
h2 small { color: #666; font-weight: normal; }
.meta, .counts { margin: .2rem 0; }
.counts span { display: inline-block; margin-right: 1rem; }
.counts strong { font-size: 1.3rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border: 1px solid #ddd; padding: .3rem .4rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f2f2f2; }
code, .where { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .8rem; }
ul.evidence, ul.uses { margin: 0; padding-left: 1rem; }
.conf { font-weight: bold; white-space: nowrap; }
.conf-confirmed { color: var(--confirmed); }
.conf-likely { color: var(--likely); }
.conf-possible { color: var(--possible); }
.flag { color: var(--confirmed); }
.warning { color: #a35a00; }
.none { color: #666; font-style: italic; }
svg.timeline { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
svg .tick { stroke: #ddd; stroke-width: 1; }
svg .tick-label { font-size: 10px; fill: #555; }
svg .lane-label { font-size: 11px; fill: #222; }
svg .lane-bg { fill: #fafafa; }
svg .window { fill: #b00020; fill-opacity: .35; stroke: #b00020; }
svg .install { fill: #a35a00; fill-opacity: .35; }
svg .session { fill: #00638a; fill-opacity: .3; }
svg .first-exposed { fill: #6a1b9a; stroke: #fff; }
svg .use { fill: #b00020; stroke: #fff; }
.legend span { margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle;
  margin-right: .3rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, svg { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
