import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WeChatModel } from './wechat'

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
  /** Answer a phone code this many ms late (the companion's bound on WeChat calls is what is tested). */
  phoneDelayMs = 0
  private server?: Server

  constructor(
    /** The model, or anything else that answers jscode2session (the load bench's many users). */
    private readonly wechat: Pick<WeChatModel, 'code2Session'>,
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url || '/', 'http://localhost')
      this.calls.push(url.pathname)
      const reply = (body: object) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      const errcode = this.failNext.shift()
      if (errcode !== undefined) return reply({ errcode, errmsg: 'injected' })
      if (url.pathname === '/sns/jscode2session') {
        if (url.searchParams.get('appid') !== this.appId || url.searchParams.get('secret') !== this.secret) return reply({ errcode: 40013, errmsg: 'invalid appid' })
        const result = this.wechat.code2Session(url.searchParams.get('js_code') || '')
        if ('session_key' in result) this.lastExchangedKey = result.session_key
        return reply(result)
      }
      if (url.pathname === '/cgi-bin/token') return reply({ access_token: 'token-1', expires_in: 7200 })
      if (url.pathname === '/wxa/business/getuserphonenumber') {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => setTimeout(() => reply(this.redeemPhoneCode(Buffer.concat(chunks).toString('utf8'))), this.phoneDelayMs))
        return
      }
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private redeemPhoneCode(body: string): object {
    let code: unknown
    try {
      code = (JSON.parse(body) as { code?: unknown }).code
    } catch {
      code = undefined
    }
    if (typeof code !== 'string' || code.length === 0 || this.redeemedPhoneCodes.includes(code)) return { errcode: 40029, errmsg: 'invalid code' }
    this.redeemedPhoneCodes.push(code)
    return { errcode: 0, phone_info: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' } }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
