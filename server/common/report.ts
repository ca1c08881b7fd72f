import { ServerError, isServerError } from './errors'

/** Where a failure happened; never carries a code, a key or open data. */
export interface ErrorContext {
  stage: 'claimCode' | 'code2Session' | 'store.set' | 'store.get' | 'releaseCode' | 'phoneCode' | 'cloudID' | 'identify' | 'onLogin' | 'reply' | 'body' | 'revocation'
  openid?: string
}

/** For operators: called for every failure the companion answered for, never with a secret in it. */
export type ErrorHook = (error: ServerError, context: ErrorContext) => void

export type Report = (error: unknown, context: ErrorContext) => void

/**
 * The companion's own errors are written without secrets; anything else (a store client's error
 * carries its command's arguments) is reduced to its kind before the hook sees it.
 */
export function redact(error: unknown, context: ErrorContext): ServerError {
  if (isServerError(error)) return error
  const kind = error instanceof Error ? error.name : typeof error
  return new ServerError(context.stage.startsWith('store') ? 'STORE_UNAVAILABLE' : 'WECHAT_ERROR', `${context.stage} failed (${kind})`)
}

export function reporter(hook: ErrorHook | undefined): Report {
  return (error, context) => {
    if (!hook) return
    try {
      hook(redact(error, context), context)
    } catch {
      // An operator's hook that throws must not change the answer a user gets.
    }
  }
}
