import { createServer, request, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Listening {
  server: Server
  base: string
  close(): Promise<void>
}

/** A node:http server on a free loopback port; close() also drops kept-alive sockets. */
export async function listen(listener: RequestListener): Promise<Listening> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

export interface RawReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/**
 * One request on node:http, with full control of headers and of when the body ends: `body` chunks
 * are written, and the request is ended only if `end` is not false.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string[]; end?: boolean }): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method || 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode || 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    for (const chunk of options.body || []) req.write(chunk)
    if (options.end !== false) req.end()
  })
}
