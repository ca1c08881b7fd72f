import { ServerError } from '../common/errors'
import { createAccessTokenCache, isTokenRefusal } from './access-token'
import { timerMs } from '../common/options'
import { checkedPlatform, type Platform, type Session } from '../platforms/platform'
import { profileOf } from '../platforms/profiles'
import { createWeChatTransport } from './wechat-transport'

export type { Session } from '../platforms/platform'

export interface WeChatApiOptions {
  /** Whose server API: 'weixin' (default), 'qq', 'toutiao', 'baidu' or 'kuaishou'. */
  platform?: Platform
  /** The appid (Baidu: the App Key, its client_id). */
  appId: string
  /** The app secret (Baidu: the App Secret, its sk). */
  appSecret: string
  /** Default: the platform's API (https://api.weixin.qq.com for WeChat); tests point it at a local fake. */
  baseUrl?: string
  /** Bound on each call, ms (default 5000). */
  timeoutMs?: number
  fetch?: typeof fetch
  now?: () => number
}

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
}

export interface WeChatApi {
  /** The platform whose API this is; a handler for another platform refuses it. Absent on an API of your own. */
  readonly platform?: Platform
  /** False where the platform has no phone code the API redeems: the handler then ignores `phoneCode`. */
  readonly phoneCodes?: boolean
  code2Session(code: string): Promise<Session>
  /**
   * `openid`: the user the server knows is asking; WeChat then checks the phone code belongs to that
   * user (a code seen by someone else is refused). Optional, for implementations written before it.
   */
  getPhoneNumberByCode(phoneCode: string, openid?: string): Promise<PhoneInfo>
}

/**
 * The platform's code exchange, and WeChat's getuserphonenumber, over fetch, with a bound on every
 * call and a cached access token.
 */
export function createWeChatApi(options: WeChatApiOptions): WeChatApi {
  const profile = profileOf(checkedPlatform(options.platform))
  const baseUrl = (options.baseUrl || profile.baseUrl).replace(/\/$/, '')
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
    platform: profile.name,
    phoneCodes: profile.phoneCodes,
    async code2Session(code) {
      if (typeof code !== 'string' || code.length === 0 || code.length > 256) throw new ServerError('BAD_INPUT', 'code must be a non-empty string')
      const request = profile.exchangeRequest({ appId: options.appId, appSecret: options.appSecret }, code)
      return profile.readExchange(await call(request.path, request.init))
    },
    async getPhoneNumberByCode(phoneCode, openid) {
      if (!profile.phoneCodes) throw new ServerError('CONFIG', `the companion redeems no ${profile.name} phone codes`)
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
