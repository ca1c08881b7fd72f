/**
 * Several copies of the package on one device, as Taro's sub-common/, an independent subpackage or a
 * library's own dependency make them: the same built file evaluated again, each copy with its own
 * module scope. `spreadCreate` makes a guard whose calls go round the copies' guards.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { SessionGuard, SessionGuardOptions } from '../../miniprogram_npm_src'
import type { CreateGuard } from '../../simulator/scenarios/scenario'

export type PackageCopy = { createSessionGuard: CreateGuard }

/** `count` separate evaluations of `file`; `globals` shadow the global names a copy reads (Promise, wx). */
export function evaluateCopies(file: string, count: number, globals: Record<string, unknown> = {}): PackageCopy[] {
  const source = readFileSync(file, 'utf8')
  const names = Object.keys(globals)
  const copies: PackageCopy[] = []
  for (let i = 0; i < count; i++) {
    const module = { exports: {} as PackageCopy }
    // A fresh module scope, as a second bundle gives it.
    const evaluate = new Function('module', 'exports', 'require', ...names, source + '\n//# sourceURL=' + file + '#copy' + i)
    evaluate(module, module.exports, createRequire(file), ...names.map((name) => globals[name]))
    copies.push(module.exports)
  }
  return copies
}

/** One guard per copy with the same options; each call goes to the next copy's guard in turn. */
export function spreadCreate(copies: PackageCopy[]): CreateGuard {
  return (<R>(options?: SessionGuardOptions<R>) => {
    const guards = copies.map((copy) => copy.createSessionGuard(options) as unknown as SessionGuard<R>)
    let next = 0
    const pick = () => guards[next++ % guards.length]
    const spread: SessionGuard<R> = {
      getPhoneNumber: (detail) => pick().getPhoneNumber(detail),
      openData: (fetch, send) => pick().openData(fetch, send),
      prepare: () => pick().prepare(),
      invalidate: () => pick().invalidate(),
      holdLogins: (maxMs) => pick().holdLogins(maxMs),
      login: () => pick().login(),
      request: (options) => pick().request(options),
      token: () => pick().token(),
      logout: () => pick().logout(),
      // What is left anywhere counts: holds and waiters of every copy, any login not idle.
      inspect() {
        const states = guards.map((guard) => guard.inspect())
        return {
          holds: states.reduce((sum, state) => sum + state.holds, 0),
          waiters: states.reduce((sum, state) => sum + state.waiters, 0),
          login: (states.find((state) => state.login !== 'idle') || states[0]).login,
          needsLogin: states.some((state) => state.needsLogin),
          logins: Math.max(...states.map((state) => state.logins)),
        }
      },
    }
    return spread
  }) as CreateGuard
}
