import type { IncomingMessage, ServerResponse } from 'node:http'
import { describePolicies } from '../model/policy-names'
import type { WeChatModel } from '../model/wechat'

/**
 * DEVELOPMENT ONLY. The simulated WeChat's client side over HTTP, so a person
 * (curl, the example in the devtools) can drive the model the companion's
 * jscode2session answers from. Every reply says it is simulated.
 *
 *   POST /dev-wechat/login          → { errMsg: 'login:ok', code }      (wx.login)
 *   POST /dev-wechat/check-session  → { errMsg: 'checkSession:ok' | … }  (wx.checkSession)
 *   POST /dev-wechat/consent        → { errMsg, iv, encryptedData, code? } (the user taps "允许"; {"phoneCode":true} adds a phone code)
 *   POST /dev-wechat/rotate-key     another device logs in: the key changes under this one
 *   POST /dev-wechat/expire         the session times out
 *   POST /dev-wechat/lose-server-key  the companion forgets the user's key (a restart, a flushed cache)
 *   GET  /dev-wechat                policies and call counts
 */

export const DEV_WECHAT_PREFIX = '/dev-wechat'
export const DEV_WECHAT_HEADER = 'x-simulated-wechat'
/** No call into the model waits longer than this. */
export const DEV_WECHAT_TIMEOUT_MS = 5000

export interface DevWeChatOptions {
  /** What "the server lost its key" does to the companion. */
  loseServerKey: () => Promise<void>
}

type Json = Record<string, unknown>

function reply(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', [DEV_WECHAT_HEADER]: 'development-only' })
  res.end(JSON.stringify({ ...body, simulated: true }))
}

/** Runs a callback-style model call, bounded: a model that never calls back answers a timeout. */
function viaCallbacks(start: (done: (body: Json) => void) => void): Promise<Json> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ errMsg: 'simulated WeChat did not answer in time' }), DEV_WECHAT_TIMEOUT_MS)
    start((body) => {
      clearTimeout(timer)
      resolve(body)
    })
  })
}

function readBody(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= 4096) chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
        resolve(parsed && typeof parsed === 'object' ? parsed : {})
      } catch {
        resolve({})
      }
    })
    req.on('error', () => resolve({}))
  })
}

function state(wechat: WeChatModel): Json {
  const count = (api: string) => wechat.calls.filter((c) => c.api === api).length
  return {
    developmentOnly: 'a simulated WeChat for trying the protocol; off whenever WX_APPID/WX_SECRET are set',
    policies: { ...wechat.policies, inWords: describePolicies(wechat.policies) },
    calls: { login: count('login'), checkSession: count('checkSession'), overLimit: wechat.limitedCalls },
    expired: wechat.expired,
    keyRotations: wechat.rotations.length,
  }
}

async function route(wechat: WeChatModel, options: DevWeChatOptions, action: string, body: Json, seq: number): Promise<Json | undefined> {
  switch (action) {
    case 'login':
      return viaCallbacks((done) => wechat.wx.login({ success: (r) => done({ ...r }), fail: (e) => done({ ...e }) }))
    case 'check-session':
      return viaCallbacks((done) => wechat.wx.checkSession({ success: (r) => done({ ...(r as Json) }), fail: (e) => done({ ...(e as Json) }) }))
    case 'consent':
      return { ...wechat.consent(`consent-${seq}`, body.phoneCode === true).detail }
    case 'rotate-key':
      wechat.loginElsewhere()
      return { ok: true, happened: 'another device logged in: WeChat now seals with a new key; the companion still holds the old one' }
    case 'expire':
      wechat.expire()
      return { ok: true, happened: 'the session timed out: wx.checkSession now fails' }
    case 'lose-server-key':
      await options.loseServerKey()
      return { ok: true, happened: 'the companion forgot the user’s session_key' }
    default:
      return undefined
  }
}

/** A node:http handler for DEV_WECHAT_PREFIX paths; answers 404 for unknown actions and wrong methods. */
export function createDevWeChatHandler(wechat: WeChatModel, options: DevWeChatOptions) {
  let requests = 0
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const action = (req.url || '').split('?')[0].slice(DEV_WECHAT_PREFIX.length).replace(/^\/+|\/+$/g, '')
    if (action === '' && req.method === 'GET') return reply(res, 200, state(wechat))
    const body = req.method === 'POST' ? await readBody(req) : undefined
    const answer = body && (await route(wechat, options, action, body, ++requests))
    if (answer) reply(res, 200, answer)
    else reply(res, 404, { ok: false, reason: 'NOT_FOUND', routes: ['login', 'check-session', 'consent', 'rotate-key', 'expire', 'lose-server-key'] })
  }
}

/** What the companion answers on DEV_WECHAT_PREFIX when real WeChat credentials are set. */
export function refuseDevWeChat(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify({ ok: false, reason: 'SIMULATED_WECHAT_OFF', message: 'the simulated WeChat is development-only and off while WX_APPID/WX_SECRET are set' }))
}

export function isDevWeChatPath(url: string | undefined): boolean {
  const path = (url || '').split('?')[0]
  return path === DEV_WECHAT_PREFIX || path.startsWith(`${DEV_WECHAT_PREFIX}/`)
}
