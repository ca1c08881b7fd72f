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
export async function phoneNumber<R>(session: WxSession, config: GuardConfig<R>, detail: unknown): Promise<Outcome<R>> {
  const parsed = parseDetail(detail)
  if (parsed.kind === 'invalid') return failed('INVALID_DETAIL', parsed.error)
  if (parsed.kind !== 'data' && parsed.kind !== 'phone-code') return outcomeOfDetailFailure(parsed)
  const deadline = Deadline.after(config.timeout, session.timers)
  try {
    return parsed.kind === 'data'
      ? await deliver({ session, config, data: parsed.data, send: config.send, deadline })
      : await deliverPhoneCode({ session, config, data: parsed.data, send: config.send, deadline })
  } finally {
    deadline.finish()
  }
}
