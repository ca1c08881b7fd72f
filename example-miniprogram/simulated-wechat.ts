/**
 * DEVELOPMENT ONLY: a `wx` for the guard whose login/checkSession, and a phone-number consent, come from
 * the companion's simulated WeChat (/dev-wechat), so the example works in the devtools with the tourist
 * appid, where real codes cannot be exchanged. Counts the calls the guard makes, for the panel.
 */

export const TOURIST_APPID = 'touristappid'
const CALL_TIMEOUT_MS = 5000

export type SimulatedCalls = { login: number; checkSession: number }
export type Provocation = 'rotate-key' | 'expire' | 'lose-server-key'
export type SealedConsent = { errMsg: string; iv: string; encryptedData: string; code?: string }
type Reply = Record<string, unknown>
type Fail = (err: { errMsg: string }) => void

export interface SimulatedWeChat {
  wx: {
    login(options: { timeout?: number; success?: (res: { code: string; errMsg: string }) => void; fail?: Fail }): void
    checkSession(options: { success?: (res: { errMsg: string }) => void; fail?: Fail }): void
  }
  /** The user taps "允许": data sealed with the simulated user's current key. */
  consent(): Promise<SealedConsent>
  provoke(what: Provocation): Promise<void>
  readonly calls: SimulatedCalls
  /** Called after every counted call; returns the unsubscribe. */
  onCalls(listener: (calls: SimulatedCalls) => void): () => void
}

/** On with the tourist appid (or no appid at all), off with a real one, unless forced. */
export function simulatedWeChatOn(setting: boolean | 'auto', appId: string | undefined): boolean {
  if (setting !== 'auto') return setting
  return appId === TOURIST_APPID || appId === ''
}

/** The running mini program's appid, or undefined where the API is missing. */
export function currentAppId(): string | undefined {
  try {
    return typeof wx.getAccountInfoSync === 'function' ? wx.getAccountInfoSync().miniProgram.appId : undefined
  } catch {
    return undefined
  }
}

export function createSimulatedWeChat(server: string): SimulatedWeChat {
  const calls: SimulatedCalls = { login: 0, checkSession: 0 }
  const listeners: ((calls: SimulatedCalls) => void)[] = []
  const count = (api: keyof SimulatedCalls) => {
    calls[api]++
    listeners.slice().forEach((listener) => listener({ ...calls }))
  }
  const post = (action: string, timeout = CALL_TIMEOUT_MS) =>
    new Promise<Reply>((resolve, reject) => {
      wx.request({
        url: `${server}/dev-wechat/${action}`,
        method: 'POST',
        data: {},
        header: { 'content-type': 'application/json' },
        timeout,
        success: (res) => (res.statusCode === 200 ? resolve(res.data as Reply) : reject(new Error(`simulated WeChat answered ${res.statusCode}`))),
        fail: (err) => reject(new Error(err.errMsg)),
      })
    })
  const unreachable = (api: string) => (error: Error) => ({ errMsg: `${api}:fail simulated WeChat unreachable (${error.message})` })

  return {
    wx: {
      login(options) {
        count('login')
        post('login', options.timeout).then(
          (reply) => (typeof reply.code === 'string' ? options.success?.({ code: reply.code, errMsg: 'login:ok' }) : options.fail?.({ errMsg: String(reply.errMsg) })),
          (error: Error) => options.fail?.(unreachable('login')(error)),
        )
      },
      checkSession(options) {
        count('checkSession')
        post('check-session').then(
          (reply) => (reply.errMsg === 'checkSession:ok' ? options.success?.({ errMsg: 'checkSession:ok' }) : options.fail?.({ errMsg: String(reply.errMsg) })),
          (error: Error) => options.fail?.(unreachable('checkSession')(error)),
        )
      },
    },
    consent: () => post('consent') as Promise<SealedConsent>,
    provoke: async (what) => void (await post(what)),
    calls,
    onCalls(listener) {
      listeners.push(listener)
      return () => {
        const index = listeners.indexOf(listener)
        if (index >= 0) listeners.splice(index, 1)
      }
    },
  }
}
