/**
 * Open data per platform through the public decryptOpenData: Baidu's AES-192-CBC (its official sample,
 * data the tests seal, 32-byte padding checked by hand, the trailing app_key compared) and the
 * watermark rules of the platforms that use WeChat's cipher.
 */
import fc from 'fast-check'
import { createDecipheriv, randomBytes } from 'node:crypto'
import { sealAsWeChat, sealBaidu, newBaiduSessionKey } from '../../conformance/platforms/sealing'
import { decryptOpenData, isServerError } from '../../server'
import { BAIDU_SAMPLE as BAIDU, BAIDU_SAMPLE_DATA as BAIDU_DATA } from '../support/baidu-sample'

function reasonOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (isServerError(error)) return error.code
    throw error
  }
  return 'OPENED'
}

/** The official plaintext read with plain node:crypto, apart from the companion's code. */
function officialPlaintext(): Buffer {
  const decipher = createDecipheriv('aes-192-cbc', Buffer.from(BAIDU.sessionKey, 'base64'), Buffer.from(BAIDU.iv, 'base64')).setAutoPadding(false)
  return Buffer.concat([decipher.update(Buffer.from(BAIDU.encryptedData, 'base64')), decipher.final()])
}

describe("Baidu's open data", () => {
  it('opens the official sample through the public API', () => {
    expect(decryptOpenData({ platform: 'baidu', ...BAIDU })).toEqual(BAIDU_DATA)
  })

  it('the sample is as the facts say: 80 bytes of data, the app_key, 28 bytes of pad (so a 16-byte automatic unpadding refuses it)', () => {
    const plain = officialPlaintext()
    expect(plain.readUInt32BE(16)).toBe(80)
    expect(plain.subarray(100, 132).toString()).toBe(BAIDU.appKey)
    expect([...plain.subarray(132)]).toEqual(Array(28).fill(28))
    const auto = createDecipheriv('aes-192-cbc', Buffer.from(BAIDU.sessionKey, 'base64'), Buffer.from(BAIDU.iv, 'base64'))
    expect(() => Buffer.concat([auto.update(Buffer.from(BAIDU.encryptedData, 'base64')), auto.final()])).toThrow()
  })

  it("the tests' sealer, given the sample's random bytes and iv, writes the official ciphertext byte for byte", () => {
    const sealed = sealBaidu(BAIDU.sessionKey, BAIDU.appKey, BAIDU_DATA, { random: officialPlaintext().subarray(0, 16), iv: Buffer.from(BAIDU.iv, 'base64') })
    expect(sealed.encryptedData).toBe(BAIDU.encryptedData)
  })

  it('opens whatever the tests seal, for any key, iv, app_key and JSON object (pads 1 to 32 alike)', () => {
    const pads = new Set<number>()
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.string({ minLength: 1, maxLength: 40 }), fc.dictionary(fc.string(), fc.jsonValue()), (key, appKey, data) => {
        const sessionKey = Buffer.from(key).toString('base64')
        const sealed = sealBaidu(sessionKey, appKey, data)
        pads.add(32 - ((16 + 4 + Buffer.byteLength(JSON.stringify(data)) + Buffer.byteLength(appKey)) % 32))
        expect(decryptOpenData({ platform: 'baidu', sessionKey, appKey, ...sealed })).toEqual(JSON.parse(JSON.stringify(data)))
      }),
      { numRuns: 300 },
    )
    expect([...pads].some((pad) => pad > 16)).toBe(true)
  })

  it("refuses another app's data (the trailing app_key) with WATERMARK_MISMATCH, and no data", () => {
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', ...BAIDU, appKey: 'y2dTfnWfkx2OXttMEMWlGHoB1KzMogm8' }))).toBe('WATERMARK_MISMATCH')
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', ...BAIDU, appKey: BAIDU.appKey.slice(1) }))).toBe('WATERMARK_MISMATCH')
    const sessionKey = newBaiduSessionKey()
    const sealed = sealBaidu(sessionKey, 'another-app-key', { mobile: '13800138000' })
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', sessionKey, appKey: 'this-app-key', ...sealed }))).toBe('WATERMARK_MISMATCH')
  })

  it('refuses a wrong key with DECRYPT_FAILED, never WATERMARK_MISMATCH (so the previous key is still tried)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (key) => {
        const sessionKey = Buffer.from(key).toString('base64')
        fc.pre(sessionKey !== BAIDU.sessionKey)
        expect(reasonOf(() => decryptOpenData({ platform: 'baidu', ...BAIDU, sessionKey }))).toBe('DECRYPT_FAILED')
      }),
      { numRuns: 500 },
    )
  })

  it('refuses a broken pad, a length past the end and a cut ciphertext with DECRYPT_FAILED', () => {
    const sessionKey = newBaiduSessionKey()
    const iv = randomBytes(16)
    const sealed = sealBaidu(sessionKey, 'app', { a: 1 }, { iv })
    const bytes = Buffer.from(sealed.encryptedData, 'base64')
    // Flipping a byte of the second-to-last block changes the same byte of the last plaintext block: the pad.
    const tampered = Buffer.from(bytes)
    tampered[tampered.length - 17] ^= 0x01
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', sessionKey, appKey: 'app', iv: sealed.iv, encryptedData: tampered.toString('base64') }))).toBe('DECRYPT_FAILED')
    // The length field sits at bytes 16–19 of the plaintext: flipping the iv's does not reach it, the first block's does.
    const longer = Buffer.from(bytes)
    longer[16] ^= 0x80
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', sessionKey, appKey: 'app', iv: sealed.iv, encryptedData: longer.toString('base64') }))).toBe('DECRYPT_FAILED')
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', sessionKey, appKey: 'app', iv: sealed.iv, encryptedData: bytes.subarray(0, 16).toString('base64') }))).toBe('DECRYPT_FAILED')
  })

  it("refuses WeChat's 16-byte keys and a missing appKey as BAD_INPUT", () => {
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', ...BAIDU, sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' }))).toBe('BAD_INPUT')
    expect(reasonOf(() => decryptOpenData({ platform: 'baidu', ...BAIDU, appKey: '' }))).toBe('BAD_INPUT')
    expect(reasonOf(() => decryptOpenData({ ...BAIDU, platform: 'alipay' } as never))).toBe('BAD_INPUT')
  })
})

