/**
 * The built companion configured for one platform, behind node:http and pointed at the kit's fake of
 * that platform's API; and mutants made from its real parts: the handler told another platform (its
 * cipher and app check), or the code exchange of another platform.
 */
import { DEFAULTS } from '../../conformance/cli/args'
import { KIT_PLATFORMS } from '../../conformance/platforms/all-platforms'
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import type { Platform, WeChatApi } from '../../server'
import { listen } from '../server/http-listen'
import { companion, freePort, runKitAgainst, SESSION_SECRET, type KitReport } from './companion-under-test'

export interface PlatformMutant {
  /** The platform whose cipher and app check the handler uses (the mutant says another one). */
  cipherOf?: Platform
  /** The platform whose code exchange the API client sends. */
  exchangeOf?: Platform
}

/** An API client as users write their own: no `platform` field, so the handler cannot tell whose it is. */
const unlabelled = (api: WeChatApi): WeChatApi => ({ code2Session: (code) => api.code2Session(code), getPhoneNumberByCode: (phoneCode) => api.getPhoneNumberByCode(phoneCode) })

export async function startPlatformCompanion(platform: PlatformName, wechatPort: number, tokenLifetimeSeconds: number, mutant: PlatformMutant = {}) {
  const appId = KIT_PLATFORMS[platform].defaultAppId
  const baseUrl = `http://127.0.0.1:${wechatPort}`
  const api = companion.createWeChatApi({ platform: mutant.exchangeOf || platform, appId, appSecret: DEFAULTS.secret, baseUrl, timeoutMs: 1000 })
  const mutated = mutant.cipherOf !== undefined || mutant.exchangeOf !== undefined
  const handler = companion.createOpenDataHandler({ platform: mutant.cipherOf || platform, appId, api: mutated ? unlabelled(api) : api })
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
