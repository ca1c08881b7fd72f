/**
 * The simulator's platform profiles hold to the platforms' published facts: Baidu's own sample vector
 * opens with the model's cipher, its codes live 10 minutes, and its login call is getLoginCode.
 */
import { openSealedData, sealOpenData } from '../../simulator/model/open-data-crypto'
import { ALL_PROFILES, BAIDU_APP_KEY, PROFILES } from '../../simulator/model/platforms'
import { WeChatModel } from '../../simulator/model/wechat'
import { VirtualClock } from '../../simulator/model/virtual-clock'
import type { WxLike } from '../../miniprogram_npm_src'
import { BAIDU_SAMPLE, BAIDU_SAMPLE_DATA } from '../support/baidu-sample'

const SAMPLE = { ...BAIDU_SAMPLE, data: BAIDU_SAMPLE.encryptedData }

describe("Baidu's cipher in the model", () => {
  it("opens Baidu's own sample: AES-192-CBC, 32-byte pad, length, app_key", () => {
    expect(openSealedData(SAMPLE.sessionKey, SAMPLE.iv, SAMPLE.data, 'baidu', SAMPLE.appKey)).toEqual(BAIDU_SAMPLE_DATA)
  })

  it('refuses the sample under another app_key, and under WeChat’s cipher', () => {
    expect(openSealedData(SAMPLE.sessionKey, SAMPLE.iv, SAMPLE.data, 'baidu', 'another-app-key-of-32-characters')).toBeUndefined()
    expect(openSealedData(SAMPLE.sessionKey, SAMPLE.iv, SAMPLE.data, 'wechat')).toBeUndefined()
  })

  it('seals what it opens, padded to whole 32-byte blocks', () => {
    const key = Buffer.alloc(24, 7).toString('base64')
    const iv = Buffer.alloc(16, 3).toString('base64')
    for (const size of [0, 11, 12, 43, 44, 100]) {
      const data = { text: 'x'.repeat(size) }
      const sealed = sealOpenData(key, iv, data, 'baidu', BAIDU_APP_KEY)
      expect(Buffer.from(sealed, 'base64').length % 32).toBe(0)
      expect(openSealedData(key, iv, sealed, 'baidu', BAIDU_APP_KEY)).toEqual(data)
    }
  })
})

describe('each profile in the model', () => {
  const modelOn = (name: keyof typeof PROFILES, clock = new VirtualClock()) =>
    new WeChatModel({ rotation: 'always', expiredConsent: 'expired-key' }, clock, (_label, fn) => clock.setTimeout(fn, 0), true, PROFILES[name])

  const codeFrom = (wx: WxLike, call: 'login' | 'getLoginCode', clock: VirtualClock): string | undefined => {
    let code: string | undefined
    ;(wx[call] as WxLike['login'])({ success: (res) => (code = res.code) })
    clock.runNext()
    return code
  }

  it.each(ALL_PROFILES.map((p) => [p.name, p.codeTtlMs / 60000] as const))('%s: a code is exchangeable for %p minutes, not after', (name, minutes) => {
    const clock = new VirtualClock()
    const model = modelOn(name, clock)
    const call = PROFILES[name].loginCall
    const fresh = codeFrom(model.wx, call, clock) as string
    const stale = codeFrom(model.wx, call, clock) as string
    clock.suspend(minutes * 60000)
    expect(model.code2Session(fresh)).toHaveProperty('session_key')
    clock.suspend(1)
    expect(model.code2Session(stale)).toHaveProperty('errcode')
  })

  it("Baidu's session keys are 24 bytes and open the data its consent seals", () => {
    const model = modelOn('baidu')
    expect(Buffer.from(model.key, 'base64')).toHaveLength(24)
    const { detail, key } = model.consent('a')
    expect(openSealedData(key, detail.iv, detail.encryptedData, 'baidu', BAIDU_APP_KEY)).toMatchObject({ tag: 'a', phoneNumber: '13800138000' })
  })

  it('Baidu gives a code only through getLoginCode: the deprecated swan.login fails', () => {
    const clock = new VirtualClock()
    const model = modelOn('baidu', clock)
    const failed: unknown[] = []
    model.wx.login({ fail: (err) => failed.push(err) })
    clock.runNext()
    expect(failed).toHaveLength(1)
    expect(codeFrom(model.wx, 'getLoginCode', clock)).toMatch(/^code-/)
  })
})
