import type { RequestSpan, Span, Trace } from './timeline'

/**
 * Draws traces of one scenario as an SVG timeline: one lane per client (the thread's above, the
 * guard below), rows for taps, wx.checkSession, wx.login, key rotations and requests, the world's
 * events as dashed lines across both. Plain SVG 1.1, no scripts, so GitHub renders it in a README.
 */

const LEFT = 170
const CHART_WIDTH = 1000
const ROW = 22
const COLORS = { ok: '#2e9e4f', fail: '#d9363e', lost: '#9a9a9a', check: '#5b8def', login: '#8e5bd6', key: '#e08a00', world: '#777' }
const WORLD_WORDS: Record<string, string> = { 'page-show': 'page onShow', expire: 'session expires', 'lose-key': 'server loses key', 'fail-login': 'wx.login will fail', 'fail-check': 'checkSession will fail' }

export const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

interface Layout {
  x: (t: number) => number
  end: number
}

function layoutFor(traces: Trace[]): Layout {
  const times = traces.flatMap((t) => [
    ...t.taps.map((x) => x.at),
    ...[...t.checks, ...t.logins, ...t.requests].map((s) => s.end ?? s.start),
    ...t.world.map((w) => w.at),
  ])
  const end = Math.ceil((Math.max(0, ...times) + 100) / 500) * 500
  return { end, x: (t) => Math.round((LEFT + (t / end) * CHART_WIDTH) * 10) / 10 }
}

/** Puts overlapping request bars on separate sub-rows. */
function stack<S extends Span>(spans: S[], minGap: number): S[][] {
  const rows: S[][] = []
  for (const request of spans) {
    const row = rows.find((r) => (r[r.length - 1].end ?? Infinity) + minGap <= request.start)
    if (row) row.push(request)
    else rows.push([request])
  }
  return rows.length ? rows : [[]]
}

/** A rounded bar; `inside` is written on it, `after` right of it (for words longer than the bar). */
function bar(layout: Layout, y: number, span: Span, cls: string, fill: string, title: string, inside = '', after = ''): string {
  const x1 = layout.x(span.start)
  const width = Math.max(3, Math.round((layout.x(span.end ?? span.start) - x1) * 10) / 10)
  const text =
    (inside ? `<text x="${x1 + 3}" y="${y + 14}" class="label">${esc(inside)}</text>` : '') +
    (after ? `<text x="${x1 + width + 3}" y="${y + 14}" class="after" fill="${fill}">${esc(after)}</text>` : '')
  return `<g class="${cls}"><title>${esc(title)}</title><rect x="${x1}" y="${y + 2}" width="${width}" height="${ROW - 6}" rx="3" fill="${fill}"/>${text}</g>`
}

function requestBar(layout: Layout, y: number, r: RequestSpan): string {
  const result = r.note === 'lost' ? 'lost' : r.ok ? 'ok' : 'fail'
  const what = r.kind === 'login' ? 'login request {code}' : `request flag '${r.flag}'`
  const label = r.kind === 'login' ? 'login' : `'${r.flag}'`
  const title = `${what} at ${r.start} ms → ${r.note ?? 'pending'}${r.end !== undefined ? ` at ${r.end} ms` : ''}`
  return bar(layout, y, r, `request ${result}`, COLORS[result], title, `${label} ${result === 'ok' ? '✓' : '✗'}`, result === 'ok' ? '' : (r.note ?? ''))
}

