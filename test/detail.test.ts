/**
 * Reading WeChat's event detail: every shape WeChat documents today, base64
 * bent on the way, and WeChat's refusals with their errno.
 */
import { normaliseBase64 } from '../miniprogram_npm_src/wire/base64'
import { parseDetail } from '../miniprogram_npm_src/wire/detail'
import { outcomeOfDetailFailure } from '../miniprogram_npm_src/wire/detail-outcome'
import { isGuardError } from '../miniprogram_npm_src/errors/errors'

const IV = 'r7BXXKkLb8qrSNn05n0qiA=='
const DATA = 'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS+x/z'

describe('the shapes WeChat documents', () => {
  it('reads a full detail: encryptedData + iv, with the phone code and cloudID alongside', () => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', encryptedData: DATA, iv: IV, code: 'pc', cloudID: 'cid' })).toEqual({
      kind: 'data',
      data: { encryptedData: DATA, iv: IV, phoneCode: 'pc', cloudID: 'cid' },
    })
  })

  it('reads an old-style detail without a phone code (base library < 2.21.2)', () => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', encryptedData: DATA, iv: IV })).toEqual({ kind: 'data', data: { encryptedData: DATA, iv: IV } })
  })

  it('reads a code-only detail as a phone code with nothing sealed', () => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', code: 'pc' })).toEqual({ kind: 'phone-code', data: { phoneCode: 'pc' } })
  })

  it('reads a real-time verification detail (getRealtimePhoneNumber:ok) as a phone code', () => {
    expect(parseDetail({ errMsg: 'getRealtimePhoneNumber:ok', code: 'rt' })).toEqual({ kind: 'phone-code', data: { phoneCode: 'rt' } })
  })

  it('reads a cloudID-only detail, and a code with a cloudID', () => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', cloudID: 'cid' })).toEqual({ kind: 'phone-code', data: { cloudID: 'cid' } })
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', code: 'pc', cloudID: 'cid' })).toEqual({ kind: 'phone-code', data: { phoneCode: 'pc', cloudID: 'cid' } })
  })

  it.each([
    ['nothing to send', { errMsg: 'getPhoneNumber:ok' }],
    ['an empty code', { errMsg: 'getPhoneNumber:ok', code: '' }],
    ['a number for code', { errMsg: 'getPhoneNumber:ok', code: 7 }],
    ['encryptedData without iv, even beside a code', { errMsg: 'getPhoneNumber:ok', encryptedData: DATA, code: 'pc' }],
    ['iv without encryptedData', { errMsg: 'getPhoneNumber:ok', iv: IV, code: 'pc' }],
    ['non-base64 encryptedData beside a code', { errMsg: 'getPhoneNumber:ok', encryptedData: 'not base64!', iv: IV, code: 'pc' }],
    ['an impossible base64 length', { errMsg: 'getPhoneNumber:ok', encryptedData: 'abcde', iv: IV }],
    ['too much padding', { errMsg: 'getPhoneNumber:ok', encryptedData: 'abc==', iv: IV }],
    ['null', null],
    ['a string', 'detail'],
  ])('refuses %s with a typed INVALID_DETAIL error', (_what, detail) => {
    const parsed = parseDetail(detail)
    expect(parsed.kind).toBe('invalid')
    expect(parsed.kind === 'invalid' && isGuardError(parsed.error, 'INVALID_DETAIL')).toBe(true)
  })
})

describe('base64 bent on the way is repaired before it is checked', () => {
  it.each([
    ['"+" turned into a space', DATA.replace(/\+/g, ' ')],
    ['a trailing newline', `${DATA}\n`],
    ['wrapped lines (CRLF)', `${DATA.slice(0, 20)}\r\n${DATA.slice(20)}`],
    ['the URL-safe alphabet', DATA.replace(/\+/g, '-').replace(/\//g, '_')],
  ])('repairs %s', (_what, bent) => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', encryptedData: bent, iv: `${IV}\n` })).toEqual({
      kind: 'data',
      data: { encryptedData: DATA, iv: IV },
    })
  })

  it('adds missing padding, which the length makes unambiguous', () => {
    expect(normaliseBase64('r7BXXKkLb8qrSNn05n0qiA')).toBe(IV)
    expect(normaliseBase64('r7BXXKkLb8qrSNn05n0qiA=')).toBe(IV)
    expect(normaliseBase64('aGVsbG8')).toBe('aGVsbG8=')
    expect(normaliseBase64('aGVsbA')).toBe('aGVsbA==')
    expect(normaliseBase64('aGVs')).toBe('aGVs')
  })

  it('leaves standard base64 as it is, and refuses what no repair makes base64', () => {
    expect(normaliseBase64(IV)).toBe(IV)
    expect(normaliseBase64('a')).toBeUndefined()
    expect(normaliseBase64('aGVs=')).toBeUndefined()
    expect(normaliseBase64('aG*s')).toBeUndefined()
    expect(normaliseBase64('====')).toBeUndefined()
  })
})

