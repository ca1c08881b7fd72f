/** Starts example-miniprogram/app.ts the way WeChat does: with a global `wx`, and App()/getApp() to catch it. */
import path from 'node:path'

export const EXAMPLE = path.join(__dirname, '../../example-miniprogram')

export interface ExampleApp {
  sessionGuard: { prepare(): Promise<unknown> }
  onShow(): void
}

type Globals = { wx: unknown; App: (definition: unknown) => void; getApp: () => unknown }

export function launchExampleApp<A extends ExampleApp = ExampleApp>(wx: unknown): A {
  const globals = globalThis as unknown as Globals
  let app: A | undefined
  globals.wx = wx
  globals.App = (definition) => (app = definition as A)
  globals.getApp = () => app
  // A cold start each time: jest would otherwise hand back the app.ts module it already ran.
  jest.isolateModules(() => require(path.join(EXAMPLE, 'app'))) // eslint-disable-line @typescript-eslint/no-require-imports
  if (!app) throw new Error('app.ts did not call App()')
  return app
}
