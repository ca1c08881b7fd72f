import type { IncomingMessage } from 'node:http'

/** Why a body could not be had: the HTTP status and the reply's reason. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413,
    readonly reason: 'BAD_INPUT' | 'BODY_TIMEOUT' | 'TOO_LARGE',
  ) {
    super(reason)
  }
}

export interface BodyLimits {
  maxBodyBytes: number
  bodyTimeoutMs: number
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text || 'null')
  } catch {
    throw new BodyError(400, 'BAD_INPUT')
  }
}

/** What a body parser (express.json(), koa-bodyparser) already made of the request, if one ran. */
export function parsedBody(body: unknown): unknown {
  if (typeof body === 'string') return parseJson(body)
  if (Buffer.isBuffer(body)) return parseJson(body.toString('utf8'))
  return body
}

/**
 * Reads a JSON body within a size and a time bound. A Content-Length over the limit is refused
 * before a byte is read; a body that arrives too slowly is cut off at the deadline.
 */
export function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const declared = Number(req.headers['content-length'])
  if (declared > limits.maxBodyBytes) return Promise.reject(new BodyError(413, 'TOO_LARGE'))
  // Something consumed the stream without leaving a body: nothing will ever arrive.
  if (req.readableEnded) return Promise.reject(new BodyError(400, 'BAD_INPUT'))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = (error?: BodyError) => {
      clearTimeout(timer)
      req.removeListener('data', onData)
      req.removeListener('end', onEnd)
      req.removeListener('error', onError)
      if (error) reject(error)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limits.maxBodyBytes) stop(new BodyError(413, 'TOO_LARGE'))
      else chunks.push(chunk)
    }
    const onEnd = () => {
      stop()
      try {
        resolve(parseJson(Buffer.concat(chunks).toString('utf8')))
      } catch (error) {
        reject(error)
      }
    }
    const onError = () => stop(new BodyError(400, 'BAD_INPUT'))
    const timer = setTimeout(() => stop(new BodyError(408, 'BODY_TIMEOUT')), limits.bodyTimeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/**
 * After a refusal the rest of the body is drained so the answer reaches the client, but only for
 * as long as a body may take: then the connection is closed.
 */
export function discardRest(req: IncomingMessage, bodyTimeoutMs: number): void {
  if (req.readableEnded) return
  const timer = setTimeout(() => req.socket.destroy(), bodyTimeoutMs)
  timer.unref()
  req.once('end', () => clearTimeout(timer))
  req.once('close', () => clearTimeout(timer))
  req.resume()
}
