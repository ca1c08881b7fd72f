import { ServerError } from '../common/errors'
import { FIVE_MINUTES_MS, sessionFrom, type Credentials, type PlatformProfile } from './profile'

/** WeChat's and QQ's jscode2session query (their errcodes are read by the transport). */
export function jscode2sessionPath(credentials: Credentials, code: string): string {
  const query = new URLSearchParams({ appid: credentials.appId, secret: credentials.appSecret, js_code: code, grant_type: 'authorization_code' })
  return `/sns/jscode2session?${query}`
}

export function readJscode2session(body: Record<string, unknown>): ReturnType<PlatformProfile['readExchange']> {
  const session = sessionFrom(body.openid, body.session_key, body.unionid)
  if (!session) throw new ServerError('WECHAT_ERROR', 'jscode2session answered without a session')
  return session
}

/** WeChat: GET /sns/jscode2session; errcodes 40029/40163 (code), 45011/-1 (not processed), 40226 (blocked). */
export const weixin: PlatformProfile = {
  name: 'weixin',
  baseUrl: 'https://api.weixin.qq.com',
  codeLifetimeMs: FIVE_MINUTES_MS,
  exchangeRequest: (credentials, code) => ({ path: jscode2sessionPath(credentials, code) }),
  readExchange: readJscode2session,
  cipher: 'wechat',
  appProof: 'appid',
  phoneCodes: true,
}
