import type { Clock } from '../../miniprogram_npm_src/primitives/clock'
import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'
import { sealOpenData } from './open-data-crypto'
import { PhoneCodes } from './phone-codes'
import { BAIDU_APP_KEY, PROFILES, type PlatformProfile } from './platforms'

/**
 * WeChat — or another platform with the same race, by its profile (platforms.ts) — for one user on
 * one device, from the documented rules (/work/shared/docs/wechat-facts.md, platform-facts.md).
 * What the platform leaves undocumented is a policy, so every test can run under each plausible answer.
 */

/** Where the user and the app stand on the privacy agreement (base library ≥ 2.32.3, privacy check on). */
export type PrivacyState = 'agreed' | 'declined' | 'undeclared'

/** When wx.login replaces the session key. [doc: "may"; the minimum period is unpublished] */
export type RotationPolicy = 'always' | 'min-period' | 'expired-only'
/** Which key seals data the user consents to while the session is expired. [open] */
export type ExpiredConsentPolicy = 'expired-key' | 'fresh-key'

export interface Policies {
  rotation: RotationPolicy
  expiredConsent: ExpiredConsentPolicy
}

export const ALL_POLICIES: Policies[] = (['always', 'min-period', 'expired-only'] as const).flatMap((rotation) =>
  (['expired-key', 'fresh-key'] as const).map((expiredConsent) => ({ rotation, expiredConsent })),
)

/** How the model delivers a callback later: a timer, or fast-check's scheduler. */
export type Later = (label: string, fn: () => void) => void

export const APP_ID = 'wx4f4bc4dec97d474b'
/** WeChat's; each profile has its own (`profile.codeTtlMs`: Baidu's is 10 minutes). */
export const CODE_TTL_MS = 5 * 60 * 1000
export const MIN_ROTATION_PERIOD_MS = 3000
export const RATE_LIMIT = 4
export const RATE_WINDOW_MS = 1000
/** The one simulated user's openid, as jscode2session answers it. */
export const OPENID = 'openid-of-the-user'

export interface IssuedCode {
  code: string
  key: string
  issuedAt: number
  used: boolean
}

export interface Consent {
  detail: { errMsg: string; encryptedData: string; iv: string; code?: string }
  /** The key that sealed the data. */
  key: string
  sessionValid: boolean
  loginInFlight: boolean
}

export type ApiCall = { api: 'login' | 'checkSession'; at: number; limited: boolean }

export type Code2SessionResult = { session_key: string; openid: string } | { errcode: number; errmsg: string }

export class WeChatModel {
  key: string
  keyCreatedAt: number
  expired: boolean
  readonly codes = new Map<string, IssuedCode>()
  readonly calls: ApiCall[] = []
  loginsInFlight = 0
  maxLoginsInFlight = 0
  checksInFlight = 0
  maxChecksInFlight = 0
  /** Login invocations, with the time each started and whether it is still in flight. */
  readonly logins: { at: number; done: boolean }[] = []
  /** Every key change after the first, with when and why (for timelines). */
  readonly rotations: { at: number; cause: 'login' | 'elsewhere' | 'consent' }[] = []
  failNextLogins = 0
  failNextChecks = 0
  /** The next wx.login calls back only after this long (a slow network, a device under load). */
  lateNextLogins: number[] = []
  /** Codes handed over by a late wx.login callback: a client that stopped waiting never sends them. */
  readonly lateCodes = new Map<string, number>()
  lateLoginsInFlight = 0
  codeErrors = 0
  /** Phone codes and cloudIDs handed out with consents (see phone-consent.ts for the detail shapes). */
  readonly phoneCodes: PhoneCodes
  privacy: PrivacyState = 'agreed'
  private keys = 0
  private codeSeq = 0
  private ivSeq = 0

  constructor(
    readonly policies: Policies,
    readonly clock: Clock,
    readonly later: Later,
    loggedIn = true,
    readonly profile: PlatformProfile = PROFILES.weixin,
  ) {
    this.phoneCodes = new PhoneCodes(clock)
    this.key = this.newKey()
    this.keyCreatedAt = clock.now()
    this.expired = !loggedIn
  }

  /** The platform's login call: WeChat's wx.login, Baidu's swan.getLoginCode. */
  private readonly loginCall: WxLike['login'] = (options) => {
    const call = this.profile.loginCall
    const limited = this.record('login')
    const entry = { at: this.clock.now(), done: false }
    this.logins.push(entry)
    this.loginsInFlight++
    this.maxLoginsInFlight = Math.max(this.maxLoginsInFlight, this.loginsInFlight)
    const failing = limited || this.failNextLogins > 0
    if (!limited && this.failNextLogins > 0) this.failNextLogins--
    const lateBy = this.lateNextLogins.shift()
    if (lateBy !== undefined) this.lateLoginsInFlight++
    const callBack = (fn: () => void) => (lateBy === undefined ? this.later('wx.login', fn) : this.clock.setTimeout(fn, lateBy))
    callBack(() => {
      const late = lateBy !== undefined
      if (late) this.lateLoginsInFlight--
      this.loginsInFlight--
      entry.done = true
      if (failing) {
        options.fail?.({ errMsg: `${call}:fail ${limited ? 'frequent call' : 'network error'}` })
        return
      }
      const code = this.issueCode()
      if (late) this.lateCodes.set(code, this.clock.now())
      options.success?.({ code, errMsg: `${call}:ok` })
    })
  }

