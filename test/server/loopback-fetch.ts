import { request } from 'node:http'

/**
 * The slice of fetch the companion and the example tests use (JSON over http on loopback), on
 * node:http, for jsdom test environments where the global fetch is absent.
 */
export function loopbackFetch(url: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(String(url), { method: init.method || 'GET', headers: init.headers as Record<string, string> }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode || 0, ok: (res.statusCode || 0) < 400, json: async () => JSON.parse(text), text: async () => text } as Response)
      })
    })
    req.on('error', reject)
    if (init.body) req.write(init.body)
    req.end()
  })
}
