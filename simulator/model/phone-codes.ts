import type { Clock } from '../../miniprogram_npm_src/primitives/clock'

/** The time a phone code or cloudID stays redeemable. [doc: 5 minutes] */
export const PHONE_CODE_TTL_MS = 5 * 60 * 1000

export interface IssuedPhoneCode {
  tag: string
  issuedAt: number
  used: boolean
}

export type PhoneCodeResult =
  | { phone_info: { phoneNumber: string; purePhoneNumber: string; countryCode: string; tag: string } }
  | { errcode: number; errmsg: string }

/**
 * The phone codes (`e.detail.code`) and cloudIDs WeChat hands out with phone-number consents:
 * one use, 5 minutes, redeemed by the server without any session_key
 * (getuserphonenumber / cloud.getOpenData).
 */
export class PhoneCodes {
  readonly issued = new Map<string, IssuedPhoneCode>()
  redeemed = 0
  rejected = 0

  constructor(private readonly clock: Clock) {}

  issue(code: string, tag: string): string {
    this.issued.set(code, { tag, issuedAt: this.clock.now(), used: false })
    return code
  }

  redeem(code: string): PhoneCodeResult {
    const issued = this.issued.get(code)
    if (!issued || this.clock.now() - issued.issuedAt > PHONE_CODE_TTL_MS) return this.reject(40029, 'invalid code')
    if (issued.used) return this.reject(40163, 'code been used')
    issued.used = true
    this.redeemed++
    return { phone_info: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86', tag: issued.tag } }
  }

  private reject(errcode: number, errmsg: string): PhoneCodeResult {
    this.rejected++
    return { errcode, errmsg }
  }
}
