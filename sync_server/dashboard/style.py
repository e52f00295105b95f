"""The one stylesheet of the supervisor view, served from /dashboard/static/dashboard.css
(kept in Python so an installed package needs no data files)."""

CSS = """
:root { --ink: #1d2330; --muted: #545d6e; --line: #d4d9e2; --accent: #0b5d8f; --bg: #f6f7f9;
        --control: #6b7385; }
/* --control: borders of fields and buttons, at least 3:1 against white and --bg */
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: .5rem; top: -3rem; padding: .5rem .8rem; background: #fff;
        border: 2px solid var(--accent); border-radius: .35rem; z-index: 10; }
.skip:focus { top: .5rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.top { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center;
       gap: .5rem 1rem; padding: .6rem 1.2rem; background: #fff;
       border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 700; font-size: 1.15rem; }
.brand span { font-weight: 400; color: var(--muted); }
.account { display: flex; gap: .6rem; align-items: center; margin: 0; }
.demo { margin: 0; padding: .45rem 1.2rem; background: #fff4d6; border-bottom: 1px solid #e8d38f; }
.demo p { margin: 0; }
nav { display: flex; flex-wrap: wrap; gap: .3rem; padding: .5rem 1.2rem; background: #fff;
      border-bottom: 1px solid var(--line); }
nav a { padding: .3rem .7rem; border-radius: .4rem; text-decoration: none; }
nav a[aria-current="page"] { background: var(--accent); color: #fff; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem 1.2rem 2rem; }
h1 { font-size: 1.5rem; margin: .4rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
.scope { color: var(--muted); margin-top: 0; }
form.select { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end;
              padding: .8rem; background: #fff; border: 1px solid var(--line);
              border-radius: .5rem; }
form.select .field, form.login label { display: flex; flex-direction: column; gap: .2rem;
                                       margin: 0; font-size: .9rem; color: var(--muted); }
select, input, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--control);
                        border-radius: .35rem; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
.account button { background: #fff; color: var(--accent); }
.steps { display: flex; gap: 1rem; margin: .5rem 0 1rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: .5rem;
          padding: 1rem; margin: 1rem 0; }
.chart { width: 100%; max-width: 760px; height: auto; display: block; margin-bottom: .6rem; }
.chart .grid { stroke: #e3e6ec; }
.chart .axis, .chart .legend { font-size: 14px; fill: var(--muted); }
/* below 40rem the chart scrolls sideways rather than shrinking its text */
.chart-box .chart { min-width: 40rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; min-width: 20rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
caption { text-align: left; font-size: .85rem; color: var(--muted); padding-bottom: .3rem; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid var(--line); text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { font-size: .85rem; color: var(--muted); }
.csv { font-size: .9rem; margin: .5rem 0 0; }
.note, .empty { color: var(--muted); }
.error { color: #9b1c1c; background: #fdecec; padding: .5rem .7rem; border-radius: .35rem; }
form.login { display: grid; gap: .8rem; max-width: 22rem; }
footer { max-width: 70rem; margin: 0 auto; padding: 0 1.2rem 2rem; color: var(--muted);
         font-size: .85rem; }
article.report { background: #fff; border: 1px solid var(--line); border-radius: .5rem;
                 padding: 1rem 1.4rem; max-width: 48rem; }
@media print { nav, .top, form, .csv, .steps, footer { display: none; }
               section, article.report { border: 0; } body { background: #fff; } }
"""
