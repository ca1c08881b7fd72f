import { newSessionKey } from '../wechat/seal'
import { failureKind, jscode2session, type KitPlatform, type WeChatExchange } from './kit-platform'
import { sealAsWeChat } from './sealing'

const ERR_NO = { 'bad-code': [40018, 'bad code'], busy: [-1, 'system error'], credentials: [40015, 'bad appid'], other: [40014, 'bad params'] } as const

function douyinReply(reply: WeChatExchange): object {
  if ('errcode' in reply) {
    const [errNo, tips] = reply.errcode === 40125 ? [40017, 'bad secret'] : ERR_NO[failureKind(reply.errcode)]
    return { err_no: errNo, err_tips: tips, log_id: 'kit' }
  }
  return { err_no: 0, err_tips: 'success', log_id: 'kit', data: { session_key: reply.session_key, openid: reply.openid, anonymous_openid: '', unionid: '' } }
}

/** Douyin: POST JSON { appid, secret, code, anonymous_code? } → { err_no, err_tips, log_id, data }; 40018 for a bad or used code. */
export const toutiao: KitPlatform = {
  name: 'toutiao',
  title: 'Douyin',
  exchange: 'POST /api/apps/v2/jscode2session JSON { appid, secret, code } → { err_no: 0, data: { openid, session_key } } | { err_no: 40018 }',
  defaultAppId: 'tt0123456789abcdef',
  newSessionKey,
  seal: sealAsWeChat,
  phoneCodes: false,
  answer(request, wechat) {
    if (request.method !== 'POST' || request.path !== '/api/apps/v2/jscode2session') return undefined
    const body = request.json
    if (!body || typeof body.code !== 'string') return Promise.resolve({ status: 200, body: { err_no: 40014, err_tips: 'bad params', log_id: 'kit' } })
    return jscode2session(wechat, body.appid, body.secret, body.code).then((reply) => ({ status: 200, body: douyinReply(reply) }))
  },
}
