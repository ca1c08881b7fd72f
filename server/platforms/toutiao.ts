import { ServerError, type ServerErrorCode } from '../common/errors'
import { FIVE_MINUTES_MS, json, sessionFrom, type PlatformProfile } from './profile'

/**
 * err_no of /api/apps/v2/jscode2session: 40018 bad code, 40019 bad anonymous code, 40020 neither given.
 * Its −1 is a "system error" nobody documents as unprocessed: the claim is kept (WECHAT_ERROR), unlike WeChat's −1.
 */
const ERR_NO: Record<number, ServerErrorCode> = { 40018: 'CODE_INVALID', 40019: 'CODE_INVALID', 40020: 'CODE_INVALID' }

/**
 * Douyin: POST JSON { appid, secret, code } (no anonymous code: the guard sends logged-in codes) →
 * { err_no, err_tips, data: { session_key, openid, unionid } }; WeChat's cipher. Its newer phone flow
 * seals the number with the app's own RSA key, outside the session_key race: the companion redeems
 * no Douyin phone codes (docs/protocol.md, "What differs per platform").
 */
export const toutiao: PlatformProfile = {
  name: 'toutiao',
  baseUrl: 'https://developer.toutiao.com',
  codeLifetimeMs: FIVE_MINUTES_MS,
  exchangeRequest: ({ appId, appSecret }, code) => ({ path: '/api/apps/v2/jscode2session', init: json({ appid: appId, secret: appSecret, code }) }),
  readExchange(body) {
    const errNo = Number(body.err_no)
    // err_tips is left out of the message: a platform's free text may quote the code.
    if (body.err_no !== undefined && errNo !== 0) throw new ServerError(ERR_NO[errNo] || 'WECHAT_ERROR', `Douyin err_no ${errNo}`, errNo)
    const data = (body.data && typeof body.data === 'object' ? body.data : {}) as Record<string, unknown>
    const session = sessionFrom(data.openid, data.session_key, data.unionid)
    if (!session) throw new ServerError('WECHAT_ERROR', 'Douyin jscode2session answered without a session')
    return session
  },
  cipher: 'wechat',
  appProof: 'appid-if-present',
  phoneCodes: false,
}
