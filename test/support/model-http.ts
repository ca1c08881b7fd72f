/**
 * The WeChat model's developer server behind wx.request, as a url/loginUrl guard reaches it: each
 * reply gets the HTTP status (and, if the test says so, the body) a real framework would give it,
 * and the data route may check the app's Bearer token the way an auth middleware does.
 */
import type { WxLike, WxRequestOptions, WxResponse } from '../../miniprogram_npm_src/wire/wx-api'
import type { World } from '../../simulator/world/world'

export const DATA_URL = 'https://api.example.com/open-data'
export const LOGIN_URL = 'https://api.example.com/login'

export type Route = 'data' | 'login'

export interface HttpShape {
  /** The HTTP status and body for the server's reply on a route; default: 200 and the reply. */
  respond?: (reply: { ok: boolean; reason?: string }, route: Route) => { statusCode: number; data?: unknown }
  /** The data route refuses a Bearer token the app server no longer accepts, before the handler runs. */
  refuseUnknownTokens?: { statusCode: number; data: unknown }
}

function bearer(header: Record<string, string> | undefined): string | undefined {
  const auth = Object.entries(header || {}).find(([name]) => name.toLowerCase() === 'authorization')
  const match = auth && /^Bearer (.+)$/.exec(auth[1])
  return match ? match[1] : undefined
}

export function httpWorld(world: World, shape: HttpShape = {}) {
  /** Data requests the middleware refused, with the token each carried. */
  const refused: { payload: Record<string, string>; token?: string }[] = []
  type Options = WxRequestOptions & { success?: (res: WxResponse) => void; fail?: (err: object) => void }
  const answer = (options: Options, route: Route, reply: Promise<{ ok: boolean; reason?: string }>) =>
    void reply.then(
      (body) => {
        const { statusCode, data = body } = shape.respond ? shape.respond(body, route) : { statusCode: 200 }
        options.success?.({ statusCode, data, header: {} })
      },
      // A lost request or reply: wx.request's fail.
      (err: object) => options.fail?.(err),
    )
  const request = (options: Options) => {
    const payload = options.data as Record<string, string>
    if (options.url === LOGIN_URL) return answer(options, 'login', world.network.sendLogin(payload.code))
    if (options.url !== DATA_URL) return world.app.wx.request(options)
    const token = bearer(options.header)
    const gate = shape.refuseUnknownTokens
    if (gate && payload.sessionKeyValidFlag === '1' && !(token !== undefined && world.app.accepted.has(token))) {
      refused.push({ payload, token })
      // A refused decrypt request is still a flag-'1' request in flight: no login may start under it.
      const sealed = !!payload.encryptedData
      if (sealed) world.network.decryptsInFlight++
      world.clock.setTimeout(() => {
        if (sealed) world.network.decryptsInFlight--
        options.success?.({ ...gate, header: {} })
      }, 100)
      return
    }
    answer(options, 'data', world.network.send(payload))
  }
  // The world's own wx: a second guard on it shares the login, the rate budget and the holds.
  const wx: WxLike = world.wx
  wx.request = request as WxLike['request']
  return { wx, refused }
}
