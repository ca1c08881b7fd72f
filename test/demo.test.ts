/**
 * @jest-environment jsdom
 *
 * `npm run demo` for a newcomer: every column explained, a summary that says what the table shows, and the
 * SVG timeline (well-formed, holding exactly the scenario's events, and the committed copy up to date).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { setImmediate as nodeSetImmediate } from 'node:timers'
import { createSessionGuard } from '../miniprogram_npm_src'
import { columnsNotIn, explainColumns, POLICY_COLUMNS, policyRow, SCENARIO_COLUMNS, summarize } from '../simulator/render/demo-report'
import { DEMO_TIMELINE_PATH, demoTimeline } from '../simulator/render/demo-timeline'
import { runSideBySide, SCENARIOS, type ScenarioResult } from '../simulator/scenarios/side-by-side'
import type { Trace } from '../simulator/render/timeline'
import { ALL_POLICIES, type Policies } from '../simulator/model/wechat'

// The model's runner yields with setImmediate, which the jsdom environment (needed for DOMParser) hides.
Object.assign(globalThis, { setImmediate: nodeSetImmediate })

const run = (policies: Policies, client: 'thread' | 'guard') => Promise.all(SCENARIOS.map((s) => runSideBySide(s, client, policies, createSessionGuard)))

describe('the demo tables', () => {
  it('explain every column of both tables exactly once', () => {
    const explained = [...explainColumns(SCENARIO_COLUMNS).split('\n'), ...explainColumns(columnsNotIn(POLICY_COLUMNS, SCENARIO_COLUMNS)).split('\n')].map((line) => line.trim())
    const headers = new Set([...SCENARIO_COLUMNS, ...POLICY_COLUMNS].map((c) => c.header))
    for (const header of headers) expect(explained.filter((line) => line.startsWith(`${header}  `))).toHaveLength(1)
    expect(explained).toHaveLength(headers.size)
  })

  it('summarize in words exactly what the policy table shows', async () => {
    const worst = ALL_POLICIES[0]
    const [thread, guard] = [await run(worst, 'thread'), await run(worst, 'guard')]
    const [, , , taps, ok, retry, retapOk] = policyRow(worst, guard)
    const [, , , threadTaps, threadOk] = policyRow(worst, thread)
    const text = summarize(worst, thread, guard).join('\n')
    expect(text).toContain(`The guard got the number on ${ok} of ${taps} taps at once.`)
    expect(text).toContain(`${retry} taps answered \`retry\``)
    expect(text).toContain(`The thread's client got the number on ${threadOk} of ${threadTaps} taps.`)
    expect(retapOk).toMatch(/^(\d+)\/\1$/)
    // docs/example.md and .en.md read these numbers out; they must say what the demo prints.
    const zh = readFileSync(path.join(__dirname, '../docs/example.md'), 'utf8')
    const en = readFileSync(path.join(__dirname, '../docs/example.en.md'), 'utf8')
    expect(zh).toContain(`guard ${taps} 次点击中 ${ok} 次当场成功；另外 ${Number(taps) - Number(ok)} 次里 ${retry} 次是 \`retry\``)
    expect(zh).toContain(`原帖的写法 ${threadTaps} 次只成功 ${threadOk} 次，${policyRow(worst, thread)[9]} 次调用超过每秒 4 次的限制`)
    expect(en).toContain(`the guard gets the number on ${ok} of ${taps} taps at once; the other ${Number(taps) - Number(ok)} are ${retry} \`retry\` answers`)
    expect(en).toContain(`against ${threadOk} of ${threadTaps} and ${policyRow(worst, thread)[9]} calls over the limit`)
  })

  it.each(ALL_POLICIES.map((p) => [`${p.rotation}/${p.expiredConsent}`, p] as const))('show every guard `retry` going through on one re-tap (%s)', async (_name, policies) => {
    const retries = (await run(policies, 'guard')).flatMap((r: ScenarioResult) => r.taps).filter((t) => t.status.startsWith('retry'))
    expect(retries.map((t) => t.retapOk)).toEqual(retries.map(() => true))
  })
})

describe('the demo timeline (SVG)', () => {
  let picture: Awaited<ReturnType<typeof demoTimeline>>
  let doc: Document
  beforeAll(async () => {
    picture = await demoTimeline(createSessionGuard)
    doc = new DOMParser().parseFromString(picture.svg, 'image/svg+xml')
  })

  it('is well-formed SVG', () => {
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0)
    expect(doc.documentElement.tagName).toBe('svg')
    expect(doc.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg')
  })

  it.each(['thread', 'guard'] as const)('draws every tap, WeChat call, key rotation and request of the %s lane, coloured by result', (client) => {
    const trace: Trace = picture[client]
    const lane = doc.querySelector(`.lane-${client}`) as Element
    const count = (selector: string) => lane.querySelectorAll(selector).length
    expect(count('g.tap')).toBe(trace.taps.length)
    expect(count('g.tap:not(.retap)')).toBe(trace.result.taps.length)
    expect(count('g.login')).toBe(trace.result.logins)
    expect(count('g.check')).toBe(trace.result.checks)
    expect(count('g.login.fail') + count('g.check.fail')).toBeGreaterThanOrEqual(trace.result.limitedCalls)
    expect(count('g.rotation')).toBe(trace.rotations.length)
    const requests = Array.from(lane.querySelectorAll('g.request'))
    // Overlapping requests are stacked on sub-rows, so compare as sets of (result, label, tooltip).
    const drawn = requests.map((g) => `${g.getAttribute('class')} | ${g.querySelector('text')?.textContent} | ${g.querySelector('title')?.textContent}`)
    const expected = trace.requests.map(
      (r) => `request ${r.note === 'lost' ? 'lost' : r.ok ? 'ok' : 'fail'} | ${r.kind === 'login' ? 'login' : `'${r.flag}'`} ${r.ok ? '✓' : '✗'} | ${r.kind === 'login' ? 'login request {code}' : `request flag '${r.flag}'`} at ${r.start} ms → ${r.note} at ${r.end} ms`,
    )
    expect(drawn.sort()).toEqual(expected.sort())
    expect(requests.filter((g) => g.getAttribute('class') === 'request ok').every((g) => g.querySelector('rect')?.getAttribute('fill') === '#2e9e4f')).toBe(true)
  })

  it('shows the race: the thread client fails a decrypt after a page login rotated the key; the guard never logs in', () => {
    expect(picture.thread.requests.some((r) => r.note === 'DECRYPT_FAILED')).toBe(true)
    expect(picture.thread.rotations.length).toBeGreaterThan(0)
    expect(picture.guard.logins).toHaveLength(0)
    expect(picture.guard.result.taps.every((t) => t.ok)).toBe(true)
    expect(doc.querySelectorAll('g.world')).toHaveLength(picture.guard.world.length)
    expect(picture.svg).toContain('DECRYPT_FAILED')
  })

  it('is committed in docs/ as npm run demo draws it (run `npm run demo` after changing the guard or the model)', () => {
    expect(readFileSync(DEMO_TIMELINE_PATH, 'utf8')).toBe(picture.svg)
  })
})
