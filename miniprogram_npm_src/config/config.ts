import { createAppSession, type AppSession } from '../app-session/app-session'
import { monotonic, systemClock, type Clock } from '../primitives/clock'
import { SessionGuardError } from '../errors/errors'
import type { GuardEvent } from '../wire/events'
import type { SessionGuardOptions } from './guard-api'
import { classifyDefaultReply, type FieldNames, type ReplyKind } from '../wire/protocol'
import { wxPostJson, type WxLike } from '../wire/wx-api'
import { dataReplyOf, replyOf } from './read-reply'

const DEFAULT_TIMEOUT = 10000
const DEFAULT_HOLD_MS = 30000
const MAX_TIMER_MS = 2147483647

/** How a payload reaches the developer's server. */
export type Send<R> = (payload: Record<string, string>) => Promise<R>

/** One guard's settings, checked once; everything a tap needs besides the shared per-wx state. */
export interface GuardConfig<R> {
  api: WxLike
  /** The app's own session token: sent with url/loginUrl, renewed by every reply that carries one. */
  app: AppSession
  clock: Clock
  timeout: number
  holdMs: number
  send: Send<R>
  sendLogin: ((code: string) => Promise<unknown>) | undefined
  fields: FieldNames | undefined
  classify(reply: unknown): ReplyKind
  /** Absent without a listener, so the hot path builds no events. */
  emit: ((event: GuardEvent) => void) | undefined
}

export function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  // setTimeout takes a signed 32-bit delay; past it, engines fire at once.
  if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS) {
    throw new SessionGuardError('CONFIG', `${name} must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`)
  }
  return value
}

declare const wx: WxLike | undefined

export function resolveConfig<R>(options: SessionGuardOptions<R>): GuardConfig<R> {
  const api = options.wx || (typeof wx !== 'undefined' ? wx : undefined)
  if (!api || typeof api.login !== 'function' || typeof api.checkSession !== 'function') {
    throw new SessionGuardError('CONFIG', 'no wx: pass options.wx')
  }
  const timeout = positiveMs(options.timeout, DEFAULT_TIMEOUT, 'timeout')
  const { classify = classifyDefaultReply, onEvent } = options
  const { url, loginUrl } = options
  const app = createAppSession(api, options.session)
  // url/loginUrl requests carry the session token; with send/sendLogin, the app's function can read guard.token().
  const post = (to: string, body: unknown) => wxPostJson(api, to, body, timeout, app.headers())
  const postData = (to: string, payload: Record<string, string>) => {
    const token = app.token()
    return post(to, payload).then((res) => dataReplyOf(res, token, app, config.classify) as R)
  }
  const send = options.send || (url ? (payload: Record<string, string>) => postData(url, payload) : undefined)
  if (!send) throw new SessionGuardError('CONFIG', 'pass send or url')
  const config: GuardConfig<R> = {
    api,
    app,
    clock: monotonic(options.clock || systemClock),
    timeout,
    holdMs: positiveMs(options.holdMs, DEFAULT_HOLD_MS, 'holdMs'),
    send,
    sendLogin: options.sendLogin || (loginUrl ? (code: string) => post(loginUrl, { code }).then((res) => replyOf(res, config.classify)) : undefined),
    fields: options.fields,
    classify(reply) {
      try {
        return classify(reply)
      } catch {
        return 'failed'
      }
    },
    emit: onEvent
      ? (event) => {
          try {
            onEvent(event)
          } catch {
            // A broken listener must not break logins.
          }
        }
      : undefined,
  }
  return config
}
