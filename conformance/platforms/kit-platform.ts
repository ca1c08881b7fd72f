import type { FakeWeChat } from '../wechat/fake-wechat'
import type { Sealed } from '../wechat/seal'

/** uni-app's provider names, as `--platform` takes them. */
export type PlatformName = 'weixin' | 'qq' | 'toutiao' | 'baidu' | 'kuaishou'

/** A request to a platform's server API, its body read as the platform sends it (JSON or a form). */
export interface PlatformRequest {
  method: string
  path: string
  query: URLSearchParams
  contentType: string
  /** A JSON object body, else undefined. */
  json?: Record<string, unknown>
  /** A form body, else undefined. */
  form?: URLSearchParams
}

export interface PlatformReply {
  status: number
  body: object
}

/** Data the kit seals: `watermark.appid` names the app it is sealed for (Baidu puts it at the end as the app_key). */
export interface KitData {
  watermark?: { appid: string; timestamp: number }
}

/**
 * One platform as the kit fakes it: its server API's exchange (endpoint, method, body, reply shape and
 * error codes), its session keys and its sealing. Every fake is driven by the same FakeWeChat model:
 * the platform translates its request into WeChat's and WeChat's answer into its own.
 */
export interface KitPlatform {
  name: PlatformName
  /** What people call it, for the report. */
  title: string
  /** The exchange as the report describes it. */
  exchange: string
  defaultAppId: string
  newSessionKey(): string
  seal(sessionKey: string, data: object, iv?: Buffer): Sealed
  /** Whether the kit redeems phone codes here (WeChat only). */
  phoneCodes: boolean
  /**
   * The answer to one request, or undefined for a 404 (not the platform's endpoint or method). Absent
   * for WeChat, whose API the FakeWeChat serves itself.
   */
  answer?(request: PlatformRequest, wechat: FakeWeChat): Promise<PlatformReply> | undefined
}

/** WeChat's answer to a jscode2session the platform's request was translated into. */
export type WeChatExchange = { openid: string; session_key: string } | { errcode: number; errmsg: string }

export function asExchange(reply: object | undefined): WeChatExchange {
  return (reply || { errcode: -1, errmsg: 'no answer' }) as WeChatExchange
}

/** The fake WeChat's jscode2session, asked in WeChat's own terms. */
export async function jscode2session(wechat: FakeWeChat, appid: unknown, secret: unknown, code: unknown): Promise<WeChatExchange> {
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const query = new URLSearchParams({ appid: text(appid), secret: text(secret), js_code: text(code), grant_type: 'authorization_code' })
  return asExchange(await wechat.answer({ method: 'GET', path: '/sns/jscode2session', query, body: {} }))
}

/** WeChat's errcodes in the kit's scripts, as a platform's own failure kinds. */
export function failureKind(errcode: number): 'bad-code' | 'busy' | 'credentials' | 'other' {
  if (errcode === 40029 || errcode === 40163) return 'bad-code'
  if (errcode === -1 || errcode === 45011) return 'busy'
  if (errcode === 40013 || errcode === 40125) return 'credentials'
  return 'other'
}
