import type { ParsedPayload } from './payload'

/**
 * Kinds of open data WeChat seals without a watermark, by the payload's `dataKind` (P-CRYPTO-5):
 * wx.getChatToolInfo's data has none; whether wx.getGroupEnterInfo's has one is not documented, so
 * both are opened either way. Any other kind, or none, keeps the watermark required.
 */
export const WATERMARKLESS_KINDS: readonly string[] = ['chat-tool', 'group-enter']

/** The watermark rule for a payload's sealed data; never loosened beside a phone code (a phone number's data always has one). */
export function watermarkRule(p: ParsedPayload): 'required' | 'if-present' {
  return p.dataKind !== undefined && WATERMARKLESS_KINDS.includes(p.dataKind) && p.phoneCode === undefined ? 'if-present' : 'required'
}
