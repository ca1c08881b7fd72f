import type { OpenDataPayload } from '../../miniprogram_npm_src/wire/protocol'
import type { Sealed } from '../wechat/seal'

/** The guard's payload, built as the guard builds it: no absent field sent. */
export function payload(flag: '0' | '1', code: string, ways: { sealed?: Sealed; phoneCode?: string }): OpenDataPayload {
  const out: OpenDataPayload = { code: flag === '1' ? '' : code, sessionKeyValidFlag: flag }
  if (ways.sealed) {
    out.iv = ways.sealed.iv
    out.encryptedData = ways.sealed.encryptedData
  }
  if (ways.phoneCode) out.phoneCode = ways.phoneCode
  return out
}
