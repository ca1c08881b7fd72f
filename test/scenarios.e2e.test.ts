/**
 * The race scenarios end to end, side by side: the seed thread's client shows
 * its failures; the guard fails no tap a client could have served, and every
 * other failed tap goes through on one re-tap — under every WeChat policy, on
 * every platform with the race (WeChat, QQ, Douyin, Baidu, Kuaishou).
 */
import { createSessionGuard } from '../miniprogram_npm_src'
import { runSideBySide, SCENARIOS } from '../simulator/scenarios/side-by-side'
import { ALL_POLICIES } from '../simulator/model/wechat'
import { ALL_PROFILES } from '../simulator/model/platforms'

const label = (p: { rotation: string; expiredConsent: string }) => `${p.rotation}/${p.expiredConsent}`

describe.each(ALL_PROFILES.map((profile) => [profile.name, profile] as const))('on %s', (_platform, profile) => {
  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    it('the thread client fails taps when every login rotates the key', async () => {
      const thread = await runSideBySide(scenario, 'thread', { rotation: 'always', expiredConsent: 'expired-key' }, createSessionGuard, undefined, profile)
      expect(thread.taps.filter((t) => !t.ok).length).toBeGreaterThan(0)
    })

    it.each(ALL_POLICIES.map((p) => [label(p), p] as const))('under %s the guard fails no avoidable tap and every failed tap succeeds on one re-tap', async (_p, policies) => {
      const guard = await runSideBySide(scenario, 'guard', policies, createSessionGuard, undefined, profile)
      expect(guard.taps.filter((t) => t.avoidable && !t.ok)).toEqual([])
      expect(guard.taps.filter((t) => !t.ok && t.retapOk !== true)).toEqual([])
      expect(guard.violations).toEqual([])
      expect(guard.limitedCalls).toBe(0)
      expect(guard.peakPerSecond).toBeLessThanOrEqual(4)
      expect(guard.codeErrors).toBe(0)
    })

    it.each(ALL_POLICIES.map((p) => [label(p), p] as const))('under %s the guard serves at least as many taps as the thread client', async (_p, policies) => {
      const thread = await runSideBySide(scenario, 'thread', policies, createSessionGuard, undefined, profile)
      const guard = await runSideBySide(scenario, 'guard', policies, createSessionGuard, undefined, profile)
      expect(guard.taps.filter((t) => t.ok).length).toBeGreaterThanOrEqual(thread.taps.filter((t) => t.ok).length)
    })
  })
})
