import { openSealedData } from '../model/open-data-crypto'
import { BAIDU_APP_KEY } from '../model/platforms'
import { APP_ID, type Later, type WeChatModel } from '../model/wechat'

/** `token`: the app session the server issues on every reply that exchanged a code. */
export type Reply = ({ ok: true; phoneNumber: string; tag: string } | { ok: false; reason: string }) & { token?: string }

/**
 * The developer server of the seed thread: flag '0' exchanges the code and
 * stores the key; flag '1' decrypts with the stored key, which it reads a
 * moment before decrypting (as real servers do across a cache or database).
 */
export class ThreadServer {
  storedKey: string | undefined
  /** flag-'1' decrypts between reading the key and answering. */
  decryptsInFlight = 0
  readonly handled: { flag: string; code: string; ok: boolean; at: number }[] = []
  /**
   * The next code-carrying requests (flag '0' or login) use their code but store nothing, then answer
   * a failure that proves nothing: a server whose database write failed, a gateway error page.
   */
  unprovenNextReplies = 0
  /** When such a reply was given: the server then lacks the key WeChat just rotated to. */
  readonly unprovenAt: number[] = []

  constructor(
    private readonly wechat: WeChatModel,
    private readonly later: Later,
    loggedIn = true,
    private readonly issueToken?: () => string,
  ) {
    if (loggedIn) this.storedKey = wechat.key
  }

  /** The server restarts or its cache drops the user's key. */
  loseKey(): void {
    this.storedKey = undefined
  }

  private exchange(code: string): Reply | undefined {
    if (this.unprovenNextReplies > 0) {
      this.unprovenNextReplies--
      this.unprovenAt.push(this.wechat.clock.now())
      this.wechat.code2Session(code)
      return { ok: false, reason: 'WECHAT_UNAVAILABLE' }
    }
    const result = this.wechat.code2Session(code)
    if ('errcode' in result) return { ok: false, reason: 'CODE_REJECTED' }
    this.storedKey = result.session_key
    return undefined
  }

  private decrypt(key: string, payload: Record<string, string>): Reply {
    const { cipher } = this.wechat.profile
    const data = openSealedData(key, payload.iv, payload.encryptedData, cipher, BAIDU_APP_KEY)
    // Baidu's plaintext proves the app by its trailing app_key (checked on opening), the others by a watermark.
    const watermark = data && (data.watermark as { appid?: string } | undefined)
    if (!data || (cipher === 'wechat' && (!watermark || watermark.appid !== APP_ID))) return { ok: false, reason: 'DECRYPT_FAILED' }
    return { ok: true, phoneNumber: String(data.phoneNumber), tag: String(data.tag) }
  }

  /** A phone code or cloudID needs no key: getuserphonenumber / cloud.getOpenData answers the number. */
  private redeem(payload: Record<string, string>): Reply {
    const result = this.wechat.phoneCodes.redeem(payload.phoneCode || payload.cloudID || '')
    if ('errcode' in result) return { ok: false, reason: 'PHONE_CODE_REJECTED' }
    return { ok: true, phoneNumber: result.phone_info.phoneNumber, tag: result.phone_info.tag }
  }

  handle(payload: Record<string, string>): Promise<Reply> {
    return new Promise((resolve) => {
      const done = (reply: Reply) => {
        this.handled.push({ flag: payload.sessionKeyValidFlag, code: payload.code, ok: reply.ok, at: this.wechat.clock.now() })
        resolve(reply)
      }
      // Nothing sealed (code-only, real-time, cloudID-only): flag '0' still exchanges and stores its code;
      // flag '1' is identified by the app's session token, which this one-user model takes as given.
      if (!payload.encryptedData) {
        if (payload.sessionKeyValidFlag !== '0') return done(this.redeem(payload))
        done(this.exchange(payload.code) || this.withToken(this.redeem(payload)))
        return
      }
      if (payload.sessionKeyValidFlag === '0') {
        const rejected = this.exchange(payload.code)
        done(rejected || this.withToken(this.decrypt(this.storedKey as string, payload)))
        return
      }
      const key = this.storedKey
      if (!key) {
        done({ ok: false, reason: 'SESSION_KEY_MISSING' })
        return
      }
      this.decryptsInFlight++
      this.later('server decrypt', () => {
        this.decryptsInFlight--
        done(this.decrypt(key, payload))
      })
    })
  }

  /** The login endpoint pages call on show: exchange and store. */
  login(code: string): Promise<{ ok: boolean; reason?: string; token?: string }> {
    const rejected = this.exchange(code)
    return Promise.resolve(rejected || this.withToken({ ok: true }))
  }

  private withToken<T extends object>(reply: T): T & { token?: string } {
    return this.issueToken ? { ...reply, token: this.issueToken() } : reply
  }
}
