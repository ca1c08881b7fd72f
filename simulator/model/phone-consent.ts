import type { WeChatModel } from './wechat'

/** The shapes of a phone-number button's success detail WeChat documents today. */
export type ConsentShape = 'full' | 'code-only' | 'realtime' | 'cloudID-only'
export const CONSENT_SHAPES: ConsentShape[] = ['full', 'code-only', 'realtime', 'cloudID-only']

/** A phone-number event's detail in any documented shape, or WeChat's refusal. */
export interface PhoneDetail {
  errMsg: string
  errno?: number
  code?: string
  encryptedData?: string
  iv?: string
  cloudID?: string
}

export interface ShapedConsent {
  detail: PhoneDetail
  /** The key that sealed the data; undefined when nothing is sealed. */
  key?: string
  sessionValid: boolean
  loginInFlight: boolean
}

/**
 * The user taps a phone-number button whose detail has this shape. The privacy check comes first
 * (errno 104 declined / 112 scope not declared). The full shape seals data (as `consent`) beside a
 * phone code and a cloudID; code-only and real-time (getRealtimePhoneNumber) details carry a phone
 * code alone; a cloudID-only detail a cloudID.
 */
export function consentAs(wechat: WeChatModel, tag: string, shape: ConsentShape): ShapedConsent {
  const api = shape === 'realtime' ? 'getRealtimePhoneNumber' : 'getPhoneNumber'
  const state = { sessionValid: !wechat.expired, loginInFlight: wechat.loginInFlight }
  if (wechat.privacy === 'declined') {
    return { detail: { errMsg: `${api}:fail privacy permission is not authorized`, errno: 104 }, ...state }
  }
  if (wechat.privacy === 'undeclared') {
    return { detail: { errMsg: `${api}:fail api scope is not declared in the privacy agreement`, errno: 112 }, ...state }
  }
  if (shape === 'full') {
    const sealed = wechat.consent(tag, true)
    return { ...sealed, detail: { ...sealed.detail, cloudID: wechat.phoneCodes.issue(`cloud-${tag}`, tag) } }
  }
  const detail: PhoneDetail = { errMsg: `${api}:ok` }
  if (shape === 'cloudID-only') detail.cloudID = wechat.phoneCodes.issue(`cloud-${tag}`, tag)
  else detail.code = wechat.phoneCodes.issue(`phone-${tag}`, tag)
  return { detail, ...state }
}
