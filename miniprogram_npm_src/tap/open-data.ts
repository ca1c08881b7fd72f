import type { GuardConfig, Send } from '../config/config'
import { Deadline } from '../primitives/deadline'
import { deliver } from './deliver'
import { parseDetail } from '../wire/detail'
import { outcomeOfFetchFailure } from '../wire/detail-outcome'
import { isGuardError } from '../errors/errors'
import type { Release } from '../primitives/login-gate'
import { reasonOf } from '../wx-session/login-phase'
import { failed, type Outcome } from '../wire/outcome'
import type { WxSession } from '../wx-session/wx-session'

/** guard.openData: the hold goes up before WeChat encrypts, so no login can come between encryption and decryption. */
export async function fetchAndDeliver<R>(session: WxSession, config: GuardConfig<R>, fetch: () => unknown, send: Send<R>): Promise<Outcome<R>> {
  const deadline = Deadline.after(config.timeout, session.timers)
  let release: Release | undefined
  try {
    release = await session.holdAfterLogin(deadline)
    let raw: unknown
    try {
      raw = await deadline.race(Promise.resolve().then(fetch), 'open data fetch')
    } catch (error) {
      if (isGuardError(error, 'TIMEOUT')) return failed('TIMEOUT', error)
      return outcomeOfFetchFailure(parseDetail(error), error, true)
    }
    const parsed = parseDetail(raw)
    if (parsed.kind !== 'data') return outcomeOfFetchFailure(parsed, raw, false)
    const transferred = release
    release = undefined
    return await deliver({ session, config, data: parsed.data, send, deadline }, transferred)
  } catch (error) {
    return failed(reasonOf(error), error)
  } finally {
    if (release) release()
    deadline.finish()
  }
}