  /** The API object a client sees (`wx`, `qq`, `tt`, `swan`, `ks`). */
  readonly wx: WxLike = {
    ...(this.profile.loginCall === 'getLoginCode'
      ? // Baidu: `login` is deprecated; the model answers it as a failure, and only getLoginCode gives a code.
        { getLoginCode: this.loginCall, login: (options) => this.later('swan.login', () => options.fail?.({ errMsg: 'login:fail deprecated, use swan.getLoginCode' })) }
      : { login: this.loginCall }),
    checkSession: (options) => {
      const limited = this.record('checkSession')
      this.checksInFlight++
      this.maxChecksInFlight = Math.max(this.maxChecksInFlight, this.checksInFlight)
      const failing = limited || this.failNextChecks > 0
      if (!limited && this.failNextChecks > 0) this.failNextChecks--
      this.later('wx.checkSession', () => {
        this.checksInFlight--
        if (this.expired) options.fail?.({ ...this.profile.noSession })
        else if (failing) options.fail?.({ ...(limited ? this.profile.noSession : this.profile.checkBroken) })
        else options.success?.({ errMsg: 'checkSession:ok' })
      })
    },
  }

  /** Counts the call; true when it exceeds 4 per rolling second (such calls fail). */
  private record(api: ApiCall['api']): boolean {
    const now = this.clock.now()
    const recent = this.calls.filter((c) => c.at > now - RATE_WINDOW_MS).length
    const limited = recent >= RATE_LIMIT
    this.calls.push({ api, at: now, limited })
    return limited
  }

  private newKey(): string {
    const bytes = Buffer.alloc(this.profile.keyBytes)
    bytes.writeUInt32BE(++this.keys, this.profile.keyBytes - 4)
    bytes.write('model-key', 0)
    return bytes.toString('base64')
  }

  private rotate(cause: 'login' | 'elsewhere' | 'consent'): void {
    this.key = this.newKey()
    this.keyCreatedAt = this.clock.now()
    this.rotations.push({ at: this.keyCreatedAt, cause })
  }

  private issueCode(): string {
    const now = this.clock.now()
    const rotates =
      this.expired ||
      this.policies.rotation === 'always' ||
      (this.policies.rotation === 'min-period' && now - this.keyCreatedAt >= MIN_ROTATION_PERIOD_MS)
    if (rotates) this.rotate('login')
    this.expired = false
    const code = `code-${++this.codeSeq}`
    this.codes.set(code, { code, key: this.key, issuedAt: now, used: false })
    return code
  }

  /** The session times out (WeChat never says when). */
  expire(): void {
    this.expired = true
  }

  /** Another device of the same user logs in: the key rotates under this one. */
  loginElsewhere(): void {
    this.rotate('elsewhere')
    this.expired = false
  }

  get loginInFlight(): boolean {
    return this.loginsInFlight > 0
  }

  /** The user taps allow (phone number, WeRun …): WeChat seals the data with the key it holds now. */
  consent(tag: string, phoneCode = false, content?: object): Consent {
    const sessionValid = !this.expired
    if (this.expired && this.policies.expiredConsent === 'fresh-key') {
      this.rotate('consent')
      this.expired = false
    }
    const iv = Buffer.alloc(16, ++this.ivSeq % 251).toString('base64')
    const fields = { ...(content || { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }), tag }
    // Baidu's plaintext carries the app_key instead of a watermark.
    const data = this.profile.cipher === 'baidu' ? fields : { ...fields, watermark: { appid: APP_ID, timestamp: Math.floor(this.clock.now() / 1000) } }
    const encryptedData = sealOpenData(this.key, iv, data, this.profile.cipher, BAIDU_APP_KEY)
    const detail: Consent['detail'] = { errMsg: 'getPhoneNumber:ok', iv, encryptedData }
    if (phoneCode) detail.code = this.phoneCodes.issue(`phone-${tag}`, tag)
    return { detail, key: this.key, sessionValid, loginInFlight: this.loginInFlight }
  }

  /**
   * wx.getChatToolInfo (base library 3.7.8) in chat-tool mode: the group's ids sealed with the key WeChat
   * holds now, and, as WeChat seals them, **no watermark**.
   */
  chatToolInfo(opengid = 'tG6Lh5Ceuf7Pa6p8OxIYkXh3cE4Y'): { errMsg: string; iv: string; encryptedData: string } {
    const iv = Buffer.alloc(16, ++this.ivSeq % 251).toString('base64')
    const data = { opengid, open_single_roomid: '', group_openid: 'oZsfm5ZcoMvg7H2uS9Qm3jLaVnDc', chat_type: 3 }
    return { errMsg: 'getChatToolInfo:ok', iv, encryptedData: sealOpenData(this.key, iv, data) }
  }

  /** The server side of a login code: jscode2session. */
  code2Session(code: string): Code2SessionResult {
    const issued = this.codes.get(code)
    if (!issued || this.clock.now() - issued.issuedAt > this.profile.codeTtlMs) {
      this.codeErrors++
      return { errcode: 40029, errmsg: 'invalid code' }
    }
    if (issued.used) {
      this.codeErrors++
      return { errcode: 40163, errmsg: 'code been used' }
    }
    issued.used = true
    return { session_key: issued.key, openid: OPENID }
  }

  /** Calls that exceeded WeChat's per-second limit. */
  get limitedCalls(): number {
    return this.calls.filter((c) => c.limited).length
  }

  /** The most login + checkSession calls in any rolling second. */
  get peakCallsPerSecond(): number {
    let peak = 0
    for (const call of this.calls) {
      const inWindow = this.calls.filter((c) => c.at > call.at - RATE_WINDOW_MS && c.at <= call.at).length
      peak = Math.max(peak, inWindow)
    }
    return peak
  }
}
