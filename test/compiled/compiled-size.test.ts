/**
 * What a phone runs: the package compiled by WeChat's own compiler (miniprogram-ci getCompiledResult,
 * offline, "将 JS 编译成 ES5" on, minify on) inside a mini program that uses it. The transform must have
 * nothing to do: no regeneratorRuntime, at most a couple of tiny helpers, and a small total.
 */
import { compiledPackage, compiledSize, describeSize } from '../../scripts/compiled-package'

// Package + babel helpers after WeChat’s compiler, all files gzipped as one stream: 10,076 B measured with
// no async function left (no __awaiter/__generator); 10,171 B since guard.request is made on first use and
// its common call builds no recovery state (issue 26's request CPU). Issue 26's regression limit was 8,700 B for the
// package before the device slot (issue 23, ~850 B), five platforms (issue 24, ~220 B) and data kinds
// with the expiresIn cap (issue 25, ~115 B); it is re-based on their measured cost, with 1 % of margin.
const SHIPPED_BUDGET = 10200
// None is pulled in now: no `typeof x === 'object'` (wire/is-object.ts), no class extending a built-in, no spread of iterables.
const MAX_HELPERS = 0
const TINY_HELPER = 300

describe('the package after WeChat’s compiler (ES6→ES5 on, minify on)', () => {
  const size = compiledSize(compiledPackage())
  console.log(describeSize(size))

  it('pulls in no regeneratorRuntime', () => {
    expect(size.helpers.map((h) => h.file).filter((f) => /regenerator/i.test(f))).toEqual([])
  })

  it(`pulls in at most ${MAX_HELPERS} babel helpers, each under ${TINY_HELPER} bytes gzipped`, () => {
    expect(size.helpers.length).toBeLessThanOrEqual(MAX_HELPERS)
    for (const helper of size.helpers) expect({ file: helper.file, tiny: helper.gzip < TINY_HELPER }).toEqual({ file: helper.file, tiny: true })
  })

  it(`ships package + helpers within ${SHIPPED_BUDGET} bytes gzipped`, () => {
    expect(size.gzipTogether).toBeLessThanOrEqual(SHIPPED_BUDGET)
  })
})
