import { createCipheriv, randomBytes } from 'node:crypto'
import { seal as sealWeChat, type Sealed } from '../wechat/seal'
import type { KitData } from './kit-platform'

/** WeChat's sealing, the watermark as given (QQ, Douyin and Kuaishou seal the same way). */
export function sealAsWeChat(sessionKey: string, data: object, iv?: Buffer): Sealed {
  return sealWeChat(sessionKey, data, iv)
}

/** A fresh Baidu session_key: 24 random bytes, base64 (32 characters). */
export function newBaiduSessionKey(): string {
  return randomBytes(24).toString('base64')
}

const BAIDU_PAD_BLOCK = 32

/**
 * Seals the way Baidu does: AES-192-CBC over 16 random bytes + the data's length (4 bytes, big-endian)
 * + the JSON data + the app_key, padded PKCS#7-style to 32-byte blocks, no other padding.
 */
export function sealBaidu(sessionKey: string, appKey: string, data: object, options: { random?: Buffer; iv?: Buffer } = {}): Sealed {
  const json = Buffer.from(JSON.stringify(data), 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(json.length)
  const body = Buffer.concat([options.random || randomBytes(16), length, json, Buffer.from(appKey, 'utf8')])
  const pad = BAIDU_PAD_BLOCK - (body.length % BAIDU_PAD_BLOCK)
  const iv = options.iv || randomBytes(16)
  const cipher = createCipheriv('aes-192-cbc', Buffer.from(sessionKey, 'base64'), iv).setAutoPadding(false)
  const encrypted = Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()])
  return { iv: iv.toString('base64'), encryptedData: encrypted.toString('base64') }
}

/** The pad Baidu's sealing gives this data and app_key (1 to 32 bytes). */
export function baiduPadOf(appKey: string, data: object): number {
  const length = 16 + 4 + Buffer.byteLength(JSON.stringify(data), 'utf8') + Buffer.byteLength(appKey, 'utf8')
  return BAIDU_PAD_BLOCK - (length % BAIDU_PAD_BLOCK)
}

/** The kit's data sealed for Baidu: its watermark's appid becomes the trailing app_key, and no watermark is left inside. */
export function sealAsBaidu(sessionKey: string, data: object, iv?: Buffer): Sealed {
  const { watermark, ...rest } = data as KitData
  return sealBaidu(sessionKey, watermark ? watermark.appid : '', rest, { iv })
}

export type Sealer = (sessionKey: string, data: object) => Sealed

/** Sealed data with no '+' anywhere, so a backend's '+' handling shows only where a scenario tests it. Bounded. */
export function sealWithoutPlusBy(seal: Sealer, sessionKey: string, data: object): Sealed {
  let sealed = seal(sessionKey, data)
  for (let i = 0; i < 20_000 && (sealed.iv.includes('+') || sealed.encryptedData.includes('+')); i++) sealed = seal(sessionKey, data)
  return sealed
}

/** Seals until both the iv and the ciphertext hold a '+', the ciphertext one at its very start (where a trim would drop it). */
export function sealWithPlusBy(seal: Sealer, sessionKey: string, data: object): Sealed {
  for (;;) {
    const sealed = seal(sessionKey, data)
    if (sealed.iv.includes('+') && sealed.encryptedData.startsWith('+') && sealed.encryptedData.indexOf('+', 1) > 0) return sealed
  }
}
