import { failureKind, jscode2session, type KitPlatform, type PlatformReply, type WeChatExchange } from './kit-platform'
import { newBaiduSessionKey, sealAsBaidu } from './sealing'

/** As Baidu's OAuth does, the description of a refused code quotes it. */
function baiduReply(reply: WeChatExchange, code: string): PlatformReply {
  if (!('errcode' in reply)) return { status: 200, body: { openid: reply.openid, session_key: reply.session_key } }
  switch (failureKind(reply.errcode)) {
    case 'bad-code':
      return { status: 400, body: { error: 'invalid_grant', error_description: `Invalid authorization code: ${code}` } }
    case 'credentials':
      return { status: 401, body: { error: 'invalid_client', error_description: 'unknown client id' } }
    case 'busy':
      return { status: 503, body: { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable' } }
    default:
      return { status: 400, body: { errno: 10010100, error: 'parameter is invalid', error_description: 'scripted' } }
  }
}

/**
 * Baidu: POST form { code, client_id, sk } → { openid, session_key } (24-byte keys), or OAuth's
 * { error: 'invalid_grant' } for a bad or used code; a JSON body is not a form, and lacks every parameter.
 */
export const baidu: KitPlatform = {
  name: 'baidu',
  title: 'Baidu',
  exchange: 'POST /oauth/jscode2sessionkey form { code, client_id, sk } → { openid, session_key } | { errno, error, error_description }',
  defaultAppId: 'SgConformanceAppKey0123456789abc',
  newSessionKey: newBaiduSessionKey,
  seal: sealAsBaidu,
  phoneCodes: false,
  answer(request, wechat) {
    if (request.method !== 'POST' || request.path !== '/oauth/jscode2sessionkey') return undefined
    const form = request.form
    if (!form || !form.get('code') || !form.get('client_id') || !form.get('sk')) {
      return Promise.resolve({ status: 400, body: { errno: 10010100, error: 'parameter is invalid', error_description: 'code, client_id and sk are required form fields' } })
    }
    const code = form.get('code') as string
    return jscode2session(wechat, form.get('client_id'), form.get('sk'), code).then((reply) => baiduReply(reply, code))
  },
}
