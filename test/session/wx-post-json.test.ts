/**
 * What url/loginUrl requests count as a reply: a 2xx/3xx body. wx.request calls `success` for any
 * HTTP status, so a 502 page or a 401 must not pass for the server's answer.
 */
import { isGuardError } from '../../miniprogram_npm_src/errors/errors'
import { wxPostJson, type WxLike, type WxRequestOptions, type WxResponse } from '../../miniprogram_npm_src/wire/wx-api'

function answering(result: { statusCode: number; data: unknown } | { fail: { errMsg: string } }) {
  const seen: WxRequestOptions[] = []
  const wx: WxLike = {
    login: () => undefined,
    checkSession: () => undefined,
    request: (options: WxRequestOptions & { success?: (res: WxResponse) => void; fail?: (err: object) => void }) => {
      seen.push(options)
      if ('fail' in result) options.fail?.(result.fail)
      else options.success?.({ ...result, header: {} })
    },
  }
  return { wx, seen }
}

describe('wxPostJson', () => {
  it('POSTs JSON with the extra headers and resolves with the body of a 200', async () => {
    const { wx, seen } = answering({ statusCode: 200, data: { ok: true } })
    await expect(wxPostJson(wx, 'https://s/login', { code: 'c' }, 1000, { Authorization: 'Bearer t' })).resolves.toEqual({ ok: true })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      data: { code: 'c' },
      timeout: 1000,
      header: { 'content-type': 'application/json', Authorization: 'Bearer t' },
    })
  })

  it.each([400, 401, 404, 500, 502, 503])('rejects an HTTP %i with NETWORK, keeping the response for diagnostics', async (statusCode) => {
    const { wx } = answering({ statusCode, data: '<html>Bad Gateway</html>' })
    const error = await wxPostJson(wx, 'https://s/open-data', {}, 1000).catch((e: unknown) => e)
    expect(isGuardError(error, 'NETWORK')).toBe(true)
    expect(error).toMatchObject({ message: `HTTP ${statusCode}`, cause: { statusCode, data: '<html>Bad Gateway</html>' } })
  })

  it('rejects a failed request with NETWORK and wx’s errMsg', async () => {
    const { wx } = answering({ fail: { errMsg: 'request:fail timeout' } })
    await expect(wxPostJson(wx, 'https://s/login', {}, 1000)).rejects.toMatchObject({ code: 'NETWORK', message: 'request:fail timeout' })
  })

  it('rejects with CONFIG when the wx object has no request', async () => {
    await expect(wxPostJson({ login: () => undefined, checkSession: () => undefined }, 'https://s', {}, 1000)).rejects.toMatchObject({ code: 'CONFIG' })
  })
})
