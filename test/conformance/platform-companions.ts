/**
 * The built companion configured for one platform, behind node:http and pointed at the kit's fake of
 * that platform's API; and mutants made from its real parts: the handler told another platform (its
 * cipher and app check), or the code exchange of another platform.
 */
import { createDecipheriv } from 'node:crypto'
import { DEFAULTS } from '../../conformance/cli/args'
import { KIT_PLATFORMS } from '../../conformance/platforms/all-platforms'
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import type { OpenDataHandler, Platform, WeChatApi } from '../../server'
import { listen } from '../server/http-listen'
import { companion, freePort, runKitAgainst, SESSION_SECRET, type KitReport } from './companion-under-test'

export interface PlatformMutant {
  /** The platform whose cipher and app check the handler uses (the mutant says another one). */
  cipherOf?: Platform
  /** The platform whose code exchange the API client sends. */
  exchangeOf?: Platform
  /** Baidu's data opened as most code first does: AES-192-CBC with the library's automatic (16-byte) padding. */
  autoPadding?: boolean
}

/** The decipher people write first for Baidu: right key size and mode, but PKCS#7 checked by the library for 16-byte blocks. */
function openWithAutoPadding(sessionKey: string, sealed: { iv: string; encryptedData: string }, appKey: string): Record<string, unknown> {
  const decipher = createDecipheriv('aes-192-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(sealed.iv, 'base64'))
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.encryptedData, 'base64')), decipher.final()])
  const length = plain.readUInt32BE(16)
  if (plain.subarray(20 + length).toString() !== appKey) throw new Error('app_key')
  return JSON.parse(plain.subarray(20, 20 + length).toString())
}

/** Flag '1' data opened by that decipher with the keys the real store holds; everything else as the companion does. */
function withAutoPadding(inner: OpenDataHandler, store: InstanceType<typeof companion.MemoryStore>, appKey: string): OpenDataHandler {
  return {
    appId: inner.appId,
    platform: inner.platform,
    login: (body) => inner.login(body),
    async openData(payload, openid, context) {
      const p = payload as { sessionKeyValidFlag?: string; iv?: string; encryptedData?: string }
      if (p.sessionKeyValidFlag !== '1' || !openid || !p.iv || !p.encryptedData) return inner.openData(payload, openid, context)
      const keys = await store.get(`baidu:${openid}`)
      if (!keys) return { reply: { ok: false, reason: 'SESSION_KEY_MISSING' }, openid }
      for (const key of [keys.current, keys.previous].filter((k): k is string => !!k)) {
        try {
          return { reply: { ok: true, data: openWithAutoPadding(key, { iv: p.iv, encryptedData: p.encryptedData }, appKey), source: 'decrypt' }, openid }
        } catch {
          // the next key, as the companion does
        }
      }
      return { reply: { ok: false, reason: 'DECRYPT_FAILED' }, openid }
    },
  }
}

/** An API client as users write their own: no `platform` field, so the handler cannot tell whose it is. */
const unlabelled = (api: WeChatApi): WeChatApi => ({ code2Session: (code) => api.code2Session(code), getPhoneNumberByCode: (phoneCode) => api.getPhoneNumberByCode(phoneCode) })

export async function startPlatformCompanion(platform: PlatformName, wechatPort: number, tokenLifetimeSeconds: number, mutant: PlatformMutant = {}) {
  const appId = KIT_PLATFORMS[platform].defaultAppId
  const baseUrl = `http://127.0.0.1:${wechatPort}`
  const api = companion.createWeChatApi({ platform: mutant.exchangeOf || platform, appId, appSecret: DEFAULTS.secret, baseUrl, timeoutMs: 1000 })
  const mutated = mutant.cipherOf !== undefined || mutant.exchangeOf !== undefined
  const store = new companion.MemoryStore()
  const real = companion.createOpenDataHandler({ platform: mutant.cipherOf || platform, appId, api: mutated ? unlabelled(api) : api, store })
  const handler = mutant.autoPadding ? withAutoPadding(real, store, appId) : real
  const http = companion.createHttpHandler(handler, { sessionSecret: SESSION_SECRET, sessionLifetimeSeconds: tokenLifetimeSeconds })
  return listen((req, res) => void http(req, res))
}

/** The kit run as `npx session-guard-conformance --platform <name>` against the (mutated) companion. */
export async function kitOnPlatform(platform: PlatformName, mutant: PlatformMutant = {}, tokenLifetimeSeconds = 5): Promise<KitReport> {
  const wechatPort = await freePort()
  const server = await startPlatformCompanion(platform, wechatPort, tokenLifetimeSeconds, mutant)
  try {
    return await runKitAgainst(server.base, wechatPort, tokenLifetimeSeconds, ['--platform', platform])
  } finally {
    await server.close()
  }
}
