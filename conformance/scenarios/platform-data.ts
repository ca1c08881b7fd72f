import { baiduPadOf } from '../platforms/sealing'
import { payload } from './payload'
import { expectPhone, loggedIn, phoneData, show, type Scenario } from './scenario'

/** Phone data grown by a filler field until Baidu's sealing pads it by `min`…`max` bytes. */
function paddedBetween(appId: string, min: number, max: number) {
  const data: ReturnType<typeof phoneData> & { filler?: string } = phoneData(appId)
  for (let filler = ''; ; filler += 'x') {
    const candidate = filler ? { ...data, filler } : data
    const pad = baiduPadOf(appId, { ...candidate, watermark: undefined })
    if (pad >= min && pad <= max) return { data: candidate, pad }
  }
}

/** Scenarios one platform needs beyond the common ones (scenarios/by-platform.ts says where each runs). */
export const platformDataScenarios: Scenario[] = [
  {
    id: 'no-watermark',
    title: 'data sealed without a watermark opens (QQ, Douyin, Kuaishou)',
    rule: 'P-PLAT-3',
    fix: 'check watermark.appid when the plaintext carries a watermark; accept data without one (whether these platforms always send it is undocumented)',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const { watermark: _watermark, ...bare } = phoneData(ctx.settings.appId)
      const sealed = ctx.platform.seal(user.sessionKey, bare)
      const seen = await ctx.backend.data(payload('1', '', { sealed }), user.token)
      expectPhone(seen, bare.phoneNumber, "flag '1' with data that has no watermark", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'baidu-padding',
    title: "Baidu's 32-byte padding opens, pad under and over 16 bytes",
    rule: 'P-PLAT-2',
    fix: 'decipher AES-192-CBC without automatic padding; check the last byte n (1–32) and the n bytes before it, cut them, then read the length and the app_key',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const seen: string[] = []
      for (const [min, max] of [
        [1, 16],
        [17, 32],
      ]) {
        const { data, pad } = paddedBetween(ctx.settings.appId, min, max)
        const sealed = ctx.platform.seal(user.sessionKey, data)
        const reply = await ctx.backend.data(payload('1', '', { sealed }), user.token)
        expectPhone(reply, data.phoneNumber, `flag '1' with data padded by ${pad} bytes`, this.rule, this.fix)
        seen.push(`pad ${pad}: ${show(reply)}`)
      }
      return seen.join('; ')
    },
  },
]
