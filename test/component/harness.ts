import simulate from 'miniprogram-simulate'
import { systemClock } from '../../miniprogram_npm_src/primitives/clock'
import { World, realTime } from '../../simulator/world/world'
import type { Policies } from '../../simulator/model/wechat'

/** A real-time world (model callbacks on the event loop) for component tests. */
export function realWorld(loggedIn = true, policies: Policies = { rotation: 'always', expiredConsent: 'expired-key' }) {
  return new World(policies, realTime(2), loggedIn, systemClock)
}

/** Polls until `condition` holds, at most `ms`. */
export async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await simulate.sleep(5)
  }
}

export function installApp(app: Record<string, unknown>): void {
  ;(globalThis as unknown as { getApp: () => unknown }).getApp = () => app
}
