import type { DefaultReply } from '../../miniprogram_npm_src/wire/protocol'
import type { Platform } from '../platforms/platform'

export type Reply = DefaultReply<{ data?: Record<string, unknown>; source?: 'decrypt' | 'phone-code' | 'cloud-id' }>

/** What a handler returns: the reply for the client, and the user it turned out to be (never the key). */
export interface HandlerResult {
  reply: Reply
  openid?: string
  /** A login code was exchanged and its key stored for this request: the place to issue your own session token. */
  exchanged?: boolean
}

/** What the platform adds to a request: the cloud-function adapter opens cloudIDs. */
export interface OpenDataContext {
  openCloudID?: (cloudID: string) => Promise<Record<string, unknown>>
}

export interface OpenDataHandler {
  /** The app it serves: what the HTTP adapter signs into its session tokens. */
  readonly appId?: string
  /** The platform it serves (absent: WeChat): signed into the tokens with the appid. */
  readonly platform?: Platform
  /** The guard's payload; `openid` is who your own auth says is asking (needed for flag '1'). */
  openData(payload: unknown, openid?: string, context?: OpenDataContext): Promise<HandlerResult>
  /** The guard's prepare(): exchange a fresh login code and keep its key. */
  login(body: unknown): Promise<HandlerResult>
}
