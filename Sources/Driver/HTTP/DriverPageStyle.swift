/// The status page's stylesheet: plain tables, system fonts, three series colours that read in
/// print and for the common colour-vision deficiencies (blue, orange, grey-green).
enum DriverPageStyle {
    static let css = """
        :root { --input: #1f6fb2; --processed: #e07b00; --duration: #3d7a5a; --line: #d8dde3; --muted: #5b6673; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329;
          margin: 0; background: #f6f7f9; }
        header { display: flex; align-items: baseline; gap: 1rem; padding: .8rem 1.5rem; background: #fff;
          border-bottom: 1px solid var(--line); }
        h1 { font-size: 1.25rem; margin: 0; }
        h2 { font-size: 1rem; margin: 0 0 .5rem; }
        main { padding: 1rem 1.5rem; max-width: 84rem; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem;
          margin-bottom: 1rem; overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { font-weight: 600; color: var(--muted); font-size: .8rem; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:last-child td { border-bottom: 0; }
        tr[data-job] { cursor: pointer; }
        tr.selected td { background: #eef4fb; }
        .state { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; color: #fff;
          background: #7a8591; }
        .state.running { background: #2e7d32; }
        .state.stopping { background: #b26a00; }
        .state.failed { background: #c62828; }
        .failure { color: #c62828; white-space: normal; }
        .stale { color: #c62828; font-weight: 600; }
        .empty { color: var(--muted); margin: .4rem 0 0; }
        #status { color: var(--muted); font-size: .85rem; }
        #status[data-status="error"] { color: #c62828; font-weight: 600; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
        figure { margin: 0; }
        figcaption { font-weight: 600; margin-bottom: .3rem; }
        .key { font-weight: 400; font-size: .8rem; margin-left: .6rem; }
        .key::before { content: ""; display: inline-block; width: .8rem; height: .2rem; margin-right: .3rem;
          vertical-align: middle; background: currentColor; }
        .key.input { color: var(--input); }
        .key.processed { color: var(--processed); }
        .key.duration { color: var(--duration); }
        svg { width: 100%; height: auto; display: block; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .axis-label { fill: var(--muted); font-size: 11px; }
        svg .line { fill: none; stroke-width: 2; }
        svg .input { stroke: var(--input); fill: var(--input); }
        svg .processed { stroke: var(--processed); fill: var(--processed); }
        svg .duration { stroke: var(--duration); fill: var(--duration); }
        svg .line.input, svg .line.processed, svg .line.duration { fill: none; }
        svg .no-data { fill: var(--muted); font-size: 13px; }
        footer { padding: 0 1.5rem 1.5rem; color: var(--muted); font-size: .85rem; }
        code { background: #eef0f3; padding: 0 .25rem; border-radius: 3px; }

        """
}
