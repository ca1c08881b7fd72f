import { ServerError } from './errors'
import { positiveInteger } from './options'

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

/** Connection refused or an unknown host: the request never left, so a code in it is still unused. */
const UNSENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']

function fetchFailure(error: unknown): ServerError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
  if (timedOut) return new ServerError('TIMEOUT', 'WeChat API timed out')
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  const code = (cause && cause.code) || (error as { code?: unknown } | undefined)?.code
  return new ServerError('NETWORK', 'WeChat API unreachable', undefined, UNSENT.includes(String(code)))
}

/** WeChat's token reply, checked: a missing token must not be cached as the string "undefined". */
function parseToken(body: Record<string, unknown>, now: number): { value: string; expiresAt: number } {
  const value = body.access_token
  const expiresIn = Number(body.expires_in)
  if (typeof value !== 'string' || value.length === 0 || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new ServerError('WECHAT_ERROR', 'cgi-bin/token answered without a usable access_token')
  }
  // Refresh 5 minutes early, or halfway through a lifetime shorter than 10 minutes.
  const lifetime = expiresIn > 600 ? expiresIn - 300 : expiresIn / 2
  return { value, expiresAt: now + lifetime * 1000 }
}

/** jscode2session and getuserphonenumber over fetch, with a bound on every call and a cached access token. */
export function createWeChatApi(options: WeChatApiOptions): WeChatApi {
  const baseUrl = (options.baseUrl || 'https://api.weixin.qq.com').replace(/\/$/, '')
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 5000)
  const doFetch = options.fetch || ((input: string, init?: RequestInit) => fetch(input, init))
  const now = options.now || Date.now
  let token: { value: string; expiresAt: number } | undefined
  let tokenPending: Promise<string> | undefined

  async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServerError('TIMEOUT', 'WeChat API timed out')), timeoutMs)
    })
    try {
      // One deadline for headers and body: the race also bounds a fetch that ignores its signal.
      return await Promise.race([fetchJson(path, init), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  async function fetchJson(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let response: Response
    try {
      const signal = typeof AbortSignal !== 'undefined' && AbortSignal.timeout ? AbortSignal.timeout(timeoutMs) : undefined
      response = await doFetch(baseUrl + path, { ...init, signal })
    } catch (error) {
      throw fetchFailure(error)
    }
    let body: Record<string, unknown>
    try {
      body = (await response.json()) as Record<string, unknown>
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw fetchFailure(error)
      throw new ServerError('WECHAT_ERROR', `WeChat API answered HTTP ${response.status} without JSON`)
    }
    if (!body || typeof body !== 'object') throw new ServerError('WECHAT_ERROR', 'WeChat API answered a JSON that is not an object')
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
          token = parseToken(body, now())
          return token.value
        })
        .finally(() => (tokenPending = undefined))
    return tokenPending
  }

  async function redeemPhoneCode(phoneCode: string): Promise<Record<string, unknown>> {
    const used = await accessToken()
    try {
      return await call(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(used)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: phoneCode }),
      })
    } catch (error) {
      // Drop the token only if it is still the one WeChat refused: a newer one fetched meanwhile stays.
      if (error instanceof ServerError && TOKEN_ERRCODES.includes(error.errcode as number) && token && token.value === used) token = undefined
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
    async getPhoneNumberByCode(phoneCode) {
      if (typeof phoneCode !== 'string' || phoneCode.length === 0 || phoneCode.length > 256) throw new ServerError('BAD_INPUT', 'phoneCode must be a non-empty string')
      let body: Record<string, unknown>
      try {
        body = await redeemPhoneCode(phoneCode)
      } catch (error) {
        // Another server (or a manual refresh) replaced the token: fetch a new one and try once more.
        if (!(error instanceof ServerError) || !TOKEN_ERRCODES.includes(error.errcode as number)) throw error
        body = await redeemPhoneCode(phoneCode)
      }
      const info = body.phone_info as PhoneInfo | undefined
      if (!info || typeof info.phoneNumber !== 'string') throw new ServerError('WECHAT_ERROR', 'getuserphonenumber answered without phone_info')
      return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode }
    },
  }
}
