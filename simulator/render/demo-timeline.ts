import path from 'node:path'
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { describePolicies } from '../model/policy-names'
import { SCENARIOS } from '../scenarios/side-by-side'
import type { Reply } from '../world/thread-server'
import { traceScenario, type Trace } from './timeline'
import { renderTimeline } from './timeline-svg'
import type { Policies } from '../model/wechat'

/** The picture `npm run demo` draws: the classic race, where pages log in on show while the user taps. */
export const TIMELINE_SCENARIO = SCENARIOS.find((s) => s.name === 'pages log in on show while the user taps') ?? SCENARIOS[0]
export const TIMELINE_POLICIES: Policies = { rotation: 'always', expiredConsent: 'expired-key' }
export const DEMO_TIMELINE_PATH = path.join(__dirname, '..', '..', 'docs', 'demo-timeline.svg')

export async function demoTimeline(createGuard: (options: SessionGuardOptions<Reply>) => SessionGuard<Reply>): Promise<{ svg: string; thread: Trace; guard: Trace }> {
  const thread = await traceScenario(TIMELINE_SCENARIO, 'thread', TIMELINE_POLICIES, createGuard)
  const guard = await traceScenario(TIMELINE_SCENARIO, 'guard', TIMELINE_POLICIES, createGuard)
  const svg = renderTimeline(`"${TIMELINE_SCENARIO.name}" — ${describePolicies(TIMELINE_POLICIES)}`, [
    { trace: thread, title: `The seed thread's client: ${thread.result.taps.filter((t) => t.ok).length} of ${thread.result.taps.length} taps ok` },
    { trace: guard, title: `The guard: ${guard.result.taps.filter((t) => t.ok).length} of ${guard.result.taps.length} taps ok` },
  ])
  return { svg, thread, guard }
}
