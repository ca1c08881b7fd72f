import { ServerError } from '../common/errors'
import type { WeChatCall } from './wechat-transport'

/** 40001 invalid credential, 42001 access token expired. */
export const TOKEN_ERRCODES = [40001, 42001]

export const isTokenRefusal = (error: unknown) => error instanceof ServerError && TOKEN_ERRCODES.includes(error.errcode as number)

/** WeChat's token reply, checked: a missing token must not be cached as the string "undefined". */
function parseToken(body: Record<string, unknown>, now: number): { value: string; expiresAt: number } {
  const value = body.access_token
  const expiresIn = Number(body.expires_in)
  if (typeof value !== 'string' || value.length === 0 || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new ServerError('WECHAT_ERROR', 'cgi-bin/token answered without a usable access_token')
  }
  // Refresh 5 minutes early, or halfway through a lifetime shorter than 10 minutes.
  const lifetime = expiresIn > 600 ? expiresIn - 300 : expiresIn / 2
  return { value, expiresAt: now + lifetime * 1000 }
}

/**
 * The access token, fetched once for all concurrent callers and cached. `refused(token)` drops it
 * only if it is still the one WeChat refused: a newer one fetched meanwhile stays.
 */
export function createAccessTokenCache(call: WeChatCall, appId: string, appSecret: string, now: () => number) {
  let token: { value: string; expiresAt: number } | undefined
  let pending: Promise<string> | undefined
  const path = `/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`
  return {
    get(): Promise<string> {
      if (token && token.expiresAt > now()) return Promise.resolve(token.value)
      pending =
        pending ||
        call(path)
          .then((body) => (token = parseToken(body, now())).value)
          .finally(() => (pending = undefined))
      return pending
    },
    refused(value: string): void {
      if (token && token.value === value) token = undefined
    },
  }
}
