import { isServerError, wechatCertainlyUnused } from '../common/errors'
import type { BoundedStore } from '../stores/bounded-store'
import type { Report } from '../common/report'
import type { WeChatApi } from '../wechat/wechat-api'

/** A login code lives 5 minutes at WeChat (10 at Baidu: each platform's profile says); remembering it that long is enough to refuse a second exchange. */
export const CODE_TTL_MS = 5 * 60 * 1000

export type ExchangeFailure = 'CODE_REJECTED' | 'USER_BLOCKED' | 'WECHAT_UNAVAILABLE' | 'STORE_UNAVAILABLE'
/** `exchangedAt`: when WeChat's answer arrived, on this server's clock — the time the store orders keys by. */
export type Exchange = { openid: string; sessionKey: string; exchangedAt: number } | { reason: ExchangeFailure; openid?: string }

/** Whether WeChat refused the code itself (it is dead either way) or never got to it. */
function exchangeFailure(error: unknown): ExchangeFailure {
  if (isServerError(error, 'CODE_INVALID') || isServerError(error, 'CODE_USED') || isServerError(error, 'BAD_INPUT')) return 'CODE_REJECTED'
  if (isServerError(error, 'USER_BLOCKED')) return 'USER_BLOCKED'
  return 'WECHAT_UNAVAILABLE'
}

/**
 * Claims a code, exchanges it once, stores the key with the time WeChat answered. A claim is given back only when WeChat
 * certainly did not consume the code; a key that could not be stored is reported, and the reply
 * says STORE_UNAVAILABLE so the client does not believe the server holds it.
 */
export function createCodeExchange(store: BoundedStore, api: WeChatApi, now: () => number, report: Report, codeTtlMs = CODE_TTL_MS) {
  return async function exchange(code: string): Promise<Exchange> {
    let claimed: boolean
    try {
      claimed = await store.claimCode(code, codeTtlMs, now())
    } catch (error) {
      report(error, { stage: 'claimCode' })
      return { reason: 'STORE_UNAVAILABLE' }
    }
    if (!claimed) return { reason: 'CODE_REJECTED' }
    let session: { openid: string; sessionKey: string }
    let exchangedAt: number
    try {
      session = await api.code2Session(code)
      // Taken the moment WeChat's reply is in, before any store call: a slow write keeps its place in the order.
      exchangedAt = now()
    } catch (error) {
      const reason = exchangeFailure(error)
      if (reason === 'WECHAT_UNAVAILABLE') report(error, { stage: 'code2Session' })
      if (wechatCertainlyUnused(error)) await store.releaseCode(code).catch((e) => report(e, { stage: 'releaseCode' }))
      return { reason }
    }
    try {
      await store.set(session.openid, session.sessionKey, exchangedAt)
    } catch (error) {
      report(error, { stage: 'store.set', openid: session.openid })
      return { reason: 'STORE_UNAVAILABLE', openid: session.openid }
    }
    return { openid: session.openid, sessionKey: session.sessionKey, exchangedAt }
  }
}
