import { timingSafeEqual } from 'node:crypto'
import { ServerError } from '../common/errors'
import { decipherSealed, type Sealed } from './aes-cbc'
import { jsonObject, notDecrypted } from './base64-field'

/** Baidu pads to 32 bytes (WeChat's message crypto does too), where AES's own padding stops at 16. */
const PAD_BLOCK = 32
const RANDOM_BYTES = 16
const LENGTH_BYTES = 4

/** The pad checked and cut by hand: a decipher's automatic 16-byte padding refuses good data whose pad is over 16. */
function unpadded(plaintext: Buffer): Buffer {
  const pad = plaintext[plaintext.length - 1]
  if (plaintext.length % PAD_BLOCK !== 0 || pad < 1 || pad > PAD_BLOCK) throw notDecrypted()
  for (let i = plaintext.length - pad; i < plaintext.length; i++) if (plaintext[i] !== pad) throw notDecrypted()
  return plaintext.subarray(0, plaintext.length - pad)
}

/**
 * Baidu's open data: AES-192-CBC, key = base64(session_key) (24 bytes), no automatic padding;
 * plaintext = 16 random bytes + 4-byte big-endian length + the JSON data + the app_key, padded.
 * The data must be a JSON object before the app_key is compared (in constant time): a wrong key is
 * DECRYPT_FAILED, right key but another app's data WATERMARK_MISMATCH.
 */
export function openBaiduCipher(sealed: Sealed, appKey: string): Record<string, unknown> {
  const plaintext = decipherSealed(sealed, 24, false)
  const body = unpadded(plaintext)
  if (body.length < RANDOM_BYTES + LENGTH_BYTES) throw notDecrypted()
  const length = body.readUInt32BE(RANDOM_BYTES)
  const start = RANDOM_BYTES + LENGTH_BYTES
  if (length > body.length - start) throw notDecrypted()
  const data = jsonObject(body.subarray(start, start + length))
  const tail = body.subarray(start + length)
  const expected = Buffer.from(appKey, 'utf8')
  if (tail.length !== expected.length || !timingSafeEqual(tail, expected)) throw new ServerError('WATERMARK_MISMATCH', 'the trailing app_key is not this app')
  return data
}
