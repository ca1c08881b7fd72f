/**
 * One phone running a framework's build output: the mini runtime (test/support/mini-runtime.ts) with
 * WeChat's login and checkSession from the model, wx.request over real HTTP to the companion standing in
 * for https://api.example.com, and storage. Records the flag of every open-data payload sent.
 */
import { realWorld } from '../component/harness'
import { httpRequest, startSessionCompanion, type Sent } from '../session/session-companion'
import { MiniRuntime } from '../support/mini-runtime'

const SYSTEM_INFO = { platform: 'ios', system: 'iOS 17.0', SDKVersion: '3.5.0', version: '8.0.50', language: 'zh_CN', pixelRatio: 3, windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, statusBarHeight: 20 }

export type Device = Awaited<ReturnType<typeof startDevice>>

export async function startDevice(dist: string, policies = { rotation: 'always', expiredConsent: 'expired-key' } as const) {
  const world = realWorld(false, policies)
  const companion = await startSessionCompanion(world)
  const sent: Sent[] = []
  const flags: string[] = []
  const http = httpRequest(sent, (url) => url.replace('https://api.example.com', companion.url))
  const storage = new Map<string, unknown>()
  const wx = {
    login: world.wx.login,
    checkSession: world.wx.checkSession,
    request: (options: Parameters<typeof http>[0]) => {
      if (options.url.endsWith('/open-data')) flags.push(String((options.data as { sessionKeyValidFlag?: string }).sessionKeyValidFlag))
      return http(options)
    },
    // What the frameworks read about the phone as they start (uni-app at load, for rpx and its own APIs).
    getSystemInfoSync: () => ({ ...SYSTEM_INFO }),
    getWindowInfo: () => ({ pixelRatio: 3, windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, statusBarHeight: 20 }),
    getDeviceInfo: () => ({ platform: 'ios', system: 'iOS 17.0', brand: 'iPhone', model: 'iPhone 15', pixelRatio: 3 }),
    getAppBaseInfo: () => ({ SDKVersion: '3.5.0', version: '8.0.50', language: 'zh_CN', theme: 'light' }),
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
  }
  const runtime = new MiniRuntime(dist, wx)
  return {
    world,
    companion,
    runtime,
    sent,
    flags,
    logins: () => world.wechat.calls.filter((c) => c.api === 'login').length,
    paths: () => sent.map((r) => `${r.path} ${r.status}`),
    close: () => {
      runtime.stop()
      return companion.close()
    },
  }
}

/** Polls until `condition` holds, at most `ms` (the taps run over real HTTP). */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Lets every timer and callback already due run (the companion answers in a few ms). */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms))
