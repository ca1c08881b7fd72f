import { DEFAULT_STORAGE_KEY } from '../../miniprogram_npm_src/app-session/app-session'
import type { Clock } from '../../miniprogram_npm_src/primitives/clock'
import type { WxLike, WxRequestOptions, WxResponse } from '../../miniprogram_npm_src/wire/wx-api'
import type { Later } from '../model/wechat'

export interface BusinessRequest {
  url: string
  token?: string
  status: number
  at: number
}

/**
 * The app's own side of the session: the developer server's session tokens (issued on every code
 * exchange, refused once they expire), one protected business route, and the phone's wx storage.
 */
export class AppServer {
  /** Tokens the server still accepts. */
  readonly accepted = new Set<string>()
  readonly issued: string[] = []
  readonly requests: BusinessRequest[] = []
  /** Routes that refuse every token, even a brand-new one (backends that answer 401 for "forbidden"). */
  readonly forbidden = new Set<string>()
  /** Hostile: how the next tokens come out: not header-safe, the previous one again, or none at all. */
  readonly nextTokens: ('bad' | 'same' | 'none')[] = []
  /** How many times the server's tokens expired. */
  expiries = 0
  readonly storage = new Map<string, unknown>()
  private seq = 0

  constructor(
    private readonly later: Later,
    private readonly clock: Clock,
    loggedIn: boolean,
  ) {
    // A user who used the app before has its token persisted on the phone.
    if (loggedIn) this.storage.set(DEFAULT_STORAGE_KEY, { token: this.issue() })
  }

  /** A code was exchanged: the server hands out a new session token. */
  issue(): string {
    const mode = this.nextTokens.shift()
    if (mode === 'none') return undefined as unknown as string
    const last = this.issued[this.issued.length - 1]
    const token = mode === 'same' && last ? last : mode === 'bad' ? `bad\r\nX-Injected: ${++this.seq}` : `token-${++this.seq}`
    this.accepted.add(token)
    this.issued.push(token)
    return token
  }

  /** Every token issued so far stops being accepted (its lifetime ran out, or the server rotated its secret). */
  expireTokens(): void {
    this.accepted.clear()
    this.expiries++
  }

  /** The protected business route: 200 with the caller's data, or 401 SESSION_EXPIRED. */
  answer(options: WxRequestOptions): WxResponse {
    const auth = Object.entries(options.header || {}).find(([name]) => name.toLowerCase() === 'authorization')
    const token = auth && /^Bearer (.+)$/.exec(auth[1]) ? (/^Bearer (.+)$/.exec(auth[1]) as RegExpExecArray)[1] : undefined
    const ok = token !== undefined && this.accepted.has(token) && !this.forbidden.has(options.url)
    this.requests.push({ url: options.url, token, status: ok ? 200 : 401, at: this.clock.now() })
    return ok
      ? { statusCode: 200, data: { ok: true, data: { openid: 'openid-of-the-user', url: options.url } }, header: {} }
      : { statusCode: 401, data: { ok: false, reason: 'SESSION_EXPIRED' }, header: {} }
  }

  /** The wx pieces this side provides: request (to the business route) and storage. */
  readonly wx: Required<Pick<WxLike, 'getStorageSync' | 'setStorageSync' | 'removeStorageSync'>> & {
    request(options: WxRequestOptions & { success?: (res: WxResponse) => void }): void
  } = {
    request: (options) => {
      // The request reaches the server after one hop, and the response comes back after another.
      this.later('app request', () => {
        const res = this.answer(options)
        this.later('app reply', () => options.success?.(res))
      })
    },
    getStorageSync: (key) => (this.storage.has(key) ? this.storage.get(key) : ''),
    setStorageSync: (key, value) => void this.storage.set(key, JSON.parse(JSON.stringify(value))),
    removeStorageSync: (key) => void this.storage.delete(key),
  }
}
