import { isServerError, wechatCertainlyUnused } from '../common/errors'
import type { BoundedStore } from '../stores/bounded-store'
import { CODE_TTL_MS } from './code-exchange'
import { ExpiringMap } from '../common/expiring-map'
import type { Report } from '../common/report'
import type { PhoneInfo, WeChatApi } from '../wechat/wechat-api'

export type Redeemed = { data: PhoneInfo } | { rejected: true } | { reason: 'WECHAT_UNAVAILABLE' | 'STORE_UNAVAILABLE' }

/** Phone codes share the store's claims with login codes, under their own namespace. */
const PHONE_CLAIM = 'phone-code:'
/** Numbers remembered for a repeated request (a retry after a lost reply) in this process. */
const MAX_REMEMBERED = 10_000

/**
 * Redeems each phone code at most once: identical requests from one user share one redemption in
 * this process (in flight, then its number for the code's lifetime), and a claim in the store stops
 * every other process and user. A phone code proves a number, not a person: it is only redeemed for
 * a known openid.
 */
export function createPhoneCodeRedeemer(store: BoundedStore, api: WeChatApi, now: () => number, report: Report) {
  const inFlight = new Map<string, Promise<Redeemed>>()
  const redeemed = new ExpiringMap<PhoneInfo>()

  async function redeem(phoneCode: string, openid: string): Promise<Redeemed> {
    try {
      if (!(await store.claimCode(PHONE_CLAIM + phoneCode, CODE_TTL_MS, now()))) return { rejected: true }
    } catch (error) {
      report(error, { stage: 'claimCode', openid })
      return { reason: 'STORE_UNAVAILABLE' }
    }
    try {
      // The openid binds the code to its user at WeChat: a code someone else saw is refused there too.
      const data = await api.getPhoneNumberByCode(phoneCode, openid)
      redeemed.sweep(now())
      if (redeemed.size < MAX_REMEMBERED) redeemed.put(`${openid}\n${phoneCode}`, data, now() + CODE_TTL_MS)
      return { data }
    } catch (error) {
      if (isServerError(error, 'CODE_INVALID') || isServerError(error, 'CODE_USED') || isServerError(error, 'BAD_INPUT')) return { rejected: true }
      report(error, { stage: 'phoneCode', openid })
      if (wechatCertainlyUnused(error)) await store.releaseCode(PHONE_CLAIM + phoneCode).catch((e) => report(e, { stage: 'releaseCode' }))
      return { reason: 'WECHAT_UNAVAILABLE' }
    }
  }

  return (phoneCode: string, openid: string): Promise<Redeemed> => {
    const key = `${openid}\n${phoneCode}`
    const known = redeemed.get(key, now())
    if (known) return Promise.resolve({ data: known.value })
    let pending = inFlight.get(key)
    if (!pending) {
      pending = redeem(phoneCode, openid).finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }
}
