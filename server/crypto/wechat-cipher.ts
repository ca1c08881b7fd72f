import { createDecipheriv } from 'node:crypto'
import { decodeBase64, jsonObject, notDecrypted } from './base64-field'

/** WeChat's open data cipher (QQ, Douyin and Kuaishou use it too): AES-128-CBC, PKCS#7, key = base64(session_key). */
export function openWeChatCipher(sealed: { sessionKey: unknown; iv: unknown; encryptedData: unknown }): Record<string, unknown> {
  const key = decodeBase64(sealed.sessionKey, 'sessionKey', 16)
  const iv = decodeBase64(sealed.iv, 'iv', 16)
  const ciphertext = decodeBase64(sealed.encryptedData, 'encryptedData')
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw notDecrypted('ciphertext is not whole AES blocks')
  let plaintext: Buffer
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv)
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    throw notDecrypted()
  }
  return jsonObject(plaintext)
}
