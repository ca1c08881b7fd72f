import type { IncomingMessage } from 'node:http'
import { withDeadline } from '../common/deadline'
import { configError, ServerError } from '../common/errors'
import type { HttpAdapterOptions } from './http-options'
import { timerMs } from '../common/options'
import type { Report } from '../common/report'
import type { Platform } from '../platforms/platform'
import { bearerToken, createSessionTokens } from '../tokens/session-token'

/**
 * Who is asking, and what a reply after a code exchange carries: the companion's own signed tokens
 * (`sessionSecret`) or the app's `identify` / `onLogin`, each bounded; a throw counts as "not identified".
 */
export function createHttpIdentity(options: HttpAdapterOptions, report: Report, handlerApp: { appId?: string; platform?: Platform }) {
  if (!options.identify && !options.sessionSecret) {
    throw configError('createHttpHandler needs identify (your own auth) or sessionSecret (tokens the companion issues): flag-1 requests could never be served')
  }
  if (options.identify && options.sessionSecret) throw configError('pass identify or sessionSecret, not both')
  const tokens = options.sessionSecret
    ? createSessionTokens({
        sessionSecret: options.sessionSecret,
        appId: options.appId ?? handlerApp.appId,
        platform: handlerApp.platform,
        sessionLifetimeSeconds: options.sessionLifetimeSeconds,
        isRevoked: options.isRevoked,
        hookTimeoutMs: options.hookTimeoutMs,
        legacyTokens: options.legacyTokens,
        onError: options.onError,
        now: options.now,
      })
    : undefined
  const hookTimeoutMs = timerMs('hookTimeoutMs', options.hookTimeoutMs, 3000)
  const timedOut = (name: string) => () => new ServerError('TIMEOUT', `${name} timed out`)

  async function identify(req: IncomingMessage): Promise<string | undefined> {
    if (tokens) return (await tokens.check(bearerToken(req.headers.authorization)))?.openid
    try {
      const openid = await withDeadline(() => options.identify?.(req), hookTimeoutMs, timedOut('identify'))
      return typeof openid === 'string' && openid.length > 0 ? openid : undefined
    } catch (error) {
      report(error, { stage: 'identify' })
      return undefined
    }
  }

  async function loginFields(openid: string): Promise<Record<string, unknown>> {
    const extra = options.onLogin ? await withDeadline(() => options.onLogin?.(openid), hookTimeoutMs, timedOut('onLogin')) : undefined
    return { ...(extra || {}), ...(tokens ? tokens.issue(openid) : {}) }
  }

  return { identify, loginFields, tokens }
}
