import { newSessionKey } from '../wechat/seal'
import type { KitPlatform } from './kit-platform'
import { sealAsWeChat } from './sealing'

/** WeChat: the FakeWeChat serves its whole API itself (jscode2session, tokens, phone codes, checksession). */
export const weixin: KitPlatform = {
  name: 'weixin',
  title: 'WeChat',
  exchange: 'GET /sns/jscode2session?appid&secret&js_code&grant_type → { openid, session_key } | { errcode }',
  defaultAppId: 'wx0123456789abcdef',
  newSessionKey,
  seal: sealAsWeChat,
  phoneCodes: true,
}
