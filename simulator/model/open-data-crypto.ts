import { createCipheriv, createDecipheriv } from 'node:crypto'

/** WeChat's open-data sealing: AES-128-CBC, PKCS#7, base64 key/iv/ciphertext, watermark in the JSON. */
export function sealOpenData(sessionKey: string, iv: string, data: object): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'))
  return Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]).toString('base64')
}

/** Returns the parsed JSON, or undefined when this key cannot open it (as a wrong key almost always fails). */
export function openSealedData(sessionKey: string, iv: string, encryptedData: string): Record<string, unknown> | undefined {
  try {
    const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'))
    const text = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]).toString('utf8')
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    return undefined
  }
}
