import { ServerError } from './errors'

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
  getPhoneNumberByCode(phoneCode: string): Promise<PhoneInfo>
}

const ERRCODES: Record<number, ServerError['code']> = {
  40029: 'CODE_INVALID',
  40163: 'CODE_USED',
  45011: 'RATE_LIMITED',
  40226: 'USER_BLOCKED',
  [-1]: 'WECHAT_BUSY',
}

/** 40001 invalid credential, 42001 access token expired. */
const TOKEN_ERRCODES = [40001, 42001]

function wechatError(body: { errcode?: number; errmsg?: string }): ServerError {
  const errcode = Number(body.errcode)
  return new ServerError(ERRCODES[errcode] || 'WECHAT_ERROR', `WeChat errcode ${errcode}: ${String(body.errmsg || '')}`, errcode)
}

/** jscode2session and getuserphonenumber over fetch, with a bound on every call and a cached access token. */
export function createWeChatApi(options: WeChatApiOptions): WeChatApi {
  const baseUrl = (options.baseUrl || 'https://api.weixin.qq.com').replace(/\/$/, '')
  const timeoutMs = options.timeoutMs ?? 5000
  const doFetch = options.fetch || ((input: string, init?: RequestInit) => fetch(input, init))
  const now = options.now || Date.now
  let token: { value: string; expiresAt: number } | undefined
  let tokenPending: Promise<string> | undefined

  async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let response: Response
    let timer: NodeJS.Timeout | undefined
    try {
      const signal = typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(timeoutMs) : undefined
      // The race also bounds a fetch implementation that ignores its signal.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs)
      })
      response = await Promise.race([doFetch(baseUrl + path, { ...init, signal }), deadline])
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      throw new ServerError(timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? 'WeChat API timed out' : 'WeChat API unreachable')
    } finally {
      clearTimeout(timer)
    }
    let body: Record<string, unknown>
    try {
      body = (await response.json()) as Record<string, unknown>
    } catch {
      throw new ServerError('WECHAT_ERROR', `WeChat API answered HTTP ${response.status} without JSON`)
    }
    if (body.errcode !== undefined && body.errcode !== 0) throw wechatError(body as { errcode: number; errmsg?: string })
    return body
  }

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > now()) return token.value
    // Concurrent callers share one token request.
    tokenPending =
      tokenPending ||
      call(`/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(options.appId)}&secret=${encodeURIComponent(options.appSecret)}`)
        .then((body) => {
          const value = String(body.access_token)
          token = { value, expiresAt: now() + (Number(body.expires_in) - 300) * 1000 }
          return value
        })
        .finally(() => (tokenPending = undefined))
    return tokenPending
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
    async getPhoneNumberByCode(phoneCode) {
      if (typeof phoneCode !== 'string' || phoneCode.length === 0 || phoneCode.length > 256) throw new ServerError('BAD_INPUT', 'phoneCode must be a non-empty string')
      const redeem = async () =>
        call(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(await accessToken())}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: phoneCode }),
        })
      let body: Record<string, unknown>
      try {
        body = await redeem()
      } catch (error) {
        // Another server (or a manual refresh) replaced the token: fetch a new one and try once more.
        if (!(error instanceof ServerError) || !TOKEN_ERRCODES.includes(error.errcode as number)) throw error
        token = undefined
        body = await redeem()
      }
      const info = body.phone_info as PhoneInfo | undefined
      if (!info || typeof info.phoneNumber !== 'string') throw new ServerError('WECHAT_ERROR', 'getuserphonenumber answered without phone_info')
      return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode }
    },
  }
}
