/** A guard on the WeChat model with fixed latencies: the setup the call-by-call suites share. */
import { createSessionGuard, type SessionGuardOptions } from '../../miniprogram_npm_src'
import { LATENCIES } from '../../simulator/scenarios/side-by-side'
import type { Reply } from '../../simulator/world/thread-server'
import type { Policies } from '../../simulator/model/wechat'
import { World, runToQuiet, timed } from '../../simulator/world/world'

export const POLICY: Policies = { rotation: 'always', expiredConsent: 'expired-key' }

/** `extra` may be built from the world, for a wx or routes that wrap the model's. */
export function setup(loggedIn = true, extra: Partial<SessionGuardOptions<Reply>> | ((world: World) => Partial<SessionGuardOptions<Reply>>) = {}, policies: Policies = POLICY) {
  const world = new World(policies, timed(LATENCIES), loggedIn)
  const guard = createSessionGuard<Reply>({
    wx: world.wx,
    send: world.network.send,
    sendLogin: world.network.sendLogin,
    // The device's clock: tests may step it; the model keeps real time.
    clock: world.clock.device,
    timeout: 5000,
    ...(typeof extra === 'function' ? extra(world) : extra),
  })
  return { world, guard }
}

/** Runs the world until it is quiet, then gives the call's outcome. */
export async function settle<T>(world: World, promise: Promise<T>): Promise<T> {
  await runToQuiet(world.clock)
  return promise
}
