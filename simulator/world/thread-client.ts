import type { WxLike } from '../../miniprogram_npm_src/wire/wx-api'
import type { Network } from './network'
import type { Reply } from './thread-server'

export type ThreadResult = { ok: true; reply: Reply } | { ok: false; why: string }

/** The platform's login call, as a developer porting the thread would write it (Baidu: swan.getLoginCode). */
export type LoginCall = 'login' | 'getLoginCode'

const loginOf = (wx: WxLike, call: LoginCall) => (wx[call] || wx.login) as WxLike['login']

/**
 * The seed thread's client, as posted: checkSession on tap; valid → send with
 * code '' and flag '1'; invalid → wx.login and send the code with flag '0'.
 */
export function threadClientTap(wx: WxLike, network: Network, detail: { iv: string; encryptedData: string }, call: LoginCall = 'login'): Promise<ThreadResult> {
  return new Promise((resolve) => {
    const getPhone = (code: string, flag: string) =>
      network.send({ code, sessionKeyValidFlag: flag, iv: detail.iv, encryptedData: detail.encryptedData }).then(
        (reply) => resolve(reply.ok ? { ok: true, reply } : { ok: false, why: reply.reason }),
        () => resolve({ ok: false, why: 'NETWORK' }),
      )
    wx.checkSession({
      success: () => getPhone('', '1'),
      fail: () =>
        loginOf(wx, call)({
          success: (res) => (res.code ? getPhone(res.code, '0') : resolve({ ok: false, why: 'LOGIN_FAILED' })),
          fail: () => resolve({ ok: false, why: 'LOGIN_FAILED' }),
        }),
    })
  })
}

/** What the thread's pages do on show: wx.login and hand the code to the login endpoint. */
export function threadClientPageShow(wx: WxLike, network: Network, call: LoginCall = 'login'): Promise<boolean> {
  return new Promise((resolve) => {
    loginOf(wx, call)({
      success: (res) => network.sendLogin(res.code as string).then((r) => resolve(r.ok), () => resolve(false)),
      fail: () => resolve(false),
    })
  })
}
