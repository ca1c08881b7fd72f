import type { Clock } from '../../miniprogram_npm_src/primitives/clock'
import type { Reply, ThreadServer } from './thread-server'
import type { Later, WeChatModel } from '../model/wechat'

export type Fault = 'lose-request' | 'lose-reply'

/** How long a client waits before wx.request reports a lost request or reply. */
export const LOST_AFTER_MS = 5000

export interface SentRequest {
  kind: 'data' | 'login'
  payload: Record<string, string>
  at: number
}

/**
 * The path between the mini program and the developer server. Faults are
 * armed for the next request that matches, and used once.
 */
export class Network {
  readonly sent: SentRequest[] = []
  /** flag-'1' requests sent and not yet answered by the server (or dropped). */
  decryptsInFlight = 0
  /** Broken ordering rules, as seen from the wire. */
  readonly violations: string[] = []
  private readonly faults: { match: (payload: Record<string, string>) => boolean; fault: Fault }[] = []

  constructor(
    private readonly wechat: WeChatModel,
    private readonly server: ThreadServer,
    private readonly later: Later,
    private readonly clock: Clock,
  ) {}

  arm(fault: Fault, match: (payload: Record<string, string>) => boolean): void {
    this.faults.push({ match, fault })
  }

  private takeFault(payload: Record<string, string>): Fault | undefined {
    const index = this.faults.findIndex((f) => f.match(payload))
    if (index < 0) return undefined
    return this.faults.splice(index, 1)[0].fault
  }

  private lost<T>(): Promise<T> {
    return new Promise((_, reject) => {
      this.clock.setTimeout(() => reject({ errMsg: 'request:fail timeout' }), LOST_AFTER_MS)
    })
  }

  /** Both directions take a hop through `later`; a fault drops one of them. */
  private roundTrip<T>(payload: Record<string, string>, handle: () => Promise<T>, onHandled: () => void): Promise<T> {
    const fault = this.takeFault(payload)
    if (fault === 'lose-request') {
      onHandled()
      return this.lost()
    }
    return new Promise<T>((resolve, reject) => {
      this.later('request', () => {
        handle().then((reply) => {
          onHandled()
          if (fault === 'lose-reply') this.lost<T>().catch(reject)
          else this.later('reply', () => resolve(reply))
        })
      })
    })
  }

  send = (payload: Record<string, string>): Promise<Reply> => {
    this.sent.push({ kind: 'data', payload, at: this.clock.now() })
    if (payload.code) this.sentCodes.add(payload.code)
    // A flag-'1' payload with nothing sealed (a phone code) decrypts nothing: no login can break it.
    const decrypt = payload.sessionKeyValidFlag === '1' && !!payload.encryptedData
    const carriesCode = payload.sessionKeyValidFlag !== '1'
    if (decrypt) {
      this.decryptsInFlight++
      // A login whose code comes too late to be sent is harmless here: the server never sees its key.
      const loginInFlight = this.wechat.loginsInFlight > this.wechat.lateLoginsInFlight
      if (loginInFlight || this.codesInTransit > 0 || this.unsentCodes() > 0) {
        this.violations.push(`flag-1 request sent at ${this.clock.now()} while a login or its code request was in flight`)
      }
    } else if (carriesCode) {
      this.codesInTransit++
    }
    return this.roundTrip<Reply>(
      payload,
      () => this.server.handle(payload),
      () => {
        if (decrypt) this.decryptsInFlight--
        else if (carriesCode) this.codesInTransit--
      },
    )
  }

  sendLogin = (code: string): Promise<{ ok: boolean; reason?: string }> => {
    const payload = { code }
    this.sent.push({ kind: 'login', payload, at: this.clock.now() })
    this.sentCodes.add(code)
    this.codesInTransit++
    return this.roundTrip(payload, () => this.server.login(code), () => this.codesInTransit--)
  }

  /** Requests carrying a code that have not reached the server (or been dropped) yet. */
  codesInTransit = 0

  /** Codes WeChat issued that no request has carried yet. */
  unsentCodes(): number {
    let unsent = 0
    for (const code of this.wechat.codes.keys()) if (!this.sentCodes.has(code) && !this.wechat.lateCodes.has(code)) unsent++
    return unsent
  }

  private readonly sentCodes = new Set<string>()

  /** How many requests carried each code. */
  requestsPerCode(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const code of this.wechat.codes.keys()) counts.set(code, 0)
    for (const request of this.sent) {
      const code = request.payload.code
      if (code) counts.set(code, (counts.get(code) || 0) + 1)
    }
    return counts
  }
}
