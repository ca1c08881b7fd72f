import type { SessionOptions } from '../app-session/app-session'
import type { Clock } from '../primitives/clock'
import type { EventListener } from '../wire/events'
import type { Release } from '../primitives/login-gate'
import type { LoginOutcome, Outcome, PrepareOutcome } from '../wire/outcome'
import type { FieldNames, OpenDataKind, ReplyKind } from '../wire/protocol'
import type { Platform } from '../wire/platforms'
import type { WxLike, WxRequestOptions, WxResponse } from '../wire/wx-api'

/** The payload as it goes on the wire: OpenDataPayload, with keys renamed by `fields`. */
export type WirePayload = Record<string, string>

export interface SessionGuardOptions<R = unknown> {
  /** The mini program platform, by uni-app's provider name (default 'weixin'); 'alipay' has no session_key and is refused. */
  platform?: Platform
  /** The platform's API object (`wx`, `qq`, `tt`, `swan`, `ks`, or Taro / uni); defaults to the platform's own global. */
  wx?: WxLike
  /** Sends a payload; resolves with the server's reply body, rejects only when the request itself failed. */
  send?: (payload: WirePayload) => Promise<R>
  /** Instead of `send`: POST the payload as JSON to this URL through wx.request. */
  url?: string
  /** Where `prepare()` sends a fresh login code; resolves with the server's reply. */
  sendLogin?: (code: string) => Promise<unknown>
  /** Instead of `sendLogin`: POST `{ code }` as JSON to this URL. */
  loginUrl?: string
  /** Maps a reply to what it means, for servers with another reply shape. */
  classify?: (reply: unknown) => ReplyKind
  /** Renames payload fields for an existing server. */
  fields?: FieldNames
  /** Bound in ms on any one call (default 10000). */
  timeout?: number
  /** Longest a consent hold (`holdLogins`) keeps logins back (default 30000). */
  holdMs?: number
  /** Diagnostics listener; every secret redacted. */
  onEvent?: EventListener
  /** Time source; tests pass a virtual clock. */
  clock?: Clock
  /** The app's own session token: read from replies, sent as `Bearer`, persisted; `false` for an app without one. */
  session?: SessionOptions | false
}

/** `openData(fetch, options)`: how this data goes. */
export interface OpenDataOptions<R = unknown> {
  /** Replaces the guard's sending for this data. */
  send?: (payload: WirePayload) => Promise<R>
  /** What the data is (sent as `dataKind`): 'chat-tool' for wx.getChatToolInfo, whose data has no watermark. */
  kind?: OpenDataKind
}

export interface GuardState {
  /** Holds that keep logins back: decrypts in flight and open consent dialogs. */
  holds: number
  /** 'waiting': a login is queued behind holds; 'in-flight': wx.login or its code request is under way. */
  login: 'idle' | 'waiting' | 'in-flight'
  needsLogin: boolean
  /** wx.login calls made so far. */
  logins: number
  waiters: number
}

export interface SessionGuard<R = unknown> {
  getPhoneNumber(detail: unknown): Promise<Outcome<R>>
  openData(fetch: () => unknown, send?: ((payload: WirePayload) => Promise<R>) | OpenDataOptions<R>): Promise<Outcome<R>>
  prepare(): Promise<PrepareOutcome>
  invalidate(): void
  /** Keeps logins back until released or `maxMs` passes: call it when the user presses a consent button. */
  holdLogins(maxMs?: number): Release
  inspect(): GuardState
  /** The one sanctioned app login: shares the guard's login flight, holds and rate budget. */
  login(): Promise<LoginOutcome>
  /** wx.request for the app's own API: token attached; a refused token costs one shared login and one replay. */
  request(options: WxRequestOptions): Promise<WxResponse>
  /** The current session token, or undefined. */
  token(): string | undefined
  /** Forgets the token, storage included; the next request or prepare() logs in. */
  logout(): void
}
