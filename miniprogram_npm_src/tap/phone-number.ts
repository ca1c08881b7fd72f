import type { GuardConfig } from '../config/config'
import { Deadline } from '../primitives/deadline'
import { deliver } from './deliver'
import { deliverPhoneCode } from './deliver-phone-code'
import { parseDetail } from '../wire/detail'
import { outcomeOfDetailFailure } from '../wire/detail-outcome'
import { failed, type Outcome } from '../wire/outcome'
import type { WxSession } from '../wx-session/wx-session'

/**
 * guard.getPhoneNumber: where a tap's path branches on what WeChat handed over. Sealed data takes
 * the ordered path (deliver.ts); a phone code or cloudID alone takes the path without a key
 * (deliver-phone-code.ts); WeChat's refusals answer at once, with WeChat's errno.
 */
export function phoneNumber<R>(session: WxSession, config: GuardConfig<R>, detail: unknown): Promise<Outcome<R>> {
  // A promise chain, not an async function: this is every tap's path (see deliver.ts).
  let deadline: Deadline
  let outcome: Promise<Outcome<R>>
  try {
    const parsed = parseDetail(detail)
    if (parsed.kind === 'invalid') return Promise.resolve(failed('INVALID_DETAIL', parsed.error))
    if (parsed.kind !== 'data' && parsed.kind !== 'phone-code') return Promise.resolve(outcomeOfDetailFailure(parsed))
    deadline = Deadline.after(config.timeout, session.timers)
    outcome =
      parsed.kind === 'data'
        ? deliver({ session, config, data: parsed.data, send: config.send, deadline })
        : deliverPhoneCode({ session, config, data: parsed.data, send: config.send, deadline })
  } catch (error) {
    return Promise.reject(error)
  }
  return outcome.then(
    (result) => {
      deadline.finish()
      return result
    },
    (error: unknown) => {
      deadline.finish()
      throw error
    },
  )
}
