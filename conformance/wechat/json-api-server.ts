import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ApiRequest {
  method: string
  path: string
  query: URLSearchParams
  /** A POST's JSON object body; {} for anything else. */
  body: Record<string, unknown>
}

/** The JSON to answer, or undefined for a 404. A promise may settle late: stop() cuts it off. */
export type ApiAnswer = (request: ApiRequest) => object | undefined | Promise<object | undefined>

export interface ApiServer {
  base: string
  stop(): Promise<void>
}

const BODY_LIMIT = 16 * 1024

/**
 * WeChat's server API shape on loopback: every answer is HTTP 200 JSON (errors are errcodes), paths
 * are WeChat's. Shared by the kit's scripted fake and the simulator's model-backed one.
 */
export async function serveJsonApi(answer: ApiAnswer, port = 0): Promise<ApiServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://127.0.0.1')
    void readJson(req)
      .then((body) => answer({ method: req.method || 'GET', path: url.pathname, query: url.searchParams, body: req.method === 'POST' ? body : {} }))
      .then(
        (reply) => {
          if (res.writableEnded || res.destroyed) return
          if (reply === undefined) return void res.writeHead(404).end()
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply))
        },
        () => res.destroy(),
      )
  })
  return listenOnLoopback(server, port)
}

/** Listens on 127.0.0.1:`port` (0: any free one); stop() closes every connection too. */
export async function listenOnLoopback(server: Server, port: number): Promise<ApiServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject)
      resolve()
    })
  })
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The body's first BODY_LIMIT bytes as text ('' on a broken request); the rest is read and dropped. */
export function readSmallBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= BODY_LIMIT) chunks.push(chunk)
    })
    req.on('error', () => resolve(''))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/** A small JSON object body; anything else reads as {}. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse((await readSmallBody(req)) || 'null')
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {}
  }
}
