import { createDecipheriv } from 'node:crypto'
import { decodeBase64, notDecrypted } from './base64-field'

export interface Sealed {
  sessionKey: unknown
  iv: unknown
  encryptedData: unknown
}

/**
 * The sealed fields decoded and deciphered with AES-CBC, a key of `keyBytes` (16: AES-128, 24: AES-192).
 * Without `autoPadding` the pad is left for the caller to check. DECRYPT_FAILED when the key does not fit.
 */
export function decipherSealed(sealed: Sealed, keyBytes: 16 | 24, autoPadding: boolean): Buffer {
  const key = decodeBase64(sealed.sessionKey, 'sessionKey', keyBytes)
  const iv = decodeBase64(sealed.iv, 'iv', 16)
  const ciphertext = decodeBase64(sealed.encryptedData, 'encryptedData')
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw notDecrypted('ciphertext is not whole AES blocks')
  try {
    const decipher = createDecipheriv(`aes-${keyBytes * 8}-cbc`, key, iv).setAutoPadding(autoPadding)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    throw notDecrypted()
  }
}
