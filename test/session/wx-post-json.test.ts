/**
 * How url/loginUrl requests go out: JSON, the session header, the response whatever its HTTP status
 * (wx.request calls `success` for any status; what it means is read from the body, see
 * reply-by-body.test.ts), and a failed request as NETWORK.
 */
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
  it('POSTs JSON with the extra headers and resolves with the response of a 200', async () => {
    const { wx, seen } = answering({ statusCode: 200, data: { ok: true } })
    await expect(wxPostJson(wx, 'https://s/login', { code: 'c' }, 1000, { Authorization: 'Bearer t' })).resolves.toMatchObject({ statusCode: 200, data: { ok: true } })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      data: { code: 'c' },
      timeout: 1000,
      header: { 'content-type': 'application/json', Authorization: 'Bearer t' },
    })
  })

  it.each([400, 401, 404, 500, 502, 503])('resolves with the response of an HTTP %i too: its body decides', async (statusCode) => {
    const { wx } = answering({ statusCode, data: '<html>Bad Gateway</html>' })
    await expect(wxPostJson(wx, 'https://s/open-data', {}, 1000)).resolves.toMatchObject({ statusCode, data: '<html>Bad Gateway</html>' })
  })

  it('rejects a failed request with NETWORK and wx’s errMsg', async () => {
    const { wx } = answering({ fail: { errMsg: 'request:fail timeout' } })
    await expect(wxPostJson(wx, 'https://s/login', {}, 1000)).rejects.toMatchObject({ code: 'NETWORK', message: 'request:fail timeout' })
  })

  it('rejects with CONFIG when the wx object has no request', async () => {
    await expect(wxPostJson({ login: () => undefined, checkSession: () => undefined }, 'https://s', {}, 1000)).rejects.toMatchObject({ code: 'CONFIG' })
  })
})
