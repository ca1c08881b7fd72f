import { createHmac, randomBytes } from 'node:crypto'
import { serveJsonApi, type ApiRequest, type ApiServer } from './json-api-server'
import { newSessionKey } from './seal'

export interface FakeWeChatOptions {
  appId: string
  secret: string
}

/** How WeChat answers one login code: an errcode, late, or (default) with a session. */
export interface CodeScript {
  errcode?: number
  /** Answer this many ms late; a late answer is still cut off by stop(). */
  delayMs?: number
}

interface LoginCode {
  openid: string
  sessionKey: string
  script: CodeScript
  exchanges: number
}

interface PhoneCode {
  phoneNumber: string
  redemptions: number
  /** The user who tapped: WeChat refuses the code for another openid when the server names one. */
  openid?: string
  /** The openid the backend named with each call for this code (undefined: none named). */
  openidsNamed: (string | undefined)[]
  used?: true
}

/** WeChat's answer when the openid named is not the code's user (undocumented errcode: modelled as 40029). */
const NOT_THIS_USERS_CODE = { errcode: 40029, errmsg: 'invalid code: openid does not match' }

/**
 * WeChat's server API as a backend sees it, on loopback and scripted by the kit: jscode2session,
 * cgi-bin/token, cgi-bin/stable_token, wxa/business/getuserphonenumber and wxa/checksession. It
 * counts what it was asked, so a scenario can tell an exchange that happened twice.
 */
export class FakeWeChat {
  private server?: ApiServer
  private readonly codes = new Map<string, LoginCode>()
  private readonly phoneCodes = new Map<string, PhoneCode>()
  /** The session_key WeChat holds for each user now: the last one a code of theirs carried. */
  private readonly currentKeys = new Map<string, string>()
  private readonly accessTokens = new Set<string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private serial = 0
  /** Every request, path and method, in arrival order (never a secret: paths only). */
  readonly calls: string[] = []

  constructor(private readonly options: FakeWeChatOptions) {}

  /** A new user of the app. */
  newUser(): string {
    return `o-kit-${process.pid}-${++this.serial}-${randomBytes(4).toString('hex')}`
  }

  /** What wx.login gives the mini program: a fresh code, and the user's key rotated to a new one (or kept). */
  issueCode(openid: string, script: CodeScript = {}, keep = false): { code: string; sessionKey: string } {
    const sessionKey = keep && this.currentKeys.has(openid) ? (this.currentKeys.get(openid) as string) : newSessionKey()
    this.currentKeys.set(openid, sessionKey)
    const code = `kit-code-${++this.serial}-${randomBytes(6).toString('hex')}`
    this.codes.set(code, { openid, sessionKey, script, exchanges: 0 })
    return { code, sessionKey }
  }

  /** What the phone button gives the user `openid` (when known): a phone code for this number, redeemable once. */
  issuePhoneCode(phoneNumber: string, openid?: string): string {
    const code = `kit-phone-${++this.serial}-${randomBytes(6).toString('hex')}`
    this.phoneCodes.set(code, { phoneNumber, redemptions: 0, openid, openidsNamed: [] })
    return code
  }

  /** The openid the backend named with each getuserphonenumber call for this code, in order. */
  openidsNamedFor(phoneCode: string): (string | undefined)[] {
    return [...(this.phoneCodes.get(phoneCode)?.openidsNamed ?? [])]
  }

  /** How often the backend sent this login code to jscode2session. */
  exchangesOf(code: string): number {
    return this.codes.get(code)?.exchanges ?? 0
  }

  /** How often the backend sent this phone code to getuserphonenumber. */
  redemptionsOf(phoneCode: string): number {
    return this.phoneCodes.get(phoneCode)?.redemptions ?? 0
  }

  /** Every access token issued so far stops working (40001), as when another server refreshed it. */
  revokeAccessTokens(): void {
    this.accessTokens.clear()
  }

