import { serveJsonApi, type ApiRequest, type ApiServer } from '../../conformance/wechat/json-api-server'
import type { WeChatModel } from '../model/wechat'

/**
 * WeChat's server API on loopback, answering from the model: jscode2session,
 * the access token and getuserphonenumber. `failNext` makes the next call
 * answer a WeChat errcode.
 */
export class FakeWeChatApi {
  readonly calls: string[] = []
  /** The session key of the latest successful exchange: what the companion now holds. */
  lastExchangedKey: string | undefined
  failNext: number[] = []
  /** Phone codes WeChat redeemed: each one works once, like the real thing (40029 after). */
  readonly redeemedPhoneCodes: string[] = []
  /** The user each phone code was given to, where a test says: WeChat refuses it for another openid named. */
  readonly phoneCodeOwners = new Map<string, string>()
  /** The openid named with each getuserphonenumber call (undefined: none), in order. */
  readonly openidsNamed: (string | undefined)[] = []
  /** Answer a phone code this many ms late (the companion's bound on WeChat calls is what is tested). */
  phoneDelayMs = 0
  private server?: ApiServer

  constructor(
    /** The model, or anything else that answers jscode2session (the load bench's many users). */
    private readonly wechat: Pick<WeChatModel, 'code2Session'>,
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async start(): Promise<string> {
    this.server = await serveJsonApi((request) => this.answer(request))
    return this.server.base
  }

  private answer({ path, query, body }: ApiRequest): object | undefined | Promise<object> {
    this.calls.push(path)
    const errcode = this.failNext.shift()
    if (errcode !== undefined) return { errcode, errmsg: 'injected' }
    if (path === '/sns/jscode2session') {
      if (query.get('appid') !== this.appId || query.get('secret') !== this.secret) return { errcode: 40013, errmsg: 'invalid appid' }
      const result = this.wechat.code2Session(query.get('js_code') || '')
      if ('session_key' in result) this.lastExchangedKey = result.session_key
      return result
    }
    if (path === '/cgi-bin/token' || path === '/cgi-bin/stable_token') return { access_token: 'token-1', expires_in: 7200 }
    if (path === '/wxa/business/getuserphonenumber') return new Promise((resolve) => setTimeout(() => resolve(this.redeemPhoneCode(body.code, body.openid)), this.phoneDelayMs))
    return undefined
  }

  private redeemPhoneCode(code: unknown, openid: unknown): object {
    this.openidsNamed.push(typeof openid === 'string' ? openid : undefined)
    if (typeof code !== 'string' || code.length === 0 || this.redeemedPhoneCodes.includes(code)) return { errcode: 40029, errmsg: 'invalid code' }
    const owner = this.phoneCodeOwners.get(code)
    // The errcode for "not this user's code" is undocumented: modelled as 40029.
    if (openid !== undefined && owner !== undefined && openid !== owner) return { errcode: 40029, errmsg: 'invalid code: openid does not match' }
    this.redeemedPhoneCodes.push(code)
    return { errcode: 0, phone_info: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' } }
  }

  stop(): Promise<void> {
    return this.server ? this.server.stop() : Promise.resolve()
  }
}
