/**
 * The model's race scenarios, played in real time through the built guard, real HTTP, the built
 * companion and the fake WeChat API: one process with the memory store, then two processes
 * sharing a real redis-server. Same results as on the model: no avoidable failure, every failed
 * tap succeeds on one re-tap, every code exchanged exactly once.
 */
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import { SCENARIOS } from '../../simulator/scenarios/side-by-side'
import { describeWithRedis } from '../support/redis'
import { runRaceOverHttp } from './http-races'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSessionGuard } = require('../../miniprogram_dist') as { createSessionGuard: (o: SessionGuardOptions) => SessionGuard }

const POLICIES = [
  { rotation: 'always', expiredConsent: 'expired-key' },
  { rotation: 'expired-only', expiredConsent: 'fresh-key' },
] as const

const suite = (mode: 'memory' | 'redis') => {
  describe.each(POLICIES.map((p) => [`${p.rotation}/${p.expiredConsent}`, p] as const))('under %s', (_label, policies) => {
    it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: no avoidable failure, every failed tap succeeds on a re-tap, codes exchanged once', async (_name, scenario) => {
      const result = await runRaceOverHttp(scenario, mode, policies, createSessionGuard)
      expect(result.taps).toHaveLength(scenario.events.filter((e) => e.kind === 'tap').length)
      expect(result.taps.filter((t) => t.avoidable && !t.ok)).toEqual([])
      expect(result.taps.filter((t) => !t.ok && t.retapOk !== true && !t.retapDisturbed)).toEqual([])
      expect(result.limitedCalls).toBe(0)
      expect(result.exchanges).toBe(result.codesIssued)
      expect(result.codeErrors).toBe(0)
    })
  })
}

describe('over HTTP with the memory store', () => suite('memory'))
describeWithRedis()('over HTTP with two processes sharing Redis', () => suite('redis'))
