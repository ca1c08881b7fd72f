import { createAppRequest } from '../app-session/app-request'
import { resolveConfig } from '../config/config'
import { positiveMs } from '../primitives/finite'
import { Deadline } from '../primitives/deadline'
import { SessionGuardError } from '../errors/errors'
import type { OpenDataOptions, SessionGuard, SessionGuardOptions } from '../config/guard-api'
import { isObject } from '../wire/is-object'
import { fetchAndDeliver } from '../tap/open-data'
import { failed, type Outcome } from '../wire/outcome'
import { phoneNumber } from '../tap/phone-number'
import { loginNow, prepareSession } from '../tap/prepare'
import { WxSession } from '../wx-session/wx-session'

const KIND = /^[a-z][a-z0-9-]{0,31}$/

/** openData's second argument, a send or `{ send?, kind? }`, checked; undefined when it is unusable. */
function openDataOptions<R>(fetch: unknown, given: unknown): OpenDataOptions<R> | undefined {
  const how = (typeof given === 'function' ? { send: given } : given || {}) as OpenDataOptions<R>
  const { send, kind } = how
  const good = typeof fetch === 'function' && isObject(how) && (!send || typeof send === 'function') && (kind === undefined || (typeof kind === 'string' && KIND.test(kind)))
  return good ? how : undefined
}

/** The public API: a thin layer over the shared per-wx session, one tap's path (deliver.ts) and prepare. */
export function createSessionGuard<R = unknown>(options: SessionGuardOptions<R> = {}): SessionGuard<R> {
  const config = resolveConfig(options)
  const { device, emit } = config
  const session = WxSession.of(config.api, config.clock, device)
  // A second guard on the same wx is safe (they share one session), but usually a mistake: say so once.
  if (session.guards === 2 && emit) emit({ type: 'shared-wx', guards: session.guards })
  if (device.problem && emit) emit({ type: 'device-state', problem: device.problem })

  function report<T extends { status: string; reason?: string }>(call: 'getPhoneNumber' | 'openData' | 'prepare', outcome: Promise<T>): Promise<T> {
    if (!emit) return outcome
    return outcome.then((result) => {
      emit({ type: 'outcome', call, status: result.status, reason: result.reason })
      return result
    })
  }

  const login = (deadline: Deadline) => loginNow(session, config, deadline)
  const { app } = config
  // Made on first use: an app that never calls guard.request pays nothing for it at launch.
  let request: SessionGuard<R>['request'] | undefined

  const guard: SessionGuard<R> = {
    login() {
      const deadline = Deadline.after(config.timeout, session.timers)
      return login(deadline).finally(() => deadline.finish())
    },
    request: (options) => (request || (request = createAppRequest(config.api, app, session.timers, config.timeout, login)))(options),
    token: app.token,
    logout: () => app.drop(),
    getPhoneNumber: (detail) => report('getPhoneNumber', phoneNumber(session, config, detail)),
    openData(fetch, sendOrOptions) {
      const how = openDataOptions<R>(fetch, sendOrOptions)
      const outcome: Promise<Outcome<R>> = how
        ? fetchAndDeliver(session, config, fetch, how.send || config.send, how.kind)
        : Promise.resolve(failed('INVALID_ARGUMENT', new SessionGuardError('INVALID_ARGUMENT', 'openData(fetch, send | { send, kind })')))
      return report('openData', outcome)
    },
    prepare: () => report('prepare', prepareSession(session, config)),
    invalidate() {
      session.needsLogin = true
    },
    holdLogins(maxMs?: number) {
      return session.gate.hold(positiveMs(maxMs, config.holdMs, 'holdLogins(maxMs)'))
    },
    inspect() {
      const { phase } = session
      return {
        holds: session.gate.holds,
        login: phase ? (phase.invoked ? 'in-flight' : 'waiting') : 'idle',
        needsLogin: session.needsLogin,
        logins: session.logins,
        waiters: session.waiters(),
      }
    },
  }
  // The component's guard where getApp() has none (Taro before mount, independent subpackages).
  if (!device.slot.guard) device.slot.guard = guard
  return guard
}
