import type { DefaultReply } from '../miniprogram_npm_src/protocol'
import { decryptOpenData } from './decrypt'
import { ServerError, isServerError } from './errors'
import { MemoryStore, type SessionKeyStore, type StoredKeys } from './store'
import { createWeChatApi, type WeChatApi } from './wechat-api'

export interface OpenDataHandlerOptions {
  appId: string
  appSecret?: string
  store?: SessionKeyStore
  /** Defaults to WeChat's real API with appId/appSecret. */
  api?: WeChatApi
  /** How long the replaced key still decrypts data sealed just before a rotation (ms, default 5 min). */
  previousKeyGraceMs?: number
  /** Reject open data whose watermark is older than this. */
  maxAgeSeconds?: number
  now?: () => number
}

export type Reply = DefaultReply<{ data?: Record<string, unknown> }>

/** What a handler returns: the reply for the client, and the user it turned out to be (never the key). */
export interface HandlerResult {
  reply: Reply
  openid?: string
  /** A login code was exchanged for this request: the place to issue your own session token. */
  exchanged?: boolean
}

export interface OpenDataHandler {
  /** The guard's payload; `openid` is who your own auth says is asking (needed for flag '1'). */
  openData(payload: unknown, openid?: string): Promise<HandlerResult>
  /** The guard's prepare(): exchange a fresh login code and keep its key. */
  login(body: unknown): Promise<HandlerResult>
}

/** A login code lives 5 minutes at WeChat; remembering it that long is enough to refuse a second exchange. */
const CODE_TTL_MS = 5 * 60 * 1000

const fail = (reason: string): HandlerResult => ({ reply: { ok: false, reason } })

function exchangeFailure(error: unknown): HandlerResult {
  if (isServerError(error, 'CODE_INVALID') || isServerError(error, 'CODE_USED') || isServerError(error, 'BAD_INPUT')) return fail('CODE_REJECTED')
  if (isServerError(error, 'USER_BLOCKED')) return fail('USER_BLOCKED')
  return fail('WECHAT_UNAVAILABLE')
}

function isString(value: unknown, max = 64 * 1024): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max
}

/**
 * The server half of the seed thread's protocol. Flag '0': exchange the code
 * once, store the key, decrypt. Flag '1': decrypt with the stored key. Either
 * way the previous key is tried within its grace period, so data sealed just
 * before a rotation still opens.
 */
export function createOpenDataHandler(options: OpenDataHandlerOptions): OpenDataHandler {
  if (!isString(options.appId, 64)) throw new ServerError('BAD_INPUT', 'appId is required')
  const store = options.store || new MemoryStore()
  const api =
    options.api ||
    (options.appSecret ? createWeChatApi({ appId: options.appId, appSecret: options.appSecret }) : undefined)
  if (!api) throw new ServerError('BAD_INPUT', 'pass appSecret or api')
  const graceMs = options.previousKeyGraceMs ?? 5 * 60 * 1000
  const now = options.now || Date.now

  async function exchange(code: string): Promise<{ openid: string } | HandlerResult> {
    if (!(await store.claimCode(code, CODE_TTL_MS, now()))) return fail('CODE_REJECTED')
    try {
      const session = await (api as WeChatApi).code2Session(code)
      await store.set(session.openid, session.sessionKey, now())
      return { openid: session.openid }
    } catch (error) {
      return exchangeFailure(error)
    }
  }

  function decryptWith(keys: StoredKeys, payload: { iv: string; encryptedData: string }): Reply {
    const candidates = [keys.current]
    if (keys.previous && now() - keys.rotatedAt <= graceMs) candidates.push(keys.previous)
    let lastError: unknown
    for (const sessionKey of candidates) {
      try {
        const { watermark: _watermark, ...data } = decryptOpenData({ sessionKey, ...payload, appId: options.appId, maxAgeSeconds: options.maxAgeSeconds, now: now() })
        return { ok: true, data }
      } catch (error) {
        lastError = error
        if (!isServerError(error, 'DECRYPT_FAILED')) break
      }
    }
    if (isServerError(lastError, 'BAD_INPUT')) return { ok: false, reason: 'BAD_REQUEST' }
    if (isServerError(lastError, 'WATERMARK_MISMATCH')) return { ok: false, reason: 'WATERMARK_MISMATCH' }
    if (isServerError(lastError, 'EXPIRED')) return { ok: false, reason: 'EXPIRED' }
    return { ok: false, reason: 'DECRYPT_FAILED' }
  }

  return {
    async openData(payload, openid) {
      if (!payload || typeof payload !== 'object') return fail('BAD_REQUEST')
      const p = payload as Record<string, unknown>
      if (!isString(p.iv, 64) || !isString(p.encryptedData)) return fail('BAD_REQUEST')
      const sealed = { iv: p.iv, encryptedData: p.encryptedData }
      if (p.sessionKeyValidFlag === '0') {
        if (!isString(p.code, 256)) return fail('BAD_REQUEST')
        const exchanged = await exchange(p.code)
        if ('reply' in exchanged) return exchanged
        const keys = await store.get(exchanged.openid)
        const reply: Reply = keys ? decryptWith(keys, sealed) : { ok: false, reason: 'SESSION_KEY_MISSING' }
        return { reply, openid: exchanged.openid, exchanged: true }
      }
      if (p.sessionKeyValidFlag !== '1') return fail('BAD_REQUEST')
      if (!isString(openid, 128)) return fail('SESSION_KEY_MISSING')
      const keys = await store.get(openid)
      if (!keys) return { reply: { ok: false, reason: 'SESSION_KEY_MISSING' }, openid }
      return { reply: decryptWith(keys, sealed), openid }
    },
    async login(body) {
      const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined
      if (!isString(code, 256)) return fail('BAD_REQUEST')
      const exchanged = await exchange(code)
      if ('reply' in exchanged) return exchanged
      return { reply: { ok: true }, openid: exchanged.openid, exchanged: true }
    },
  }
}
