import type { IncomingMessage } from 'node:http'
import type { ErrorHook } from '../common/report'
import type { SessionTokenOptions } from '../tokens/session-token'

export interface HttpAdapterOptions {
  /**
   * Your own auth: who is asking (from a token, a cookie). Only asked for flag-'1' open data, the one
   * request that needs to know; a throw or a timeout counts as "not identified".
   */
  identify?: (req: IncomingMessage) => string | undefined | Promise<string | undefined>
  /** Or let the companion issue and check its own signed tokens (`Authorization: Bearer`). */
  sessionSecret?: string | Buffer
  /** Lifetime of those tokens, seconds (default 1 day). */
  sessionLifetimeSeconds?: number
  /** The app signed into those tokens; by default the handler's appId. */
  appId?: string
  /** Denylist check for those tokens (see SessionTokenOptions.isRevoked), bounded by hookTimeoutMs. */
  isRevoked?: SessionTokenOptions['isRevoked']
  /** v1 tokens from before 0.2: read until they expire (default), or refused. */
  legacyTokens?: SessionTokenOptions['legacyTokens']
  /** Adds fields to every reply that follows a code exchange (login, or flag '0'). */
  onLogin?: (openid: string) => Record<string, unknown> | Promise<Record<string, unknown>>
  /** Told about every failure the companion answered for, secrets redacted. */
  onError?: ErrorHook
  paths?: { login?: string; openData?: string }
  /** Largest body read, bytes (default 128 KiB). */
  maxBodyBytes?: number
  /** Longest a body may take to arrive, ms (default 10 s). */
  bodyTimeoutMs?: number
  /** Bound on identify, onLogin and isRevoked, ms (default 3000). */
  hookTimeoutMs?: number
  now?: () => number
}
