import { SessionGuardError } from './errors'

/** The slice of `wx` the guard uses; any object with these methods will do. */
export interface WxLike {
  login(options: {
    timeout?: number
    success?: (res: { code?: string; errMsg?: string }) => void
    fail?: (err: { errMsg?: string; errno?: number }) => void
  }): unknown
  checkSession(options: { success?: (res: unknown) => void; fail?: (err: unknown) => void }): unknown
  request?(options: {
    url: string
    method?: 'POST'
    data?: unknown
    header?: Record<string, string>
    dataType?: string
    timeout?: number
    success?: (res: { statusCode: number; data: unknown }) => void
    fail?: (err: { errMsg?: string; errno?: number }) => void
  }): unknown
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

/** POSTs `body` as JSON (so base64 '+' survives) and resolves with the reply body. */
export function wxPostJson(wx: WxLike, url: string, body: unknown, timeout: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (typeof wx.request !== 'function') {
      reject(new SessionGuardError('CONFIG', 'url/loginUrl need wx.request'))
      return
    }
    wx.request({
      url,
      method: 'POST',
      data: body,
      header: { 'content-type': 'application/json' },
      dataType: 'json',
      timeout,
      success: (res) => resolve(res.data),
      fail: (err) => reject(new SessionGuardError('NETWORK', (err && err.errMsg) || 'wx.request failed', err)),
    })
  })
}
