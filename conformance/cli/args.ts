import { parseArgs } from 'node:util'
import { KIT_PLATFORMS, isPlatformName, PLATFORM_NAMES } from '../platforms/all-platforms'
import type { PlatformName } from '../platforms/kit-platform'
import { REQUEST_TIMEOUT_MS } from '../client/bounded-post'

export interface KitOptions {
  /** The platform whose server API the kit fakes and whose sealing it uses (default weixin). */
  platform: PlatformName
  server: string
  loginPath: string
  dataPath: string
  wechatPort: number
  appId: string
  secret: string
  config?: string
  json: boolean
  /** SHOULD-level findings fail the run. */
  strict: boolean
  tokenLifetimeSeconds?: number
  expiredToken?: string
  waitSeconds: number
  /** The longest the kit waits for one whole reply, headers and body. */
  replyTimeoutSeconds: number
}

export const DEFAULTS = { loginPath: '/login', dataPath: '/open-data', wechatPort: 7301, appId: 'wx0123456789abcdef', secret: 'session-guard-conformance-secret', waitSeconds: 10, replyTimeoutSeconds: REQUEST_TIMEOUT_MS / 1000 }
export const MAX_TOKEN_LIFETIME_S = 30
const MAX_WAIT_S = 120

export const USAGE = `usage: session-guard-conformance --server <base URL> [--platform ${PLATFORM_NAMES.join('|')}] [--login-path ${DEFAULTS.loginPath}] [--data-path ${DEFAULTS.dataPath}]
       [--wechat-port ${DEFAULTS.wechatPort}] [--appid ${DEFAULTS.appId}, per platform] [--secret ${DEFAULTS.secret}]
       [--config <file exporting { classify, fields, header }>] [--json] [--strict]
       [--token-lifetime <s, at most ${MAX_TOKEN_LIFETIME_S}> | --expired-token <token>] [--wait <s, default ${DEFAULTS.waitSeconds}>]
       [--reply-timeout <s, default ${DEFAULTS.replyTimeoutSeconds}, at most ${MAX_WAIT_S}>]
Start the backend first with WECHAT_API_BASE=http://127.0.0.1:<wechat-port> and the same appid/secret
(--platform: the fake there is that platform's server API; Baidu's appid is its App Key).
Exit 0: every scenario passed (WARN rows: SHOULDs not followed); 1: one failed or was skipped (with --strict, a WARN too);
2: bad arguments or the server is unreachable.
Rules: docs/protocol.md (中文) / docs/protocol.en.md.`

export class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`)
  return value
}

function path(name: string, text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback
  if (!text.startsWith('/') || /\s/.test(text)) throw new UsageError(`--${name} must be a path starting with /`)
  return text
}

/** The fixed interface other tools drive; anything unknown or malformed is a UsageError (exit 2). */
export function parseKitArgs(argv: string[]): KitOptions | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        server: { type: 'string' },
        platform: { type: 'string' },
        'login-path': { type: 'string' },
        'data-path': { type: 'string' },
        'wechat-port': { type: 'string' },
        appid: { type: 'string' },
        secret: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        strict: { type: 'boolean' },
        'token-lifetime': { type: 'string' },
        'expired-token': { type: 'string' },
        wait: { type: 'string' },
        'reply-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return 'help'
  const server = values.server as string | undefined
  if (!server) throw new UsageError('--server <base URL> is required')
  let url: URL
  try {
    url = new URL(server)
  } catch {
    throw new UsageError(`--server ${server} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--server must be an http(s) URL')
  const platform = (values.platform as string | undefined) ?? 'weixin'
  if (!isPlatformName(platform)) throw new UsageError(`--platform must be one of ${PLATFORM_NAMES.join(', ')}`)
  const options: KitOptions = {
    platform,
    server: server.replace(/\/$/, ''),
    loginPath: path('login-path', values['login-path'] as string | undefined, DEFAULTS.loginPath),
    dataPath: path('data-path', values['data-path'] as string | undefined, DEFAULTS.dataPath),
    wechatPort: integer('wechat-port', values['wechat-port'] as string | undefined, DEFAULTS.wechatPort, 1, 65535),
    appId: (values.appid as string | undefined) ?? KIT_PLATFORMS[platform].defaultAppId,
    secret: (values.secret as string | undefined) ?? DEFAULTS.secret,
    json: values.json === true,
    strict: values.strict === true,
    waitSeconds: integer('wait', values.wait as string | undefined, DEFAULTS.waitSeconds, 1, MAX_WAIT_S),
    replyTimeoutSeconds: integer('reply-timeout', values['reply-timeout'] as string | undefined, DEFAULTS.replyTimeoutSeconds, 1, MAX_WAIT_S),
  }
  if (!options.appId || !options.secret) throw new UsageError('--appid and --secret must not be empty')
  if (values.config !== undefined) options.config = values.config as string
  if (values['token-lifetime'] !== undefined) options.tokenLifetimeSeconds = integer('token-lifetime', values['token-lifetime'] as string, 0, 1, MAX_TOKEN_LIFETIME_S)
  if (values['expired-token'] !== undefined) {
    if (!values['expired-token']) throw new UsageError('--expired-token must not be empty')
    options.expiredToken = values['expired-token'] as string
  }
  if (options.tokenLifetimeSeconds !== undefined && options.expiredToken !== undefined) throw new UsageError('pass --token-lifetime or --expired-token, not both')
  return options
}