function lane(trace: Trace, layout: Layout, top: number, title: string): { svg: string; height: number } {
  const parts = [`<text x="10" y="${top + 14}" class="lane">${esc(title)}</text>`]
  let y = top + 24
  const row = (name: string) => {
    parts.push(`<text x="${LEFT - 8}" y="${y + 14}" class="row" text-anchor="end">${esc(name)}</text>`, `<line x1="${LEFT}" x2="${LEFT + CHART_WIDTH}" y1="${y + ROW - 1}" y2="${y + ROW - 1}" class="grid"/>`)
    const at = y
    y += ROW
    return at
  }
  const tapsY = row('taps (user consents)')
  for (const tap of trace.taps) {
    const x = layout.x(tap.at)
    const first = trace.result.taps.find((t) => t.at === tap.at)
    const word = tap.retap ? 're-tap' : `tap → ${first?.status ?? '?'}`
    const fill = tap.retap ? '#fff' : first?.ok ? COLORS.ok : COLORS.fail
    parts.push(`<g class="tap${tap.retap ? ' retap' : ''}"><title>${esc(word)} (at ${tap.at} ms)</title><path d="M${x - 6} ${tapsY + 3} L${x + 6} ${tapsY + 3} L${x} ${tapsY + 17} Z" fill="${fill}" stroke="#333"/></g>`)
  }
  const minGap = (layout.end / CHART_WIDTH) * 4
  stack(trace.checks, minGap).forEach((checks, i) => {
    const rowY = row(i === 0 ? 'wx.checkSession' : '')
    for (const c of checks) parts.push(bar(layout, rowY, c, `check ${c.ok ? 'ok' : 'fail'}`, c.ok ? COLORS.check : COLORS.fail, `wx.checkSession at ${c.start} ms → ${c.ok ? 'valid' : 'fail'}`))
  })
  stack(trace.logins, minGap).forEach((logins, i) => {
    const rowY = row(i === 0 ? 'wx.login' : '')
    for (const l of logins) parts.push(bar(layout, rowY, l, `login ${l.ok ? 'ok' : 'fail'}`, l.ok ? COLORS.login : COLORS.fail, `wx.login at ${l.start} ms → ${l.ok ? 'code' : l.note}`))
  })
  const keyY = row('session_key changes')
  for (const r of trace.rotations) {
    const x = layout.x(r.at)
    parts.push(`<g class="rotation"><title>key rotated at ${r.at} ms (${r.cause})</title><path d="M${x} ${keyY + 3} L${x + 7} ${keyY + 10} L${x} ${keyY + 17} L${x - 7} ${keyY + 10} Z" fill="${COLORS.key}"/></g>`)
  }
  stack(trace.requests, (layout.end / CHART_WIDTH) * 110).forEach((requests, i) => {
    const rowY = row(i === 0 ? 'requests → reply' : '')
    for (const r of requests) parts.push(requestBar(layout, rowY, r))
  })
  return { svg: `<g class="lane-${trace.client}">\n${parts.join('\n')}\n</g>`, height: y - top + 10 }
}

function axis(layout: Layout, y: number): string {
  const ticks: string[] = []
  for (let t = 0; t <= layout.end; t += 500) ticks.push(`<line x1="${layout.x(t)}" x2="${layout.x(t)}" y1="${y}" y2="${y + 5}" class="axis"/><text x="${layout.x(t)}" y="${y + 17}" class="tick" text-anchor="middle">${t} ms</text>`)
  return `<line x1="${LEFT}" x2="${LEFT + CHART_WIDTH}" y1="${y}" y2="${y}" class="axis"/>${ticks.join('')}`
}

function legend(y: number): string {
  const items: [string, string][] = [
    ['#333', '▼ a tap: green = got the number, red = failed; hollow = the re-tap after a failure'],
    [COLORS.check, 'wx.checkSession'],
    [COLORS.login, 'wx.login'],
    [COLORS.fail, 'WeChat call failed (e.g. over 4 calls/s) / request failed'],
    [COLORS.ok, 'request decrypted (or login stored)'],
    [COLORS.lost, 'request or reply lost'],
    [COLORS.key, 'WeChat changed the session_key'],
  ]
  let x = 10
  let row = y
  return items
    .map(([color, text]) => {
      const width = 30 + text.length * 6
      if (x + width > LEFT + CHART_WIDTH) [x, row] = [10, row + 18]
      const item = `<rect x="${x}" y="${row}" width="12" height="12" fill="${color}"/><text x="${x + 18}" y="${row + 11}" class="tick">${esc(text)}</text>`
      x += width
      return item
    })
    .join('')
}

/** The whole picture: `title` on top, `traces` as lanes in order, world events across every lane. */
export function renderTimeline(title: string, traces: { trace: Trace; title: string }[]): string {
  const layout = layoutFor(traces.map((t) => t.trace))
  const body: string[] = []
  let y = 40
  for (const { trace, title: laneTitle } of traces) {
    const drawn = lane(trace, layout, y, laneTitle)
    body.push(drawn.svg)
    y += drawn.height
  }
  const worldEvents = traces[0]?.trace.world ?? []
  const worldLines = worldEvents.map(
    (w) => `<g class="world"><title>${esc(WORLD_WORDS[w.kind] ?? w.kind)} at ${w.at} ms</title><line x1="${layout.x(w.at)}" x2="${layout.x(w.at)}" y1="34" y2="${y}" stroke="${COLORS.world}" stroke-dasharray="3 3"/><text x="${layout.x(w.at) + 2}" y="32" class="tick">${esc(WORLD_WORDS[w.kind] ?? w.kind)}</text></g>`,
  )
  const height = y + 80
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LEFT + CHART_WIDTH + 20}" height="${height}" viewBox="0 0 ${LEFT + CHART_WIDTH + 20} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">`,
    `<style>.lane{font-size:14px;font-weight:bold}.row{font-size:11px;fill:#444}.label{font-size:11px;fill:#fff}.after{font-size:11px}.tick{font-size:10px;fill:#555}.grid{stroke:#eee}.axis{stroke:#999}</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" class="lane">${esc(title)}</text>`,
    ...worldLines,
    ...body,
    axis(layout, y),
    legend(y + 32),
    `</svg>`,
    '',
  ].join('\n')
}
