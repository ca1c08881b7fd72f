import { seal, sealWithoutPlus, sealWithPlus } from '../wechat/seal'
import { payload } from './payload'
import { check, expectPhone, loggedIn, phoneData, should, show, type Scenario } from './scenario'

/** Plaintext padding that seals to about 61 KiB of base64, under the 64 KiB encryptedData limit of docs/protocol.md §5. */
const LARGE_PAD = 46_000

export const sealedDataScenarios: Scenario[] = [
  {
    id: 'plus-survives',
    title: "'+' in iv and encryptedData survives",
    rule: 'P-HTTP-2',
    fix: "read the body as JSON, never as a form (a form decoder turns '+' into a space)",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const data = phoneData(ctx.settings.appId)
      const sealed = sealWithPlus(user.sessionKey, data)
      const seen = await ctx.backend.data(payload('1', '', { sealed }), user.token)
      expectPhone(seen, data.phoneNumber, "flag '1' with '+' in iv and encryptedData", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'space-repaired',
    title: "a '+' that became a space is repaired",
    rule: 'P-CRYPTO-2',
    fix: "replace every space with '+' in iv and encryptedData before base64-decoding, then trim",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const data = phoneData(ctx.settings.appId)
      const plus = sealWithPlus(user.sessionKey, data)
      const spaced = { iv: plus.iv.replace(/\+/g, ' '), encryptedData: plus.encryptedData.replace(/\+/g, ' ') }
      const seen = await ctx.backend.data(payload('1', '', { sealed: spaced }), user.token)
      expectPhone(seen, data.phoneNumber, "flag '1' with every '+' turned into a space (one at the very start)", this.rule, this.fix)
      return show(seen)
    },
  },
  {
    id: 'watermark-other-appid',
    title: "another appid's watermark is refused",
    rule: 'P-CRYPTO-3',
    fix: "compare watermark.appid with your appid after decrypting; answer WATERMARK_MISMATCH, never the data",
    async run(ctx) {
      const user = await loggedIn(ctx)
      const sealed = sealWithoutPlus(user.sessionKey, phoneData('wx0000000000000000'))
      const seen = await ctx.backend.data(payload('1', '', { sealed }), user.token)
      check(seen.kind === 'failed', `data sealed for another app: ${show(seen)}`)
      if (ctx.client.defaultShape) check(seen.reason === 'WATERMARK_MISMATCH', `data sealed for another app: ${show(seen)}`, 'P-CRYPTO-3', 'answer { ok: false, reason: "WATERMARK_MISMATCH" }')
      return show(seen)
    },
  },
  {
    id: 'large-payload',
    title: 'a payload near the 64 KiB encryptedData limit is not refused for its size',
    rule: 'P-HTTP-3',
    fix: 'accept request bodies up to 128 KiB: encryptedData alone may be 64 KiB',
    async run(ctx) {
      const user = await loggedIn(ctx)
      const data = { ...phoneData(ctx.settings.appId), pad: 'x'.repeat(LARGE_PAD) }
      const sealed = seal(user.sessionKey, data)
      const seen = await ctx.backend.data(payload('1', '', { sealed }), user.token)
      const what = `flag '1' with ${sealed.encryptedData.length} characters of encryptedData`
      // Only the size is judged here (413, TOO_LARGE, a proxy hanging up): decrypting is every other scenario's job,
      // and a ciphertext this long cannot avoid '+', which plus-survives judges.
      const refusedForSize = seen.status === 413 || seen.reason === 'TOO_LARGE' || seen.kind === 'request-failed'
      should(ctx, !refusedForSize, `${what}: ${show(seen)}`, this.rule, this.fix)
      return `${what}: ${show(seen)}`
    },
  },
]
