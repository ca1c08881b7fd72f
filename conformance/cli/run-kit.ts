import { BackendClient } from '../client/backend-client'
import { boundedPost, PostFailed } from '../client/bounded-post'
import { conformant, json, table } from '../report/table'
import { ALL_SCENARIOS } from '../scenarios/all-scenarios'
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

/** The whole kit run: exit code 0 all pass (warnings allowed unless --strict), 1 any fail or skip, 2 bad arguments or an unreachable server. */
export async function runKit(argv: string[], io: KitIo, scenarios: Scenario[] = ALL_SCENARIOS): Promise<KitRun> {
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
  const wechat = new FakeWeChat({ appId: options.appId, secret: options.secret })
  let wechatBase: string
  try {
    wechatBase = await wechat.start(options.wechatPort)
  } catch (error) {
    io.err(`session-guard-conformance: cannot serve the fake WeChat API on 127.0.0.1:${options.wechatPort} (${error instanceof Error ? error.message : String(error)})`)
    return { exitCode: 2 }
  }
  try {
    if (!options.json) io.err(`fake WeChat API on ${wechatBase} (appid ${options.appId}, secret ${options.secret}); waiting up to ${options.waitSeconds} s for ${options.server}`)
    if (!(await waitForBackend(options))) {
      io.err(`session-guard-conformance: ${options.server}${options.loginPath} did not answer within ${options.waitSeconds} s (is the backend started, with WECHAT_API_BASE=${wechatBase}?)`)
      return { exitCode: 2 }
    }
    const started = Date.now()
    const backend = new BackendClient(options.server, { login: options.loginPath, data: options.dataPath }, client)
    const settings = { appId: options.appId, tokenLifetimeSeconds: options.tokenLifetimeSeconds, expiredToken: options.expiredToken }
    const results = await runScenarios({ wechat, backend, client, settings }, scenarios, options.strict)
    const header = { server: options.server, loginPath: options.loginPath, dataPath: options.dataPath, wechatBase, appId: options.appId, secret: options.secret, strict: options.strict }
    io.out(options.json ? json(header, results, Date.now() - started) : table(header, results, Date.now() - started))
    return { exitCode: conformant(results) ? 0 : 1, results }
  } finally {
    await wechat.stop()
  }
}
