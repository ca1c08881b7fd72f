import { FIVE_MINUTES_MS, type PlatformProfile } from './profile'
import { jscode2sessionPath, readJscode2session } from './weixin'

/**
 * QQ: WeChat's exchange on its own host (GET /sns/jscode2session, the same errcodes, 45011 past
 * 100 calls a minute per user) and WeChat's cipher. Its phone button is undocumented: no phone codes.
 */
export const qq: PlatformProfile = {
  name: 'qq',
  baseUrl: 'https://api.q.qq.com',
  codeLifetimeMs: FIVE_MINUTES_MS,
  exchangeRequest: (credentials, code) => ({ path: jscode2sessionPath(credentials, code) }),
  readExchange: readJscode2session,
  cipher: 'wechat',
  appProof: 'appid-if-present',
  phoneCodes: false,
}
