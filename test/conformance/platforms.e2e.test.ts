/**
 * `npx session-guard-conformance --platform <name>`: the kit fakes each platform's server API and seals
 * data its way. The companion configured for the platform passes every scenario; mutants made from
 * its real parts are caught on each platform: the handler told another platform (a wrong cipher),
 * the code exchange of another platform (a wrong endpoint), on QQ/Douyin/Kuaishou WeChat's
 * always-a-watermark rule, and on Baidu a decipher with the library's automatic 16-byte padding.
 */
import type { PlatformName } from '../../conformance/platforms/kit-platform'
import type { KitReport } from './companion-under-test'
import { kitOnPlatform, type PlatformMutant } from './platform-companions'

const PLATFORMS: PlatformName[] = ['weixin', 'qq', 'toutiao', 'baidu', 'kuaishou']
/** A cipher that is not the platform's: Baidu's for the WeChat-cipher platforms, WeChat's for Baidu. */
const OTHER_CIPHER: Record<PlatformName, PlatformName> = { weixin: 'baidu', qq: 'baidu', toutiao: 'baidu', kuaishou: 'baidu', baidu: 'weixin' }
/** An exchange whose endpoint differs (QQ's and WeChat's are the same path and shape: only the host tells them apart). */
const OTHER_EXCHANGE: Record<PlatformName, PlatformName> = { weixin: 'toutiao', qq: 'toutiao', toutiao: 'weixin', baidu: 'kuaishou', kuaishou: 'baidu' }
/** Every scenario that needs the data opened with the key the kit sealed it with. */
const OPENS_DATA = ['flag-1-ok', 'flag-0-stores-key', 'failed-decrypt-stores-key', 'previous-key-grace', 'plus-survives', 'space-repaired']

interface Run {
  platform: PlatformName
  mutant: string
  report: KitReport
}

const runs: Run[] = []
const find = (platform: PlatformName, mutant: string) => (runs.find((r) => r.platform === platform && r.mutant === mutant) as Run).report

beforeAll(async () => {
  const plan: { platform: PlatformName; mutant: string; config: PlatformMutant }[] = []
  for (const platform of PLATFORMS) {
    plan.push({ platform, mutant: 'none', config: {} })
    plan.push({ platform, mutant: 'wrong cipher', config: { cipherOf: OTHER_CIPHER[platform] } })
    plan.push({ platform, mutant: 'wrong exchange', config: { exchangeOf: OTHER_EXCHANGE[platform] } })
    if (platform === 'qq' || platform === 'toutiao' || platform === 'kuaishou') plan.push({ platform, mutant: "WeChat's watermark rule", config: { cipherOf: 'weixin' } })
    if (platform === 'baidu') plan.push({ platform, mutant: 'automatic padding', config: { autoPadding: true } })
  }
  // Two at a time: each run waits out a 5 s token, and the machine is shared.
  // A kit run mostly waits (its tokens' lifetime, in real time): all of them at once, each on its own ports.
  const reports = await Promise.all(plan.map((p) => kitOnPlatform(p.platform, p.config)))
  plan.forEach((p, j) => runs.push({ platform: p.platform, mutant: p.mutant, report: reports[j] }))
  if (process.env.CONFORMANCE_PRINT) for (const r of runs) console.log(`### ${r.platform}, mutant: ${r.mutant}\n\n${r.report.output}`)
}, 300_000)

describe.each(PLATFORMS)('the kit with --platform %s', (platform) => {
  it('passes the companion configured for it: every scenario, exit 0', () => {
    const report = find(platform, 'none')
    expect(report.failed).toEqual([])
    expect(report.exitCode).toBe(0)
    expect(report.output).toMatch(/conformant \(docs\/protocol\.md\)/)
  })

  it('runs phone-code scenarios only where the platform has phone codes, and its own scenarios', () => {
    const ids = (find(platform, 'none').results || []).map((r) => r.id)
    expect(ids.includes('phone-code-once')).toBe(platform === 'weixin')
    expect(ids.includes('baidu-padding')).toBe(platform === 'baidu')
    expect(ids.includes('no-watermark')).toBe(['qq', 'toutiao', 'kuaishou'].includes(platform))
    expect(ids[ids.length - 1]).toBe('reply-shapes')
  })

  it(`catches a companion deciphering with ${OTHER_CIPHER[platform]}'s cipher: every data-opening scenario fails, logins still pass`, () => {
    const report = find(platform, 'wrong cipher')
    expect(report.exitCode).toBe(1)
    expect(report.failed).toEqual(expect.arrayContaining(OPENS_DATA))
    expect(report.failed).not.toContain('login-identity')
  })

  it(`catches a companion exchanging codes at ${OTHER_EXCHANGE[platform]}'s endpoint: no login succeeds`, () => {
    const report = find(platform, 'wrong exchange')
    expect(report.exitCode).toBe(1)
    expect(report.failed).toEqual(expect.arrayContaining(['login-identity', 'flag-0-stores-key', 'resent-code', 'concurrent-flag-0']))
    expect(report.results?.find((r) => r.id === 'login-identity')).toMatchObject({ status: 'fail', rule: 'P-LOGIN-1' })
  })
})

describe('on baidu, a decipher with automatic 16-byte padding', () => {
  // The kit's everyday phone data pads by 28 bytes with its 32-character App Key; with a key length that
  // pads it by 16 or less, the padding scenario (one pad of each side) still catches it.
  it('is caught: every scenario opening everyday data fails, and the padding scenario on its pad over 16', () => {
    const report = find('baidu', 'automatic padding')
    expect(report.exitCode).toBe(1)
    expect(report.failed).toEqual(expect.arrayContaining([...OPENS_DATA, 'baidu-padding']))
    expect(report.failed).not.toContain('login-identity')
    expect(report.results?.find((r) => r.id === 'baidu-padding')).toMatchObject({ status: 'fail', rule: 'P-PLAT-2', saw: expect.stringMatching(/padded by (1[7-9]|2\d|3[0-2]) bytes/) })
  })
})

describe.each(['qq', 'toutiao', 'kuaishou'] as const)('on %s, where a watermark is not documented to be always there', (platform) => {
  it("catches WeChat's always-a-watermark rule: exactly the no-watermark scenario fails", () => {
    const report = find(platform, "WeChat's watermark rule")
    expect(report.exitCode).toBe(1)
    expect(report.failed).toEqual(['no-watermark'])
    expect(report.results?.find((r) => r.id === 'no-watermark')).toMatchObject({ status: 'fail', rule: 'P-PLAT-3' })
  })
})
