import { createCipheriv, randomBytes } from 'node:crypto'

export interface Sealed {
  iv: string
  encryptedData: string
}

/** A fresh random session_key, as WeChat hands them out: 16 bytes, base64. */
export function newSessionKey(): string {
  return randomBytes(16).toString('base64')
}

/** Seals open data the way WeChat does: AES-128-CBC, PKCS#7, key = base64-decode(session_key). */
export function seal(sessionKey: string, data: object, iv: Buffer = randomBytes(16)): Sealed {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv)
  const encryptedData = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]).toString('base64')
  return { iv: iv.toString('base64'), encryptedData }
}

/** Seals until both the iv and the ciphertext hold a '+', the ciphertext one at its very start (where a trim would drop it). */
export function sealWithPlus(sessionKey: string, data: object): Sealed {
  for (;;) {
    const sealed = seal(sessionKey, data)
    if (sealed.iv.includes('+') && sealed.encryptedData.startsWith('+') && sealed.encryptedData.indexOf('+', 1) > 0) return sealed
  }
}
