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
export function fetchAndDeliver<R>(session: WxSession, config: GuardConfig<R>, fetch: () => unknown, send: Send<R>, kind?: string): Promise<Outcome<R>> {
  const deadline = Deadline.after(config.timeout, session.timers)
  let release: Release | undefined
  return session
    .holdAfterLogin(deadline)
    .then((hold) => {
      release = hold
      return deadline.race(Promise.resolve().then(fetch), 'open data fetch').then(
        (raw) => {
          const parsed = parseDetail(raw)
          if (parsed.kind !== 'data') return outcomeOfFetchFailure<R>(parsed, raw, false)
          release = undefined
          if (kind !== undefined) parsed.data.dataKind = kind
          return deliver({ session, config, data: parsed.data, send, deadline }, hold)
        },
        (error: unknown) => (isGuardError(error, 'TIMEOUT') ? failed<R>('TIMEOUT', error) : outcomeOfFetchFailure<R>(parseDetail(error), error, true)),
      )
    })
    .then(null, (error: unknown) => failed<R>(reasonOf(error), error))
    .then((outcome) => {
      if (release) release()
      deadline.finish()
      return outcome
    })
}
