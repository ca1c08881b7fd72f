import { newSessionKey } from '../wechat/seal'
import { jscode2session, type KitPlatform } from './kit-platform'
import { sealAsWeChat } from './sealing'

/** QQ: WeChat's jscode2session, path, query and errcodes alike, on api.q.qq.com; no phone codes, no access token. */
export const qq: KitPlatform = {
  name: 'qq',
  title: 'QQ',
  exchange: 'GET /sns/jscode2session?appid&secret&js_code&grant_type → { openid, session_key } | { errcode }',
  defaultAppId: '1112345678',
  newSessionKey,
  seal: sealAsWeChat,
  phoneCodes: false,
  answer(request, wechat) {
    if (request.method !== 'GET' || request.path !== '/sns/jscode2session') return undefined
    const q = request.query
    if (q.get('grant_type') !== 'authorization_code') return Promise.resolve({ status: 200, body: { errcode: 40002, errmsg: 'invalid grant_type' } })
    return jscode2session(wechat, q.get('appid'), q.get('secret'), q.get('js_code')).then((body) => ({ status: 200, body }))
  },
}