describe('watermarks on the platforms using WeChat’s cipher', () => {
  const sessionKey = randomBytes(16).toString('base64')
  const appId = 'tt0123456789abcdef'
  const phone = { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' }
  const open = (platform: 'weixin' | 'qq' | 'toutiao' | 'kuaishou', data: object, maxAgeSeconds?: number) =>
    reasonOf(() => decryptOpenData({ platform, sessionKey, appId, ...sealAsWeChat(sessionKey, data), maxAgeSeconds } as never))

  it.each(['qq', 'toutiao', 'kuaishou'] as const)('%s: a watermark of this app opens, of another app or malformed is refused, none at all opens', (platform) => {
    const now = Math.floor(Date.now() / 1000)
    expect(open(platform, { ...phone, watermark: { appid: appId, timestamp: now } })).toBe('OPENED')
    expect(open(platform, { ...phone, watermark: { appid: 'tt0000000000000000', timestamp: now } })).toBe('WATERMARK_MISMATCH')
    expect(open(platform, { ...phone, watermark: null })).toBe('WATERMARK_MISMATCH')
    expect(open(platform, { ...phone, watermark: 'tt0123456789abcdef' })).toBe('WATERMARK_MISMATCH')
    expect(open(platform, phone)).toBe('OPENED')
  })

  it.each(['qq', 'toutiao', 'kuaishou'] as const)('%s: with an age limit, data without a watermark is EXPIRED (its age cannot be known)', (platform) => {
    expect(open(platform, phone, 300)).toBe('EXPIRED')
    expect(open(platform, { ...phone, watermark: { appid: appId, timestamp: Math.floor(Date.now() / 1000) } }, 300)).toBe('OPENED')
  })

  it('weixin (the default) still requires the watermark', () => {
    expect(open('weixin', phone)).toBe('WATERMARK_MISMATCH')
    expect(reasonOf(() => decryptOpenData({ sessionKey, appId, ...sealAsWeChat(sessionKey, phone) }))).toBe('WATERMARK_MISMATCH')
  })
})
