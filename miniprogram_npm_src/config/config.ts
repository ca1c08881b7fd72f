import { createAppSession, type AppSession } from '../app-session/app-session'
import { monotonic, systemClock, type Clock } from '../primitives/clock'
import { positiveMs } from '../primitives/finite'
import { SessionGuardError } from '../errors/errors'
import type { GuardEvent } from '../wire/events'
import type { SessionGuardOptions } from './guard-api'
import { classifyDefaultReply, type FieldNames, type ReplyKind } from '../wire/protocol'
import { wxPostJson, type WxLike } from '../wire/wx-api'
import { platformApi } from '../wire/platforms'
import { dataReplyOf, replyOf } from './read-reply'
import { isObject } from '../wire/is-object'
import { deviceOf, type Device } from '../wire/device-slot'

const DEFAULT_TIMEOUT = 10000
const DEFAULT_HOLD_MS = 30000

/** How a payload reaches the developer's server. */
export type Send<R> = (payload: Record<string, string>) => Promise<R>

/** One guard's settings, checked once; everything a tap needs besides the shared per-wx state. */
export interface GuardConfig<R> {
  api: WxLike
  /** The call on `api` that yields a login code. */
  login: 'login' | 'getLoginCode'
  /** The app's own session token: sent with url/loginUrl, renewed by every reply that carries one. */
  app: AppSession
  clock: Clock
  /** The device's shared state: every copy of the package on this wx reaches the same one. */
  device: Device
  timeout: number
  holdMs: number
  send: Send<R>
  sendLogin: ((code: string) => Promise<unknown>) | undefined
  fields: FieldNames | undefined
  classify(reply: unknown): ReplyKind
  /** Absent without a listener, so the hot path builds no events. */
  emit: ((event: GuardEvent) => void) | undefined
}

/** What each option must be when given; `fields` maps to non-empty strings, `clock` has now, setTimeout and clearTimeout. */
const KINDS: Record<string, (value: unknown) => boolean> = {}
const isFunction = (value: unknown) => typeof value === 'function'
const isString = (value: unknown) => typeof value === 'string'
for (const name of ['send', 'sendLogin', 'classify', 'onEvent']) KINDS[name] = isFunction
KINDS.url = KINDS.loginUrl = isString
KINDS.fields = KINDS.clock = isObject

/** Every option is checked here, once, before any of it is used: a wrong type is a CONFIG error, never coerced. */
function checkOptions(options: Record<string, unknown>): void {
  const bad = (name: string) => {
    throw new SessionGuardError('CONFIG', 'options' + name + ' is invalid')
  }
  if (!isObject(options)) bad('')
  for (const name in KINDS) if (options[name] !== undefined && (!KINDS[name](options[name]) || !options[name])) bad('.' + name)
  const { fields, clock } = options as { fields?: Record<string, unknown>; clock?: Record<string, unknown> }
  if (fields && Object.keys(fields).some((key) => !fields[key] || typeof fields[key] !== 'string')) bad('.fields')
  if (clock && ['now', 'setTimeout', 'clearTimeout'].some((name) => typeof clock[name] !== 'function')) bad('.clock')
}

export function resolveConfig<R>(options: SessionGuardOptions<R>): GuardConfig<R> {
  checkOptions(options as unknown as Record<string, unknown>)
  // The platform is checked even when wx is given: 'alipay' is refused either way.
  const own = platformApi(options.platform)
  const api = options.wx || own
  // Baidu's login call is getLoginCode (its login is deprecated), where the object has it.
  const login = options.platform === 'baidu' && api && api.getLoginCode ? 'getLoginCode' : 'login'
  if (!api || typeof api[login] !== 'function' || typeof api.checkSession !== 'function') {
    throw new SessionGuardError('CONFIG', 'no wx: pass options.wx')
  }
  const timeout = positiveMs(options.timeout, DEFAULT_TIMEOUT, 'options.timeout', 'CONFIG')
  const holdMs = positiveMs(options.holdMs, DEFAULT_HOLD_MS, 'options.holdMs', 'CONFIG')
  const { classify = classifyDefaultReply, onEvent } = options
  const { url, loginUrl } = options
  const emit = onEvent
    ? (event: GuardEvent) => {
        try {
          onEvent(event)
        } catch {
          // A broken listener must not break logins.
        }
      }
    : undefined
  const clock = monotonic(options.clock || systemClock)
  const device = deviceOf(api, clock)
  const app = createAppSession(api, options.session, Date.now, emit, device)
  // url/loginUrl requests carry the session token; with send/sendLogin, the app's function can read guard.token().
  const post = (to: string, body: unknown) => wxPostJson(api, to, body, timeout, app.headers())
  const postData = (to: string, payload: Record<string, string>) => {
    const version = app.version()
    return post(to, payload).then((res) => dataReplyOf(res, version, app, config.classify) as R)
  }
  const send = options.send || (url ? (payload: Record<string, string>) => postData(url, payload) : undefined)
  if (!send) throw new SessionGuardError('CONFIG', 'pass send or url')
  const config: GuardConfig<R> = {
    api,
    login,
    app,
    clock,
    device,
    timeout,
    holdMs,
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
    emit,
  }
  return config
}
