import { newSessionKey } from '../wechat/seal'
import { failureKind, jscode2session, type KitPlatform, type WeChatExchange } from './kit-platform'
import { sealAsWeChat } from './sealing'

/** Kuaishou's result codes: 1 success, 100200100 bad parameter (a bad code among them), 100200101 bad credentials; busy is undocumented. */
const RESULT = { 'bad-code': 100200100, busy: 100200500, credentials: 100200101, other: 100200100 } as const

function kuaishouReply(reply: WeChatExchange): object {
  if ('errcode' in reply) return { result: RESULT[failureKind(reply.errcode)], error_msg: reply.errmsg }
  return { result: 1, open_id: reply.openid, session_key: reply.session_key }
}

/** Kuaishou: POST { app_id, app_secret, js_code } (a form; JSON accepted too, the docs do not say) → { result, open_id, session_key }. */
export const kuaishou: KitPlatform = {
  name: 'kuaishou',
  title: 'Kuaishou',
  exchange: 'POST /oauth2/mp/code2session { app_id, app_secret, js_code } → { result: 1, open_id, session_key } | { result: 100200100 }',
  defaultAppId: 'ks0123456789012345678',
  newSessionKey,
  seal: sealAsWeChat,
  phoneCodes: false,
  answer(request, wechat) {
    if (request.method !== 'POST' || request.path !== '/oauth2/mp/code2session') return undefined
    const field = (name: string): unknown => (request.form ? request.form.get(name) : request.json?.[name])
    if (!field('js_code')) return Promise.resolve({ status: 200, body: { result: RESULT['bad-code'], error_msg: 'js_code is required' } })
    return jscode2session(wechat, field('app_id'), field('app_secret'), field('js_code')).then((reply) => ({ status: 200, body: kuaishouReply(reply) }))
  },
}