describe('WeChat’s refusals keep WeChat’s errno', () => {
  it.each([
    ['iOS/devtools refusal', { errMsg: 'getPhoneNumber:fail user deny' }, { status: 'denied', errMsg: 'getPhoneNumber:fail user deny' }],
    ['Android refusal', { errMsg: 'getPhoneNumber:fail:user deny' }, { status: 'denied', errMsg: 'getPhoneNumber:fail:user deny' }],
    ['a real-time refusal', { errMsg: 'getRealtimePhoneNumber:fail user deny' }, { status: 'denied', errMsg: 'getRealtimePhoneNumber:fail user deny' }],
    [
      'a refusal with an errno',
      { errMsg: 'getPhoneNumber:fail user deny', errno: 10003 },
      { status: 'denied', errMsg: 'getPhoneNumber:fail user deny', errno: 10003 },
    ],
    [
      'errno 104 (privacy agreement declined)',
      { errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 },
      { status: 'denied', errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 },
    ],
    [
      'the privacy-declined message without its errno',
      { errMsg: 'getRealtimePhoneNumber:fail privacy permission is not authorized' },
      { status: 'denied', errMsg: 'getRealtimePhoneNumber:fail privacy permission is not authorized', errno: 104 },
    ],
    [
      'errno 104 with another message',
      { errMsg: 'getPhoneNumber:fail', errno: '104' },
      { status: 'denied', errMsg: 'getPhoneNumber:fail', errno: 104 },
    ],
    [
      'errno 112 (scope not declared)',
      { errMsg: 'getPhoneNumber:fail api scope is not declared in the privacy agreement', errno: 112 },
      { status: 'failed', reason: 'PRIVACY_NOT_DECLARED', errno: 112 },
    ],
    [
      'the scope-not-declared message without its errno',
      { errMsg: 'getPhoneNumber:fail api scope is not declared in the privacy agreement' },
      { status: 'failed', reason: 'PRIVACY_NOT_DECLARED', errno: 112 },
    ],
    ['errno 1400001 (no quota)', { errMsg: 'getPhoneNumber:fail no quota', errno: 1400001 }, { status: 'failed', reason: 'NO_QUOTA', errno: 1400001 }],
    ['another failure with an errno', { errMsg: 'getPhoneNumber:fail system error', errno: 1 }, { status: 'failed', reason: 'WX_FAIL', errno: 1 }],
    ['an errno beside an ok message', { errMsg: 'getPhoneNumber:ok', errno: 5, code: 'pc' }, { status: 'failed', reason: 'WX_FAIL', errno: 5 }],
  ])('%s', (_what, detail, expected) => {
    const parsed = parseDetail(detail)
    if (parsed.kind === 'data' || parsed.kind === 'phone-code' || parsed.kind === 'invalid') throw new Error(`not a failure: ${parsed.kind}`)
    expect(outcomeOfDetailFailure(parsed)).toEqual(expected.status === 'failed' ? { ...expected, error: expect.anything() } : expected)
  })

  it('gives no errno where WeChat gave none, or gave 0', () => {
    for (const detail of [{ errMsg: 'getPhoneNumber:fail no permission' }, { errMsg: 'getPhoneNumber:fail no permission', errno: 0 }]) {
      const outcome = outcomeOfDetailFailure(parseDetail(detail) as Parameters<typeof outcomeOfDetailFailure>[0])
      expect(outcome).toEqual({ status: 'failed', reason: 'WX_FAIL', error: expect.anything() })
    }
  })

  it('reads errno 0 beside an ok message as success', () => {
    expect(parseDetail({ errMsg: 'getPhoneNumber:ok', errno: 0, code: 'pc' })).toEqual({ kind: 'phone-code', data: { phoneCode: 'pc' } })
  })
})
