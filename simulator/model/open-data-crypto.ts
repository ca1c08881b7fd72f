import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { PlatformProfile } from './platforms'

type Cipher = PlatformProfile['cipher']

/**
 * Seals `data` as the platform does. WeChat (and QQ, Douyin, Kuaishou): AES-128-CBC, PKCS#7, the JSON
 * with its watermark. Baidu: AES-192-CBC over 16 random bytes + a 4-byte big-endian length + the JSON +
 * the app_key, PKCS#7-padded to 32-byte blocks.
 */
export function sealOpenData(sessionKey: string, iv: string, data: object, cipher: Cipher = 'wechat', appKey = ''): string {
  const key = Buffer.from(sessionKey, 'base64')
  const json = Buffer.from(JSON.stringify(data), 'utf8')
  if (cipher === 'wechat') {
    const aes = createCipheriv('aes-128-cbc', key, Buffer.from(iv, 'base64'))
    return Buffer.concat([aes.update(json), aes.final()]).toString('base64')
  }
  const length = Buffer.alloc(4)
  length.writeUInt32BE(json.length)
  const plain = Buffer.concat([randomBytes(16), length, json, Buffer.from(appKey, 'utf8')])
  const pad = 32 - (plain.length % 32)
  const aes = createCipheriv('aes-192-cbc', key, Buffer.from(iv, 'base64')).setAutoPadding(false)
  return Buffer.concat([aes.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), aes.final()]).toString('base64')
}

/** Returns the parsed JSON, or undefined when this key cannot open it (a wrong key, pad, length or app_key). */
export function openSealedData(sessionKey: string, iv: string, encryptedData: string, cipher: Cipher = 'wechat', appKey = ''): Record<string, unknown> | undefined {
  try {
    const key = Buffer.from(sessionKey, 'base64')
    if (cipher === 'wechat') {
      const aes = createDecipheriv('aes-128-cbc', key, Buffer.from(iv, 'base64'))
      return JSON.parse(Buffer.concat([aes.update(Buffer.from(encryptedData, 'base64')), aes.final()]).toString('utf8')) as Record<string, unknown>
    }
    const aes = createDecipheriv('aes-192-cbc', key, Buffer.from(iv, 'base64')).setAutoPadding(false)
    const padded = Buffer.concat([aes.update(Buffer.from(encryptedData, 'base64')), aes.final()])
    const pad = padded[padded.length - 1]
    if (!pad || pad > 32 || padded.length < pad || !padded.subarray(padded.length - pad).every((byte) => byte === pad)) return undefined
    const plain = padded.subarray(0, padded.length - pad)
    const length = plain.readUInt32BE(16)
    if (20 + length > plain.length || plain.subarray(20 + length).toString('utf8') !== appKey) return undefined
    return JSON.parse(plain.subarray(20, 20 + length).toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}
