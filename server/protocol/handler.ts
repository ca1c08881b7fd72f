import { BoundedStore } from '../stores/bounded-store'
import { createCodeExchange } from './code-exchange'
import { configError } from '../common/errors'
import { nonNegativeInteger, positiveFinite, timerMs } from '../common/options'
import { parsePayload, isString } from './payload'
import { createPhoneCodeRedeemer } from './phone-code'
import { reporter, type ErrorHook } from '../common/report'
import { createDataOpener } from './ways-to-data'
import { MemoryStore, type SessionKeyStore, type StoredKeys } from '../stores/store'
import { createWeChatApi, type WeChatApi } from '../wechat/wechat-api'
import { checkedPlatform, storeNamespaceOf, type Platform } from '../platforms/platform'
import { profileOf } from '../platforms/profiles'
import type { HandlerResult, OpenDataHandler } from './handler-types'

export interface OpenDataHandlerOptions {
  /**
   * The mini program platform served: 'weixin' (default), 'qq', 'toutiao', 'baidu' or 'kuaishou'. It
   * picks the code exchange, the cipher and its app check, how long code claims are kept, the store
   * namespace and what session tokens are bound to. One handler serves one platform.
   */
  platform?: Platform
  /** The appid (Baidu: the App Key, which its open data ends with). */
  appId: string
  appSecret?: string
  store?: SessionKeyStore
  /** Defaults to the platform's real API with appId/appSecret. */
  api?: WeChatApi
  /** How long the replaced key still decrypts data sealed just before a rotation (ms, default 5 min). */
  previousKeyGraceMs?: number
  /** Reject open data whose watermark is older than this, or dated more than `maxFutureSeconds` ahead. */
  maxAgeSeconds?: number
  maxFutureSeconds?: number
  /** Bound on every store call, ms (default 3000): past it the reply is STORE_UNAVAILABLE. */
  storeTimeoutMs?: number
  /** Told about every failure that is not the client's fault (WeChat down, store down), secrets redacted. */
  onError?: ErrorHook
  now?: () => number
}

export type { Reply, HandlerResult, OpenDataContext, OpenDataHandler } from './handler-types'

const fail = (reason: string, openid?: string): HandlerResult => (openid ? { reply: { ok: false, reason }, openid } : { reply: { ok: false, reason } })

function checkedApi(options: OpenDataHandlerOptions, platform: Platform): WeChatApi {
  const api = options.api || (options.appSecret ? createWeChatApi({ platform, appId: options.appId, appSecret: options.appSecret }) : undefined)
  if (!api) throw configError('pass appSecret or api')
  // An API client of another platform would store its keys where this platform's data is opened.
  if (api.platform !== undefined && api.platform !== platform) throw configError(`api is ${api.platform}'s, the handler serves ${platform}`)
  return api
}

function configure(options: OpenDataHandlerOptions) {
  if (!options || !isString(options.appId, 64)) throw configError('appId is required')
  const platform = checkedPlatform(options.platform)
  const api = checkedApi(options, platform)
  if (options.onError !== undefined && typeof options.onError !== 'function') throw configError('onError must be a function')
  if (platform === 'baidu' && options.maxAgeSeconds !== undefined) throw configError("maxAgeSeconds: Baidu's open data carries no timestamp")
  return {
    api,
    platform,
    codeTtlMs: profileOf(platform).codeLifetimeMs,
    store: new BoundedStore(options.store || new MemoryStore(), timerMs('storeTimeoutMs', options.storeTimeoutMs, 3000), storeNamespaceOf(platform)),
    sealing: {
      platform,
      appId: options.appId,
      graceMs: nonNegativeInteger('previousKeyGraceMs', options.previousKeyGraceMs, 5 * 60 * 1000),
      maxAgeSeconds: positiveFinite('maxAgeSeconds', options.maxAgeSeconds),
      maxFutureSeconds: positiveFinite('maxFutureSeconds', options.maxFutureSeconds),
    },
    now: options.now || Date.now,
    report: reporter(options.onError),
  }
}

/**
 * The server half of the seed thread's protocol. Flag '0': exchange the code once and store the key;
 * flag '1': use the stored key. Then every way to the data the payload offers, in order: the sealed
 * data (current key, then the previous one within its grace), the phone code, the cloudID.
 */
export function createOpenDataHandler(options: OpenDataHandlerOptions): OpenDataHandler {
  const { api, platform, codeTtlMs, store, sealing, now, report } = configure(options)
  const exchange = createCodeExchange(store, api, now, report, codeTtlMs)
  const redeemer = api.phoneCodes === false ? undefined : createPhoneCodeRedeemer(store, api, now, report)
  const serve = createDataOpener(sealing, redeemer, now, report)

  async function keysAfter(exchanged: { openid: string; sessionKey: string; exchangedAt: number }): Promise<StoredKeys> {
    try {
      const keys = await store.get(exchanged.openid, now())
      // A concurrent exchange may have rotated past this one: its key is then `previous`, still tried.
      if (keys && (keys.current === exchanged.sessionKey || keys.previous === exchanged.sessionKey)) return keys
    } catch (error) {
      report(error, { stage: 'store.get', openid: exchanged.openid })
    }
    return { current: exchanged.sessionKey, rotatedAt: exchanged.exchangedAt }
  }

  return {
    appId: sealing.appId,
    platform,
    async openData(payload, openid, context = {}) {
      const p = parsePayload(payload)
      if (!p) return fail('BAD_INPUT')
      if (p.flag === '0') {
        const exchanged = await exchange(p.code as string)
        if ('reason' in exchanged) return fail(exchanged.reason, exchanged.openid)
        const keys = p.sealed ? await keysAfter(exchanged) : undefined
        return { reply: await serve(p, exchanged.openid, keys, context), openid: exchanged.openid, exchanged: true }
      }
      if (!isString(openid, 128)) return fail('SESSION_KEY_MISSING')
      let keys: StoredKeys | undefined
      if (p.sealed) {
        try {
          keys = await store.get(openid, now())
        } catch (error) {
          report(error, { stage: 'store.get', openid })
          return fail('STORE_UNAVAILABLE', openid)
        }
      }
      return { reply: await serve(p, openid, keys, context), openid }
    },
    async login(body) {
      const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : undefined
      if (!isString(code, 256)) return fail('BAD_INPUT')
      const exchanged = await exchange(code)
      if ('reason' in exchanged) return fail(exchanged.reason, exchanged.openid)
      return { reply: { ok: true }, openid: exchanged.openid, exchanged: true }
    },
  }
}
