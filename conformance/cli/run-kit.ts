import { BackendClient } from '../client/backend-client'
import { boundedPost, PostFailed } from '../client/bounded-post'
import { KIT_PLATFORMS } from '../platforms/all-platforms'
import type { KitPlatform } from '../platforms/kit-platform'
import { servePlatformApi } from '../platforms/platform-api-server'
import { conformant, json, table } from '../report/table'
import { scenariosFor } from '../scenarios/by-platform'
import { runScenarios, type ScenarioResult } from '../scenarios/run-scenarios'
import type { Scenario } from '../scenarios/scenario'
import { FakeWeChat } from '../wechat/fake-wechat'
import { parseKitArgs, USAGE, UsageError, type KitOptions } from './args'
import { loadClientOptions } from './load-config'

export interface KitIo {
  out(text: string): void
  err(text: string): void
}

export interface KitRun {
  exitCode: 0 | 1 | 2
  results?: ScenarioResult[]
}

const POLL_MS = 200

/** Any HTTP answer on the login route means the backend is up; only silence or a refused connection means it is not. */
async function waitForBackend(options: KitOptions): Promise<boolean> {
  const until = Date.now() + options.waitSeconds * 1000
  while (Date.now() < until) {
    try {
      await boundedPost(options.server + options.loginPath, { 'content-type': 'application/json' }, '{}', Math.max(100, Math.min(2000, until - Date.now())))
      return true
    } catch (error) {
      if (error instanceof PostFailed && error.status !== undefined) return true
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }
  return false
}

/** The platform's server API on the kit's port: WeChat's is the FakeWeChat's own, the others' translate into it. */
async function startFake(platform: KitPlatform, wechat: FakeWeChat, port: number): Promise<{ base: string; stop(): Promise<void> }> {
  if (!platform.answer) return { base: await wechat.start(port), stop: () => wechat.stop() }
  const api = await servePlatformApi(platform, wechat, port)
  return { base: api.base, stop: () => Promise.all([api.stop(), wechat.stop()]).then(() => undefined) }
}

/**
 * The whole kit run: exit code 0 all pass (warnings allowed unless --strict), 1 any fail or skip, 2 bad
 * arguments or an unreachable server. `scenarios` (default: all) are narrowed to those that apply to `--platform`.
 */
export async function runKit(argv: string[], io: KitIo, scenarios?: Scenario[]): Promise<KitRun> {
  let options: KitOptions
  let client
  try {
    const parsed = parseKitArgs(argv)
    if (parsed === 'help') {
      io.out(USAGE)
      return { exitCode: 0 }
    }
    options = parsed
    client = await loadClientOptions(options.config)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`session-guard-conformance: ${error.message}\n${USAGE}`)
    return { exitCode: 2 }
  }
  const platform = KIT_PLATFORMS[options.platform]
  const wechat = new FakeWeChat({ appId: options.appId, secret: options.secret, newSessionKey: platform.newSessionKey })
  let fake: { base: string; stop(): Promise<void> }
  try {
    fake = await startFake(platform, wechat, options.wechatPort)
  } catch (error) {
    io.err(`session-guard-conformance: cannot serve the fake ${platform.title} API on 127.0.0.1:${options.wechatPort} (${error instanceof Error ? error.message : String(error)})`)
    return { exitCode: 2 }
  }
  const wechatBase = fake.base
  try {
    if (!options.json) io.err(`fake ${platform.title} API on ${wechatBase} (appid ${options.appId}, secret ${options.secret}; ${platform.exchange}); waiting up to ${options.waitSeconds} s for ${options.server}`)
    if (!(await waitForBackend(options))) {
      io.err(`session-guard-conformance: ${options.server}${options.loginPath} did not answer within ${options.waitSeconds} s (is the backend started, with WECHAT_API_BASE=${wechatBase}?)`)
      return { exitCode: 2 }
    }
    const started = Date.now()
    const backend = new BackendClient(options.server, { login: options.loginPath, data: options.dataPath }, client, options.replyTimeoutSeconds * 1000)
    const settings = { appId: options.appId, tokenLifetimeSeconds: options.tokenLifetimeSeconds, expiredToken: options.expiredToken }
    const results = await runScenarios({ platform, wechat, backend, client, settings }, scenariosFor(platform, scenarios), options.strict)
    const header = { platform: platform.name, server: options.server, loginPath: options.loginPath, dataPath: options.dataPath, wechatBase, appId: options.appId, secret: options.secret, strict: options.strict }
    io.out(options.json ? json(header, results, Date.now() - started) : table(header, results, Date.now() - started))
    return { exitCode: conformant(results) ? 0 : 1, results }
  } finally {
    await fake.stop()
  }
}
