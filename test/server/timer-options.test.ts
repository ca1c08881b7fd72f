/**
 * Every bound in ms the companion hands to a timer is checked when the object is made: past 2^31-1 ms
 * Node's setTimeout fires at once (and warns), so a "longer" bound would be no bound at all — a store
 * call, a body or a WeChat call timed out the moment it began.
 */
import { createHttpHandler, createOpenDataHandler, createSessionTokens, createWeChatApi, requireSession } from '../../server'

const SECRET = 'a-session-secret-of-at-least-32-chars'
const configError = expect.objectContaining({ name: 'ServerError', code: 'CONFIG' })
const handler = () => createOpenDataHandler({ appId: 'wx4f4bc4dec97d474b', appSecret: 'app-secret' })

const makers: [string, (ms: number) => unknown][] = [
  ['createOpenDataHandler storeTimeoutMs', (ms) => createOpenDataHandler({ appId: 'wx4f4bc4dec97d474b', appSecret: 'app-secret', storeTimeoutMs: ms })],
  ['createHttpHandler bodyTimeoutMs', (ms) => createHttpHandler(handler(), { sessionSecret: SECRET, bodyTimeoutMs: ms })],
  ['createHttpHandler hookTimeoutMs', (ms) => createHttpHandler(handler(), { sessionSecret: SECRET, hookTimeoutMs: ms })],
  ['createWeChatApi timeoutMs', (ms) => createWeChatApi({ appId: 'wx4f4bc4dec97d474b', appSecret: 'app-secret', timeoutMs: ms })],
  ['createSessionTokens hookTimeoutMs', (ms) => createSessionTokens({ sessionSecret: SECRET, hookTimeoutMs: ms })],
  ['requireSession hookTimeoutMs', (ms) => requireSession({ sessionSecret: SECRET, hookTimeoutMs: ms })],
]

describe.each(makers)('%s', (_name, make) => {
  it.each([2 ** 31, 1e12, Number.MAX_SAFE_INTEGER])('%p ms is a CONFIG error at creation', (ms) => {
    expect(() => make(ms)).toThrow(configError)
  })

  it('2^31-1 ms, the longest a timer waits, is accepted', () => {
    expect(() => make(2 ** 31 - 1)).not.toThrow()
  })
})
