import { decipherSealed, type Sealed } from './aes-cbc'
import { jsonObject } from './base64-field'

/** WeChat's open data cipher (QQ, Douyin and Kuaishou use it too): AES-128-CBC, PKCS#7, key = base64(session_key). */
export function openWeChatCipher(sealed: Sealed): Record<string, unknown> {
  return jsonObject(decipherSealed(sealed, 16, true))
}
