import { ServerError } from '../common/errors'
import { form, sessionFrom, TEN_MINUTES_MS, type PlatformProfile } from './profile'

/**
 * Baidu: POST form { code, client_id: App Key, sk: App Secret } to /oauth/jscode2sessionkey →
 * { openid, session_key }, or { errno, error, error_description } (OAuth's `invalid_grant` for a bad
 * or expired code). Codes live 10 minutes. Open data: AES-192-CBC with the app_key at its end.
 * The companion's `appId` is the App Key here.
 */
export const baidu: PlatformProfile = {
  name: 'baidu',
  baseUrl: 'https://spapi.baidu.com',
  codeLifetimeMs: TEN_MINUTES_MS,
  exchangeRequest: ({ appId, appSecret }, code) => ({ path: '/oauth/jscode2sessionkey', init: form({ code, client_id: appId, sk: appSecret }) }),
  readExchange(body) {
    const errno = Number(body.errno)
    if (body.error !== undefined || (body.errno !== undefined && errno !== 0)) {
      const code = body.error === 'invalid_grant' ? 'CODE_INVALID' : 'WECHAT_ERROR'
      // Only the error's kind: its error_description quotes the code ("Invalid authorization code: …").
      const kind = typeof body.error === 'string' && /^[a-z_ ]{1,40}$/.test(body.error) ? body.error : 'error'
      throw new ServerError(code, `Baidu errno ${Number.isFinite(errno) ? errno : '-'}: ${kind}`, Number.isFinite(errno) ? errno : undefined)
    }
    const session = sessionFrom(body.openid, body.session_key, undefined)
    if (!session) throw new ServerError('WECHAT_ERROR', 'Baidu jscode2sessionkey answered without a session')
    return session
  },
  cipher: 'baidu',
  appProof: 'app-key',
  phoneCodes: false,
}
