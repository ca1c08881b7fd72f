/**
 * Backends a careless reader would pass or get stuck on: a proxy that turns 200 into 500, tokens the
 * guard refuses, a reply of 1 GiB, a reply that drips, headers that never end. Each is a real server
 * on loopback; the companion-based ones wrap the real companion, the others answer every request alike.
 */
import { randomBytes } from 'node:crypto'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import type { OpenDataHandler, WeChatApi } from '../../server'
import { listen, type Listening } from '../server/http-listen'
import { companion, type Breakage } from './companion-under-test'

/** A reverse proxy in front of `target` that answers every 200 as 500 and leaves the bodies alone. */
export function statusFlippingProxy(target: string): Promise<Listening> {
  return listen((req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(target + (req.url || '/'), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode === 200 ? 500 : answer.statusCode || 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
}

/** A reverse proxy in front of `target` that answers every `{ ok: false }` body with `status` (as Spring or Laravel apps do). */
export function failureStatusProxy(target: string, status: number): Promise<Listening> {
  return listen((req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(target + (req.url || '/'), { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        const body = Buffer.concat(chunks)
        const failed = /^\{"ok":false/.test(body.toString('utf8'))
        res.writeHead(failed && answer.statusCode === 200 ? status : answer.statusCode || 502, { 'content-type': 'application/json' }).end(body)
      })
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
}

/** Tokens of 4,200 characters, issued on every login and honoured on flag '1' (no guard would ever send one). */
export function longTokens(length = 4200): Breakage {
  const users = new Map<string, string>()
  return {
    identity: (lifetimeSeconds) => ({
      onLogin: (openid: string) => {
        const token = `lt-${randomBytes(16).toString('hex')}`.padEnd(length, 'x')
        users.set(token, openid)
        return { token, expiresIn: lifetimeSeconds }
      },
      identify: (req: IncomingMessage) => users.get(/^Bearer (\S+)$/.exec(String(req.headers.authorization || ''))?.[1] || ''),
    }),
  }
}

/** The key is stored and DECRYPT_FAILED answered, but no token comes with it (P-ID-1's SHOULD). */
export function noTokenAfterDecryptFailed(): Breakage {
  return {
    handler: (inner): OpenDataHandler => ({
      appId: inner.appId,
      login: (body) => inner.login(body),
      async openData(payload, openid, context) {
        const result = await inner.openData(payload, openid, context)
        const failed = result.reply.ok === false && (result.reply as { reason?: unknown }).reason === 'DECRYPT_FAILED'
        return failed ? { ...result, exchanged: false } : result
      },
    }),
  }
}

/**
 * "One token per user": the first token an openid got is handed out again at every later login (a
 * cache keyed by openid), so no login can be revoked alone (P-ID-5's SHOULD). Tokens still verify.
 */
export function oneTokenPerUser(): Breakage {
  return {
    identity: (lifetimeSeconds) => {
      const tokens = companion.createSessionTokens({ sessionSecret: 'a-session-secret-of-at-least-32-chars', sessionLifetimeSeconds: lifetimeSeconds })
      const given = new Map<string, { token: string; expiresIn: number }>()
      return {
        onLogin: (openid) => {
          if (!given.has(openid)) given.set(openid, tokens.issue(openid))
          return { ...(given.get(openid) as { token: string; expiresIn: number }) }
        },
        identify: (req) => tokens.verify(/^Bearer (\S+)$/.exec(String(req.headers.authorization || ''))?.[1]),
      }
    },
  }
}

/** Counts what a streaming server produced for each reply, so a test can tell how much the kit let through. */
export interface Produced {
  perReply: number[]
}

/**
 * Answers every request 200 with a JSON body of `totalBytes`, produced lazily as the socket takes it:
 * a reader that stops reading stops the production.
 */
export function hugeReplies(totalBytes: number): Promise<Listening & Produced> {
  const perReply: number[] = []
  const chunk = Buffer.alloc(64 * 1024, 'a')
  return listen((req, res) => {
    req.resume()
    req.on('end', () => {
      const index = perReply.push(0) - 1
      res.writeHead(200, { 'content-type': 'application/json' })
      const body = Readable.from(
        (function* () {
          yield Buffer.from('{"ok":true,"pad":"')
          for (let sent = 0; sent < totalBytes; sent += chunk.length) {
            perReply[index] += chunk.length
            yield chunk
          }
          yield Buffer.from('"}')
        })(),
      )
      body.pipe(res)
      res.on('close', () => body.destroy())
    })
  }).then((running) => Object.assign(running, { perReply }))
}

/** Answers every request 200 with the start of an ok body, then one space every `everyMs`, never ending. */
export function drippingReplies(everyMs: number): Promise<Listening> {
  return listen((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"ok":true')
      const drip = setInterval(() => res.write(' '), everyMs)
      res.on('close', () => clearInterval(drip))
    })
  })
}

/** A TCP server whose answer is a status line and then header lines forever: dripping, or as fast as the socket takes them. */
export async function endlessHeaders(everyMs: number | 'flood'): Promise<{ base: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\n')
      let n = 0
      const line = () => `X-Header-${++n}: ${'h'.repeat(64)}\r\n`
      if (everyMs === 'flood') {
        const flood = () => {
          while (!socket.destroyed && socket.write(line()));
        }
        socket.on('drain', flood)
        flood()
      } else {
        const drip = setInterval(() => socket.write(line()), everyMs)
        socket.on('close', () => clearInterval(drip))
      }
    })
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** getuserphonenumber called as before 2023: the phone code alone (`openid`: none), or with an id that is not the openid. */
export function phoneCodeOpenid(named: 'none' | 'wrong'): Breakage {
  return {
    api: (inner): WeChatApi => ({
      code2Session: (code) => inner.code2Session(code),
      getPhoneNumberByCode: (phoneCode, openid) => inner.getPhoneNumberByCode(phoneCode, named === 'none' || openid === undefined ? undefined : `user-${openid.length}`),
    }),
  }
}
