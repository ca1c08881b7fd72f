import { createOpenDataHandler, createWeChatApi, MemoryStore, type OpenDataHandlerOptions, type SessionKeyStore } from '../../server'
import { VirtualClock } from '../../simulator/model/virtual-clock'
import { APP_ID, WeChatModel } from '../../simulator/model/wechat'
import { FakeWeChatApi } from '../../simulator/http/fake-wechat-api'

export const SECRET = 'app-secret'
export const OPENID = 'openid-of-the-user'

/** The handler against the fake WeChat API answering from the model, on a virtual clock. */
export async function handlerWorld(options: Partial<OpenDataHandlerOptions> & { store?: SessionKeyStore; timeoutMs?: number } = {}) {
  const clock = new VirtualClock()
  const wechat = new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, clock, (_l, fn) => fn(), false)
  const fake = new FakeWeChatApi(wechat, APP_ID, SECRET)
  const baseUrl = await fake.start()
  const store = options.store || new MemoryStore()
  const api = createWeChatApi({ appId: APP_ID, appSecret: SECRET, baseUrl, timeoutMs: options.timeoutMs ?? 2000 })
  const { timeoutMs: _t, ...handlerOptions } = options
  const handler = createOpenDataHandler({ appId: APP_ID, api, now: () => clock.now(), ...handlerOptions, store })
  const code = () => new Promise<string>((resolve) => wechat.wx.login({ success: (r) => resolve(r.code as string) }))
  const exchanges = () => fake.calls.filter((c) => c === '/sns/jscode2session').length
  return { clock, wechat, fake, baseUrl, store, api, handler, code, exchanges }
}

export type HandlerWorld = Awaited<ReturnType<typeof handlerWorld>>
