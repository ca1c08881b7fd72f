import { SessionGuardError, isGuardError } from '../errors/errors'

/** The slice of `wx` the guard uses; any object with these methods will do. */
export interface WxLike {
  login(options: {
    timeout?: number
    success?: (res: { code?: string; errMsg?: string }) => void
    fail?: (err: { errMsg?: string; errno?: number }) => void
  }): unknown
  checkSession(options: { success?: (res: unknown) => void; fail?: (err: unknown) => void }): unknown
  /** wx.request; typed loosely so WeChat's own `wx` (miniprogram-api-typings) fits. */
  request?(options: never): unknown
  /** Where the app session's token persists; each is optional and may throw. */
  getStorageSync?(key: string): unknown
  setStorageSync?(key: string, value: unknown): void
  removeStorageSync?(key: string): void
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

/** Resolves with a non-empty login code; rejects with LOGIN_FAILED otherwise. */
export function wxLogin(wx: WxLike, timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown) => reject(new SessionGuardError('LOGIN_FAILED', 'wx.login failed', cause))
    try {
      wx.login({
        timeout,
        success: (res) => (res && typeof res.code === 'string' && res.code ? resolve(res.code) : fail(res)),
        fail,
      })
    } catch (error) {
      fail(error)
    }
  })
}

export type SessionCheck = 'valid' | 'invalid' | 'unknown'

/** What WeChat says of this device's session; a call that throws says nothing ('unknown'). */
export function wxCheckSession(wx: WxLike): Promise<SessionCheck> {
  return new Promise((resolve) => {
    try {
      wx.checkSession({ success: () => resolve('valid'), fail: () => resolve('invalid') })
    } catch {
      resolve('unknown')
    }
  })
}

/** wx.request as a promise: resolves with its success result for any HTTP status, rejects with its fail result. */
export function wxRequest(wx: WxLike, options: WxRequestOptions): Promise<WxResponse> {
  return new Promise((resolve, reject) => {
    if (typeof wx.request !== 'function') throw new SessionGuardError('CONFIG', 'no wx.request')
    // The promise is the one answer: a caller's own callbacks would fire once per attempt.
    // The promise is the one answer: a caller's own callbacks (complete too) would fire once per attempt.
    ;(wx.request as (options: object) => unknown)({ ...options, success: resolve, fail: reject, complete: undefined })
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
