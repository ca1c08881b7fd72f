/** bench:load's clients: one loopback user each, and a phase of requests measured for latency and server CPU. */
import { Agent, request } from 'node:http'
import { codeFor } from './bench-load-users'
import { serverCpu, type Servers } from './bench-load-servers'

export interface Client {
  user: number
  token?: string
  logins: number
  sealed: { iv: string; encryptedData: string }
}

export type Kind = 'login' | 'flag0' | 'flag1' | 'bare'

export interface Sent {
  status: number
  reply: Record<string, unknown>
}

export function post(agent: Agent, port: number, path: string, body: object, token?: string): Promise<Sent> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }
    if (token) headers.authorization = `Bearer ${token}`
    const req = request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode || 0, reply: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
        } catch (error) {
          reject(error)
        }
      })
      res.on('error', reject)
    })
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end(text)
  })
}

export function send(agent: Agent, port: number, client: Client, kind: Kind): Promise<Sent> {
  switch (kind) {
    case 'login':
      return post(agent, port, '/login', { code: codeFor(client.user, ++client.logins) })
    case 'flag0':
      return post(agent, port, '/open-data', { code: codeFor(client.user, ++client.logins), sessionKeyValidFlag: '0', ...client.sealed })
    case 'flag1':
      return post(agent, port, '/open-data', { code: '', sessionKeyValidFlag: '1', ...client.sealed }, client.token)
    case 'bare':
      return post(agent, port, '/open-data', { user: client.user, ...client.sealed })
  }
}

export interface PhaseResult {
  requests: number
  seconds: number
  latenciesMs: number[]
  cpuUsPerRequest: number
  failures: number
}

export async function phase(servers: Servers, agent: Agent, clients: Client[], requests: number, capMs: number, pick: () => Kind): Promise<PhaseResult> {
  const cpuBefore = await serverCpu(servers.workers)
  const latenciesMs: number[] = []
  let started = 0
  let failures = 0
  const begin = process.hrtime.bigint()
  const deadline = Date.now() + capMs
  await Promise.all(
    clients.map(async (client) => {
      while (started < requests && Date.now() < deadline) {
        started++
        const kind = pick()
        const t0 = process.hrtime.bigint()
        try {
          const { reply } = await send(agent, servers.port, client, kind)
          if (reply.ok !== true) failures++
          if (typeof reply.token === 'string') client.token = reply.token
        } catch {
          failures++
        }
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    }),
  )
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9
  const cpu = (await serverCpu(servers.workers)) - cpuBefore
  return { requests: latenciesMs.length, seconds, latenciesMs, cpuUsPerRequest: cpu / Math.max(1, latenciesMs.length), failures }
}

/** 15% login, 15% flag '0', 70% flag '1'. */
export const mixed = (): Kind => {
  const r = Math.random()
  return r < 0.15 ? 'login' : r < 0.3 ? 'flag0' : 'flag1'
}

// ---------- the run ----------