  async start(port: number): Promise<string> {
    this.server = await serveJsonApi((request) => this.answer(request), port)
    return this.server.base
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    const server = this.server
    this.server = undefined
    if (server) await server.stop()
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, ms)
    this.timers.add(timer)
  }

  private answer({ method, path, query, body }: ApiRequest): object | undefined | Promise<object> {
    this.calls.push(`${method} ${path}`)
    switch (path) {
      case '/sns/jscode2session':
        return this.jscode2session(query)
      case '/cgi-bin/token':
        return this.token(query.get('grant_type'), query.get('appid'), query.get('secret'))
      case '/cgi-bin/stable_token':
        return this.token(String(body.grant_type), String(body.appid), String(body.secret))
      case '/wxa/business/getuserphonenumber':
        return this.phoneNumber(query.get('access_token'), body.code, body.openid)
      case '/wxa/checksession':
        return this.checkSession(query)
      default:
        return undefined
    }
  }

  private credentials(appid: string | null, secret: string | null): object | undefined {
    if (appid !== this.options.appId) return { errcode: 40013, errmsg: 'invalid appid' }
    if (secret !== this.options.secret) return { errcode: 40125, errmsg: 'invalid appsecret' }
    return undefined
  }

  /** WxJava adds an access_token even here: extra parameters are ignored, like WeChat does. */
  private jscode2session(query: URLSearchParams): object | Promise<object> {
    const refused = this.credentials(query.get('appid'), query.get('secret'))
    if (refused) return refused
    const entry = this.codes.get(query.get('js_code') || '')
    if (!entry) return { errcode: 40029, errmsg: 'invalid code' }
    const { errcode, delayMs = 0 } = entry.script
    const settle = (): object => {
      // Busy and rate-limited codes were not processed: they stay usable, as at WeChat.
      if (errcode === -1 || errcode === 45011) return { errcode, errmsg: errcode === -1 ? 'system error' : 'api freq out of limit' }
      entry.exchanges++
      if (errcode !== undefined) return { errcode, errmsg: 'scripted' }
      if (entry.exchanges > 1) return { errcode: 40163, errmsg: 'code been used' }
      return { openid: entry.openid, session_key: entry.sessionKey }
    }
    if (delayMs <= 0) return settle()
    return new Promise((resolve) => this.later(delayMs, () => resolve(settle())))
  }

  private token(grantType: string | null, appid: string | null, secret: string | null): object {
    if (grantType !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' }
    const refused = this.credentials(appid, secret)
    if (refused) return refused
    const token = `kit-access-${++this.serial}-${randomBytes(8).toString('hex')}`
    this.accessTokens.add(token)
    return { access_token: token, expires_in: 7200 }
  }

  private phoneNumber(accessToken: string | null, code: unknown, openid: unknown): object {
    if (!accessToken || !this.accessTokens.has(accessToken)) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
    const entry = typeof code === 'string' ? this.phoneCodes.get(code) : undefined
    if (!entry) return { errcode: 40029, errmsg: 'invalid code' }
    // Every call counts (P-PHONE-2 is about sending a code twice); one WeChat refused for its openid does not use it up.
    entry.redemptions++
    entry.openidsNamed.push(typeof openid === 'string' ? openid : undefined)
    if (openid !== undefined && entry.openid !== undefined && openid !== entry.openid) return NOT_THIS_USERS_CODE
    if (entry.used) return { errcode: 40029, errmsg: 'invalid code' }
    entry.used = true
    const { phoneNumber } = entry
    return { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber, purePhoneNumber: phoneNumber, countryCode: '86', watermark: { appid: this.options.appId, timestamp: Math.floor(Date.now() / 1000) } } }
  }

  /** signature = hmac_sha256(session_key, ''), hex: 87009 unless it is the user's current key. */
  private checkSession(query: URLSearchParams): object {
    const accessToken = query.get('access_token')
    if (!accessToken || !this.accessTokens.has(accessToken)) return { errcode: 40001, errmsg: 'invalid credential' }
    const key = this.currentKeys.get(query.get('openid') || '')
    const expected = key ? createHmac('sha256', key).update('').digest('hex') : undefined
    if (query.get('sig_method') !== 'hmac_sha256' || !expected || query.get('signature') !== expected) return { errcode: 87009, errmsg: 'invalid signature' }
    return { errcode: 0, errmsg: 'ok' }
  }
}
