import type { OpenDataContext, Reply } from './handler-types'
import type { ParsedPayload } from './payload'
import type { createPhoneCodeRedeemer } from './phone-code'
import type { Report } from '../common/report'
import { openSealed, type SealedDataOptions } from '../crypto/sealed-data'
import type { StoredKeys } from '../stores/store'
import { watermarkRule } from './data-kinds'

/**
 * Every way to the data a payload offers, in order: the sealed data (current key, then the previous
 * one within its grace), the phone code, the cloudID. A later way is tried only when the sealed data
 * cannot open (no key, wrong key, none sent); the reply then says why the first way failed.
 */
export function createDataOpener(sealing: SealedDataOptions, redeemPhoneCode: ReturnType<typeof createPhoneCodeRedeemer> | undefined, now: () => number, report: Report) {
  return async function serve(p: ParsedPayload, openid: string, keys: StoredKeys | undefined, context: OpenDataContext): Promise<Reply> {
    let failure: string | undefined
    if (p.sealed) {
      const opened = keys ? openSealed(keys, p.sealed, sealing, now(), watermarkRule(p)) : { reason: 'SESSION_KEY_MISSING' as const }
      if ('data' in opened) return { ok: true, data: opened.data, source: 'decrypt' }
      if (opened.reason !== 'SESSION_KEY_MISSING' && opened.reason !== 'DECRYPT_FAILED') return { ok: false, reason: opened.reason }
      failure = opened.reason
    }
    // Where the platform has no phone code the companion redeems, a phone code is passed over like a cloudID over HTTP.
    if (p.phoneCode && redeemPhoneCode) {
      const redeemed = await redeemPhoneCode(p.phoneCode, openid)
      if ('data' in redeemed) return { ok: true, data: { ...redeemed.data }, source: 'phone-code' }
      if ('reason' in redeemed) return { ok: false, reason: redeemed.reason }
      failure = failure || 'PHONE_CODE_REJECTED'
    }
    if (p.cloudID && context.openCloudID) {
      try {
        return { ok: true, data: await context.openCloudID(p.cloudID), source: 'cloud-id' }
      } catch (error) {
        report(error, { stage: 'cloudID', openid })
        failure = failure || 'WECHAT_UNAVAILABLE'
      }
    }
    return { ok: false, reason: failure || 'BAD_INPUT' }
  }
}
