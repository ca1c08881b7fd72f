/** Every error the server companion throws carries a `code`; messages never contain a key, a code or open data. */
export type ServerErrorCode =
  | 'BAD_INPUT'
  | 'CONFIG'
  | 'DECRYPT_FAILED'
  | 'WATERMARK_MISMATCH'
  | 'EXPIRED'
  | 'CODE_INVALID'
  | 'CODE_USED'
  | 'RATE_LIMITED'
  | 'USER_BLOCKED'
  | 'WECHAT_BUSY'
  | 'WECHAT_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'STORE_UNAVAILABLE'
  | 'STORE_FULL'
  | 'REVOCATION_UNAVAILABLE'

export class ServerError extends Error {
  readonly code: ServerErrorCode
  readonly errcode?: number
  /** True when the request certainly never reached WeChat (connection refused, unknown host). */
  readonly unsent?: boolean

  constructor(code: ServerErrorCode, message: string, errcode?: number, unsent?: boolean) {
    super(message)
    this.name = 'ServerError'
    this.code = code
    if (errcode !== undefined) this.errcode = errcode
    if (unsent) this.unsent = true
  }
}

export function isServerError(error: unknown, code?: ServerErrorCode): error is ServerError {
  return error instanceof ServerError && (code === undefined || error.code === code)
}

/** WeChat said it did not process the request (rate limit, busy) or never got it: a code sent there is still unused. */
export function wechatCertainlyUnused(error: unknown): boolean {
  return isServerError(error) && (error.code === 'RATE_LIMITED' || error.code === 'WECHAT_BUSY' || error.unsent === true)
}

export function configError(message: string): ServerError {
  return new ServerError('CONFIG', message)
}
