/** Every error the server companion throws carries a `code`; messages never contain a key. */
export type ServerErrorCode =
  | 'BAD_INPUT'
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

export class ServerError extends Error {
  readonly code: ServerErrorCode
  readonly errcode?: number

  constructor(code: ServerErrorCode, message: string, errcode?: number) {
    super(message)
    this.name = 'ServerError'
    this.code = code
    if (errcode !== undefined) this.errcode = errcode
  }
}

export function isServerError(error: unknown, code?: ServerErrorCode): error is ServerError {
  return error instanceof ServerError && (code === undefined || error.code === code)
}
