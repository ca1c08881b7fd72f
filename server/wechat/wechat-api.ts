import { ServerError } from '../common/errors'
import { createAccessTokenCache, isTokenRefusal } from './access-token'
import { timerMs } from '../common/options'
import { createWeChatTransport } from './wechat-transport'

export interface WeChatApiOptions {
  appId: string
  appSecret: string
  /** Default https://api.weixin.qq.com; tests point it at a local fake. */
  baseUrl?: string
  /** Bound on each call, ms (default 5000). */
  timeoutMs?: number
  fetch?: typeof fetch
  now?: () => number
}

export interface Session {
  openid: string
  sessionKey: string
  unionid?: string
}

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
}

export interface WeChatApi {
  code2Session(code: string): Promise<Session>
  /**
   * `openid`: the user the server knows is asking; WeChat then checks the phone code belongs to that
   * user (a code seen by someone else is refused). Optional, for implementations written before it.
   */
  getPhoneNumberByCode(phoneCode: string, openid?: string): Promise<PhoneInfo>
}

/** jscode2session and getuserphonenumber over fetch, with a bound on every call and a cached access token. */
export function createWeChatApi(options: WeChatApiOptions): WeChatApi {
  const baseUrl = (options.baseUrl || 'https://api.weixin.qq.com').replace(/\/$/, '')
  const timeoutMs = timerMs('timeoutMs', options.timeoutMs, 5000)
  const doFetch = options.fetch || ((input: string, init?: RequestInit) => fetch(input, init))
  const now = options.now || Date.now
  const call = createWeChatTransport(baseUrl, timeoutMs, doFetch)
  const tokens = createAccessTokenCache(call, options.appId, options.appSecret, now)

  async function redeemPhoneCode(phoneCode: string, openid: string | undefined): Promise<Record<string, unknown>> {
    const used = await tokens.get()
    try {
      return await call(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(used)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(openid === undefined ? { code: phoneCode } : { code: phoneCode, openid }),
      })
    } catch (error) {
      if (isTokenRefusal(error)) tokens.refused(used)
      throw error
    }
  }

  return {
    async code2Session(code) {
      if (typeof code !== 'string' || code.length === 0 || code.length > 256) throw new ServerError('BAD_INPUT', 'code must be a non-empty string')
      const query = `appid=${encodeURIComponent(options.appId)}&secret=${encodeURIComponent(options.appSecret)}&js_code=${encodeURIComponent(code)}&grant_type=authorization_code`
      const body = await call(`/sns/jscode2session?${query}`)
      if (typeof body.session_key !== 'string' || typeof body.openid !== 'string') throw new ServerError('WECHAT_ERROR', 'jscode2session answered without a session')
      const session: Session = { openid: body.openid, sessionKey: body.session_key }
      if (typeof body.unionid === 'string') session.unionid = body.unionid
      return session
    },
    async getPhoneNumberByCode(phoneCode, openid) {
      if (typeof phoneCode !== 'string' || phoneCode.length === 0 || phoneCode.length > 256) throw new ServerError('BAD_INPUT', 'phoneCode must be a non-empty string')
      if (openid !== undefined && (typeof openid !== 'string' || openid.length === 0 || openid.length > 128)) throw new ServerError('BAD_INPUT', 'openid must be a non-empty string')
      let body: Record<string, unknown>
      try {
        body = await redeemPhoneCode(phoneCode, openid)
      } catch (error) {
        // Another server (or a manual refresh) replaced the token: fetch a new one and try once more.
        if (!isTokenRefusal(error)) throw error
        body = await redeemPhoneCode(phoneCode, openid)
      }
      const info = body.phone_info as PhoneInfo | undefined
      if (!info || typeof info.phoneNumber !== 'string' || typeof info.purePhoneNumber !== 'string' || typeof info.countryCode !== 'string') throw new ServerError('WECHAT_ERROR', 'getuserphonenumber answered without phone_info')
      return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode }
    },
  }
}
