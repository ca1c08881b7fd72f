import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** The most of one reply the kit reads: a protocol reply is a few hundred bytes, phone data a few KiB. */
export const REPLY_BYTES_LIMIT = 1024 * 1024
/** The most the kit lets one reply's headers take (Node's own default, stated). */
export const HEADER_BYTES_LIMIT = 16 * 1024
/** The longest the kit waits for one whole reply, headers and body: the guard's default timeout (10 s) and a margin. */
export const REQUEST_TIMEOUT_MS = 12_000

export interface RawReply {
  status: number
  contentType: string
  text: string
}

/** Why the kit stopped reading: no whole reply in time, a reply too big, or the transport failed. */
export class PostFailed extends Error {
  constructor(
    readonly why: 'timeout' | 'too-large' | 'transport',
    message: string,
    /** The status line, when it came before the failure: the backend is up, its reply is not usable. */
    readonly status?: number,
  ) {
    super(message)
  }
}

/**
 * One POST with every read bounded: the whole reply (headers and body) within `timeoutMs`, the body
 * within `limitBytes`. Past either bound the socket is destroyed, so a dripping or endless reply
 * costs the kit at most the bound in time and memory.
 */
export function boundedPost(url: string, headers: Record<string, string>, body: string, timeoutMs = REQUEST_TIMEOUT_MS, limitBytes = REPLY_BYTES_LIMIT): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, maxHeaderSize: HEADER_BYTES_LIMIT })
    let status: number | undefined
    const fail = (why: PostFailed['why'], message: string) => {
      clearTimeout(timer)
      req.destroy()
      reject(new PostFailed(why, message, status))
    }
    const timer = setTimeout(() => fail('timeout', `no whole reply within ${timeoutMs / 1000} s`), timeoutMs)
    req.on('error', (error) => fail('transport', error.message))
    req.on('response', (res: IncomingMessage) => {
      status = res.statusCode
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limitBytes) return fail('too-large', `a reply over ${limitBytes / 1024} KiB: the kit stopped reading`)
        chunks.push(chunk)
      })
      res.on('error', (error) => fail('transport', error.message))
      res.on('end', () => {
        clearTimeout(timer)
        const type = res.headers['content-type']
        resolve({ status: status || 0, contentType: typeof type === 'string' ? type : '', text: Buffer.concat(chunks).toString('utf8') })
      })
    })
    req.end(body)
  })
}
