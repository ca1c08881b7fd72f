import type { OpenDataPayload } from '../../miniprogram_npm_src/wire/protocol'
import type { Seen } from '../client/backend-client'
import { sealWithoutPlus } from '../wechat/seal'
import { check, phoneData, should, show, type Context, type Scenario } from './scenario'

/** P-HTTP-3's refusals of the request itself: these MAY come with 4xx/5xx (P-STATUS-1). */
const TRANSPORT_REFUSALS = new Set(['TOO_LARGE', 'BODY_TIMEOUT', 'METHOD_NOT_ALLOWED', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL'])

function shapeProblem(seen: Seen, defaultShape: boolean): string | undefined {
  if (seen.status === 0) return undefined
  if (!seen.body || typeof seen.body !== 'object' || Array.isArray(seen.body)) return 'is not a JSON object'
  if (!defaultShape) return undefined
  const { ok, reason } = seen.body as { ok?: unknown; reason?: unknown }
  if (typeof ok !== 'boolean') return 'has no boolean ok'
  if (ok === false && (typeof reason !== 'string' || reason === '')) return 'is ok: false without a reason'
  return undefined
}

/** Payloads the guard never sends, each with a fresh login code that must not be exchanged. */
function malformed(ctx: Context): { what: string; body: OpenDataPayload; code: string }[] {
  const openid = ctx.wechat.newUser()
  const next = () => ctx.wechat.issueCode(openid)
  const sealed = sealWithoutPlus(next().sessionKey, phoneData(ctx.settings.appId))
  const cases: { what: string; make: (code: string) => Record<string, unknown> }[] = [
    { what: "flag '2'", make: (code) => ({ code, sessionKeyValidFlag: '2', ...sealed }) },
    { what: 'flag as a number', make: (code) => ({ code, sessionKeyValidFlag: 0, ...sealed }) },
    { what: 'iv without encryptedData', make: (code) => ({ code, sessionKeyValidFlag: '0', iv: sealed.iv }) },
    { what: 'no way to the data', make: (code) => ({ code, sessionKeyValidFlag: '0' }) },
  ]
  return cases.map(({ what, make }) => {
    const { code } = next()
    return { what, code, body: make(code) as unknown as OpenDataPayload }
  })
}

export const replyScenarios: Scenario[] = [
  {
    id: 'bad-input',
    title: 'a malformed payload is BAD_INPUT, and its code is not used',
    rule: 'P-DATA-1',
    fix: 'check the payload before exchanging anything; answer { ok: false, reason: "BAD_INPUT" }',
    async run(ctx) {
      const seen: string[] = []
      const empty = await ctx.backend.rawData({})
      check(empty.kind === 'failed' && (!ctx.client.defaultShape || empty.reason === 'BAD_INPUT'), `{}: ${show(empty)}`)
      for (const { what, body, code } of malformed(ctx)) {
        const reply = await ctx.backend.data(body)
        check(reply.kind === 'failed' && (!ctx.client.defaultShape || reply.reason === 'BAD_INPUT'), `${what}: ${show(reply)}`)
        check(ctx.wechat.exchangesOf(code) === 0, `${what}: its code was exchanged; reply ${show(reply)}`)
        seen.push(`${what}: ${reply.reason ?? reply.kind}`)
      }
      return seen.join('; ')
    },
  },
  {
    id: 'reply-shapes',
    title: 'every reply is JSON of the documented shape',
    rule: 'P-REPLY-1',
    fix: 'answer every request on both routes with a JSON object { ok: true, … } or { ok: false, reason }',
    async run(ctx) {
      const all = ctx.backend.seen.filter((s) => s.status !== 0)
      const first = ctx.backend.seen[0]
      check(all.length > 0, `no reply to judge: every request failed${first ? ` (the first: ${show(first)})` : ''}`)
      for (const seen of all) {
        const problem = shapeProblem(seen, ctx.client.defaultShape)
        check(!problem, `${seen.route} route: ${show(seen)} ${problem}`)
        check(!seen.okOnError, `${seen.route} route: ${show(seen)}`, 'P-STATUS-1', 'answer ok with HTTP 200 (a proxy or error handler must not turn it into an error status)')
      }
      const off = all.filter((seen) => seen.status !== 200 && !seen.okOnError && seen.kind !== 'request-failed' && !(seen.route === 'data' && seen.kind === 'session-expired') && !TRANSPORT_REFUSALS.has(seen.reason || ''))
      for (const seen of off.slice(0, 3)) should(ctx, false, `${seen.route} route: ${show(seen)}`, 'P-STATUS-1', 'answer protocol replies with HTTP 200 (401 only for a refused token on the data route)')
      const statuses = [...new Set(all.map((s) => s.status))].sort().join('/')
      return `${all.length} replies, all JSON objects${ctx.client.defaultShape ? ' with ok (and reason when not ok)' : ''}; HTTP ${statuses}`
    },
  },
]
