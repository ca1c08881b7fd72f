import fc from 'fast-check'
import { randomBytes } from 'node:crypto'
import { decryptOpenData, isServerError } from '../../server'
import { sealOpenData } from '../../simulator/model/open-data-crypto'

// WeChat's own sample from "开放数据校验与解密".
const OFFICIAL = {
  appId: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

describe('decryptOpenData', () => {
  it('opens WeChat’s official sample', () => {
    const data = decryptOpenData<{ openId: string; nickName: string }>(OFFICIAL)
    expect(data).toMatchObject({ openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE', nickName: 'Band', watermark: { appid: OFFICIAL.appId, timestamp: 1477314187 } })
  })

  it('opens whatever it was sealed with, for any key, iv and JSON', () =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.jsonValue(), (key, iv, value) => {
        const sessionKey = Buffer.from(key).toString('base64')
        const ivText = Buffer.from(iv).toString('base64')
        const sealed = sealOpenData(sessionKey, ivText, { value, watermark: { appid: 'wxapp', timestamp: 1 } })
        expect(decryptOpenData({ sessionKey, iv: ivText, encryptedData: sealed, appId: 'wxapp' })).toEqual(JSON.parse(JSON.stringify({ value, watermark: { appid: 'wxapp', timestamp: 1 } })))
      }),
      { numRuns: 300 },
    ))

  it("repairs base64 whose '+' became a space in transit", () => {
    expect(OFFICIAL.encryptedData).toContain('+')
    const mangled = { ...OFFICIAL, encryptedData: OFFICIAL.encryptedData.replace(/\+/g, ' ') }
    expect(decryptOpenData(mangled)).toMatchObject({ nickName: 'Band' })
  })

  it("repairs a '+' at either end of the base64, which became a space too", () => {
    // Seal until the ciphertext starts (or ends) with '+': 1 in 64 each. The 45-byte plaintext makes
    // 48 bytes of ciphertext, base64 without padding, so its last character can be '+' at all.
    const sealedWith = (edge: (b64: string) => boolean) => {
      for (let i = 0; i < 100_000; i++) {
        const sessionKey = randomBytes(16).toString('base64')
        const iv = randomBytes(16).toString('base64')
        const encryptedData = sealOpenData(sessionKey, iv, { watermark: { appid: 'wxapp', timestamp: 1 } })
        if (edge(encryptedData)) return { sessionKey, iv, encryptedData, appId: 'wxapp' }
      }
      throw new Error('no such sample')
    }
    const leading = sealedWith((b) => b.startsWith('+'))
    const trailing = sealedWith((b) => b.endsWith('+'))
    for (const sample of [leading, trailing]) {
      const mangled = { ...sample, encryptedData: sample.encryptedData.replace(/\+/g, ' ') }
      expect(decryptOpenData(mangled)).toMatchObject({ watermark: { appid: 'wxapp' } })
    }
  })

  it('refuses a watermark dated in the future beyond a small skew when an age bound is set', () => {
    const at = 1477314187 * 1000
    expect(() => decryptOpenData({ ...OFFICIAL, maxAgeSeconds: 600, now: at - 3600 * 1000 })).toThrow(expect.objectContaining({ code: 'EXPIRED' }))
    expect(decryptOpenData({ ...OFFICIAL, maxAgeSeconds: 600, now: at - 30 * 1000 })).toMatchObject({ nickName: 'Band' })
  })

  it.each([NaN, -1, Infinity, '60'])('refuses maxAgeSeconds %p with BAD_INPUT rather than passing everything', (maxAgeSeconds) => {
    expect(() => decryptOpenData({ ...OFFICIAL, maxAgeSeconds: maxAgeSeconds as number, now: Date.now() })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('checks the watermark age only when asked', () => {
    expect(() => decryptOpenData({ ...OFFICIAL, maxAgeSeconds: 60, now: (1477314187 + 61) * 1000 })).toThrow(expect.objectContaining({ code: 'EXPIRED' }))
    expect(decryptOpenData({ ...OFFICIAL, maxAgeSeconds: 60, now: (1477314187 + 30) * 1000 })).toMatchObject({ nickName: 'Band' })
  })

  const flipped = Buffer.from(OFFICIAL.encryptedData, 'base64')
  flipped[flipped.length - 1] ^= 0x01
  const wrongKey = randomBytes(16).toString('base64')

  it.each([
    ['a session key of the wrong length', 'BAD_INPUT', { sessionKey: 'c2hvcnQ=' }],
    ['an iv of the wrong length', 'BAD_INPUT', { iv: 'c2hvcnQ=' }],
    ['a non-base64 session key', 'BAD_INPUT', { sessionKey: '!!!!!!!!!!!!!!!!!!!!!!!!' }],
    ['non-base64 encryptedData', 'BAD_INPUT', { encryptedData: 'not*base64' }],
    ['empty encryptedData', 'BAD_INPUT', { encryptedData: '' }],
    ['a number for iv', 'BAD_INPUT', { iv: 12 }],
    ['a huge encryptedData', 'BAD_INPUT', { encryptedData: 'A'.repeat(1024 * 1024) }],
    ['truncated encryptedData', 'DECRYPT_FAILED', { encryptedData: OFFICIAL.encryptedData.slice(0, 40) }],
    ['tampered encryptedData', 'DECRYPT_FAILED', { encryptedData: flipped.toString('base64') }],
    ['the wrong session key', 'DECRYPT_FAILED', { sessionKey: wrongKey }],
    ['another app’s data', 'WATERMARK_MISMATCH', { appId: 'wx0000000000000000' }],
  ])('refuses %s with a typed %s error that never names the key', (_what, code, change) => {
    const input = { ...OFFICIAL, ...change } as Parameters<typeof decryptOpenData>[0]
    const error = errorOf(() => decryptOpenData(input))
    expect(isServerError(error)).toBe(true)
    expect(error).toMatchObject({ code })
    expect(String((error as Error).message)).not.toContain(String(input.sessionKey))
    expect(JSON.stringify(error)).not.toContain(String(input.sessionKey))
  })

  it('answers any input at all with the data or a typed ServerError, never another exception', () => {
    const anything = fc.oneof(fc.string(), fc.base64String(), fc.constant(OFFICIAL.encryptedData), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object())
    fc.assert(
      fc.property(anything, anything, anything, fc.oneof(fc.constant(OFFICIAL.appId), fc.string()), (sessionKey, iv, encryptedData, appId) => {
        try {
          decryptOpenData({ sessionKey, iv, encryptedData, appId } as Parameters<typeof decryptOpenData>[0])
        } catch (error) {
          expect(isServerError(error)).toBe(true)
          expect(['BAD_INPUT', 'DECRYPT_FAILED', 'WATERMARK_MISMATCH', 'EXPIRED']).toContain((error as { code: string }).code)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
