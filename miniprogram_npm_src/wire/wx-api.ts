import { SessionGuardError, isGuardError } from '../errors/errors'

/** The slice of `wx` the guard uses; any object with these methods will do. */
export interface WxLike {
  /** wx.login, qq.login, tt.login, ks.login (swan.login too, deprecated). */
  login(options: LoginOptions): unknown
  /** Baidu's login call: the guard calls it on platform 'baidu' when the object has it. */
  getLoginCode?(options: LoginOptions): unknown
  checkSession(options: { success?: (res: unknown) => void; fail?: (err: unknown) => void }): unknown
  /** wx.request; typed loosely so WeChat's own `wx` (miniprogram-api-typings) fits. */
  request?(options: never): unknown
  /** Where the app session's token persists; each is optional and may throw. */
  getStorageSync?(key: string): unknown
  setStorageSync?(key: string, value: unknown): void
  removeStorageSync?(key: string): void
}

export interface LoginOptions {
  timeout?: number
  success?: (res: { code?: string; errMsg?: string }) => void
  fail?: (err: { errMsg?: string; errno?: number }) => void
}

/** wx.request's options, as far as the guard passes them through. */
export interface WxRequestOptions {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
  dataType?: string
  timeout?: number
  [option: string]: unknown
}

/** wx.request's success result: any HTTP status, the body, the headers. */
export interface WxResponse {
  statusCode: number
  data: unknown
  header?: Record<string, string>
  [field: string]: unknown
}

/** A platform's result says it went well: its errMsg ends in `:ok`. */
export const OK = /:ok$/

// Methods, so each call's own result types fit (method parameters are compared bivariantly).
interface Answer {
  success(res: unknown): void
  fail(err: unknown): void
  [option: string]: unknown
}

/**
 * Calls `api[name](options)`. Taro's APIs also return a promise that rejects on failure, and a
 * promisified API may answer by its promise alone: a returned promise answers like the callbacks
 * (whichever comes first settles the call; the caller's promise ignores the second) and never goes unhandled.
 */
export function invoke(api: WxLike, name: 'login' | 'getLoginCode' | 'checkSession' | 'request', options: Answer): void {
  const result = (api[name] as (options: object) => unknown)(options) as PromiseLike<unknown> | undefined
  if (result && typeof result.then === 'function') result.then(options.success, options.fail)
}

/** Resolves with a non-empty login code; rejects with LOGIN_FAILED otherwise. */
export function wxLogin(wx: WxLike, timeout: number, call: 'login' | 'getLoginCode'): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) => reject(new SessionGuardError('LOGIN_FAILED', 'wx.login failed', cause))
    try {
      invoke(wx, call, {
        timeout,
        success: (res: { code?: unknown }) => (res && typeof res.code === 'string' && res.code ? resolve(res.code) : fail(res)),
        fail,
      })
    } catch (error) {
      fail(error)
    }
  })
}

export type SessionCheck = 'valid' | 'invalid' | 'unknown'

/** Douyin's checkSession errNo for no session (113101) and an expired one (113102); its others (113191) say nothing. */
const NO_SESSION = [113101, 113102]

/**
 * What the platform says of this device's session: a success that says `:ok` (or nothing) is valid; a
 * failure is invalid unless it carries an errNo other than Douyin's two (say 113191, an internal
 * error), which says nothing ('unknown'), as does a call that throws.
 */
export function wxCheckSession(wx: WxLike): Promise<SessionCheck> {
  return new Promise((resolve) => {
    try {
      invoke(wx, 'checkSession', {
        success: (res: { errMsg?: unknown }) => resolve(res && res.errMsg && !OK.test(res.errMsg as string) ? 'invalid' : 'valid'),
        fail: (err: { errNo?: number }) => resolve(err && err.errNo && NO_SESSION.indexOf(err.errNo) < 0 ? 'unknown' : 'invalid'),
      })
    } catch {
      resolve('unknown')
    }
  })
}

/** wx.request as a promise: resolves with its success result for any HTTP status, rejects with its fail result. */
export function wxRequest(wx: WxLike, options: WxRequestOptions): Promise<WxResponse> {
  return new Promise((resolve, reject) => {
    if (typeof wx.request !== 'function') throw new SessionGuardError('CONFIG', 'no wx.request')
    // The promise is the one answer: a caller's own callbacks (complete too) would fire once per attempt.
    invoke(wx, 'request', { ...options, success: resolve, fail: reject, complete: undefined })
  })
}

/**
 * POSTs `body` as JSON (so base64 '+' survives) and resolves with the response, whatever its HTTP
 * status: what a status means is read from the body by the caller. A failed request rejects with NETWORK.
 */
export function wxPostJson(wx: WxLike, url: string, body: unknown, timeout: number, header?: Record<string, string>): Promise<WxResponse> {
  const options = { url, method: 'POST', data: body, header: { 'content-type': 'application/json', ...header }, dataType: 'json', timeout }
  return wxRequest(wx, options).catch((err) => {
    if (isGuardError(err)) throw err
    throw new SessionGuardError('NETWORK', (err && err.errMsg) || 'wx.request failed', err)
  })
}
