import { ServerError } from '../common/errors'
import { form, sessionFrom, TEN_MINUTES_MS, type PlatformProfile } from './profile'

/** result 1 is success; 100200100 "bad parameter" is what a bad code gets (the app's own fields are always sent). */
const BAD_PARAMETER = 100200100

/**
 * Kuaishou: POST form { app_id, app_secret, js_code } to /oauth2/mp/code2session →
 * { result: 1, open_id, session_key }; WeChat's cipher. How long a code lives is not published:
 * claims are kept 10 minutes, longer than any platform's documented code.
 */
export const kuaishou: PlatformProfile = {
  name: 'kuaishou',
  baseUrl: 'https://open.kuaishou.com',
  codeLifetimeMs: TEN_MINUTES_MS,
  exchangeRequest: ({ appId, appSecret }, code) => ({ path: '/oauth2/mp/code2session', init: form({ app_id: appId, app_secret: appSecret, js_code: code }) }),
  readExchange(body) {
    const result = Number(body.result)
    if (result !== 1) throw new ServerError(result === BAD_PARAMETER ? 'CODE_INVALID' : 'WECHAT_ERROR', `Kuaishou result ${Number.isFinite(result) ? result : '-'}`, Number.isFinite(result) ? result : undefined)
    const session = sessionFrom(body.open_id, body.session_key, body.union_id)
    if (!session) throw new ServerError('WECHAT_ERROR', 'Kuaishou code2session answered without a session')
    return session
  },
  cipher: 'wechat',
  appProof: 'appid-if-present',
  phoneCodes: false,
}
