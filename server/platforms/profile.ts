import type { Platform, Session } from './platform'

/** The app's credentials as the platform names them in its own exchange. */
export interface Credentials {
  appId: string
  appSecret: string
}

/** One HTTP call to the platform's server API: the path (with its query) under the API's base URL. */
export interface ApiRequest {
  path: string
  init?: RequestInit
}

/**
 * How a platform's open data is sealed. `wechat`: AES-128-CBC, PKCS#7 to 16 bytes, key = base64(session_key),
 * JSON plaintext. `baidu`: AES-192-CBC, PKCS#7 to 32 bytes, 16 random bytes + length + data + app_key.
 */
export type Cipher = 'wechat' | 'baidu'

/**
 * What proves the data is this app's. `appid`: a JSON `watermark.appid` equal to the app's, always there
 * (WeChat documents it). `appid-if-present`: the same check whenever the platform sends a watermark; data
 * without one is accepted, since only the platform and this server hold the key that sealed it (whether
 * QQ, Douyin and Kuaishou always send one is not documented). `app-key`: Baidu's trailing app_key.
 */
export type AppProof = 'appid' | 'appid-if-present' | 'app-key'

/** Everything the companion knows of one platform: one file per platform holds it. */
export interface PlatformProfile {
  name: Platform
  /** The server API's base URL, where the exchange goes. */
  baseUrl: string
  /** How long a login code lives there, ms: claims are remembered at least that long. */
  codeLifetimeMs: number
  /** The exchange of one login code, as the platform wants it sent. */
  exchangeRequest(credentials: Credentials, code: string): ApiRequest
  /** The platform's answer read: the session, or a ServerError whose code says what became of the login code. */
  readExchange(body: Record<string, unknown>): Session
  cipher: Cipher
  appProof: AppProof
  /** Whether the companion redeems this platform's phone codes (WeChat's getuserphonenumber only). */
  phoneCodes: boolean
}

export const FIVE_MINUTES_MS = 5 * 60 * 1000
export const TEN_MINUTES_MS = 10 * 60 * 1000

export const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0

/** A session read from the fields the platform names, or undefined when the answer lacks one. */
export function sessionFrom(openid: unknown, sessionKey: unknown, unionid: unknown): Session | undefined {
  if (!isText(openid) || !isText(sessionKey)) return undefined
  const session: Session = { openid, sessionKey }
  if (isText(unionid)) session.unionid = unionid
  return session
}

export const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})

export const json = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(fields),
})
