/**
 * A small mini program runtime for a framework's WeChat build output (Taro's dist/, uni-app's
 * dist/build/mp-weixin/): what WeChat's app service gives the code and nothing more. One vm context per
 * launch is one device: `wx`, `App`, `Page`, `Component`, `getApp`, `getCurrentPages` are its globals
 * (code that replaces `globalThis.wx`, as uni-app does, replaces it for every later lookup, as on the
 * phone); each file is a CommonJS module required relative to the build's root. Events reach the code
 * the way the runtime sends them: the element's `bind<type>` names the owner's method, the event carries
 * `type`, `detail`, `target` and `currentTarget` with the element's id and dataset. How an element is
 * found differs per build (real WXML for uni-app and native components, Taro's data tree rendered by its
 * base.wxml), see mini-views.ts.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { parseWxml, type WxmlElement } from './wxml'

type Fn = (...args: unknown[]) => unknown
export type Definition = Record<string, unknown> & { data?: Record<string, unknown>; methods?: Record<string, Fn> }
type Module = { exports: unknown }

/** A setData path: `a.b[0].c` and Taro's `root.cn.[0].v` alike. */
export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const keys = key.match(/[^.[\]]+/g) || []
  let at: Record<string, unknown> = target
  keys.forEach((k, i) => {
    if (i === keys.length - 1) {
      at[k] = value
      return
    }
    if (!at[k] || typeof at[k] !== 'object') at[k] = /^\d+$/.test(keys[i + 1]) ? [] : {}
    at = at[k] as Record<string, unknown>
  })
}

/** A page or component instance as WeChat makes it: data, setData, methods, triggerEvent. */
export class Instance {
  data: Record<string, unknown>
  readonly route: string
  readonly __route__: string
  readonly is: string
  /** Its own WXML, when the build writes one the runtime renders as is. */
  readonly tree: WxmlElement | undefined
  /** Set for a component placed in a page: where its events go. */
  host?: { owner: Instance; element: WxmlElement; dispatch: (type: string, detail: unknown) => void }
  [method: string]: unknown

  constructor(
    readonly runtime: MiniRuntime,
    readonly definition: Definition,
    readonly kind: 'Page' | 'Component',
    file: string,
    properties: Record<string, unknown> = {},
  ) {
    this.route = this.__route__ = this.is = file
    const defaults: Record<string, unknown> = {}
    const declared = (definition.properties || {}) as Record<string, { value?: unknown } | Fn>
    for (const [name, spec] of Object.entries(declared)) defaults[name] = typeof spec === 'function' ? undefined : spec.value
    this.data = { ...structuredClone(definition.data || {}), ...defaults, ...properties }
    this.properties = this.data
    const methods = kind === 'Page' ? definition : definition.methods || {}
    for (const [name, fn] of Object.entries(methods)) if (typeof fn === 'function') this[name] = fn
    try {
      this.tree = parseWxml(readFileSync(path.join(runtime.root, `${file}.wxml`), 'utf8'))
    } catch {
      this.tree = undefined
    }
  }

  setData(patch: Record<string, unknown>, callback?: () => void): void {
    for (const [key, value] of Object.entries(patch)) setPath(this.data, key, value)
    if (callback) setTimeout(callback, 0)
  }

  triggerEvent(type: string, detail?: unknown): void {
    this.host?.dispatch(type, detail)
  }

  selectComponent(): null {
    return null
  }

  selectAllComponents(): unknown[] {
    return []
  }

  /** Calls a lifecycle function, wherever the definition keeps it (`lifetimes`, top level, `methods`). */
  lifecycle(name: string, ...args: unknown[]): unknown {
    const d = this.definition
    const fn = ((d.lifetimes as Record<string, Fn> | undefined)?.[name] || d[name] || d.methods?.[name]) as Fn | undefined
    return typeof fn === 'function' ? fn.apply(this, args) : undefined
  }

  /** A method by the name a binding gives, called as the runtime calls it. */
  call(name: string, event: unknown): unknown {
    const fn = this[name]
    if (typeof fn !== 'function') throw new Error(`${this.is} has no method ${name} for its binding`)
    return (fn as Fn).call(this, event)
  }
}

export class MiniRuntime {
  readonly context: vm.Context
  private readonly modules = new Map<string, Module>()
  private registered: { kind: 'Page' | 'Component'; definition: Definition } | undefined
  private readonly definitions = new Map<string, { kind: 'Page' | 'Component'; definition: Definition }>()
  private appDefinition: Record<string, unknown> | undefined
  readonly pages: Instance[] = []
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(
    readonly root: string,
    wx: object,
  ) {
    // The app's timers, so that closing the app ends them as WeChat does.
    const timers = this.timers
    this.context = vm.createContext({
      wx,
      console,
      setTimeout: (fn: Fn, ms?: number, ...args: unknown[]) => {
        const timer = setTimeout(() => (timers.delete(timer), fn(...args)), ms)
        timers.add(timer)
        return timer
      },
      clearTimeout: (timer: ReturnType<typeof setTimeout>) => (timers.delete(timer), clearTimeout(timer)),
      setInterval: (fn: Fn, ms?: number, ...args: unknown[]) => {
        const timer = setInterval(fn, ms, ...args)
        timers.add(timer)
        return timer
      },
      clearInterval: (timer: ReturnType<typeof setInterval>) => (timers.delete(timer), clearInterval(timer)),
      App: (definition: Record<string, unknown>) => void (this.appDefinition = definition),
      Page: (definition: Definition) => void (this.registered = { kind: 'Page', definition }),
      Component: (definition: Definition) => void (this.registered = { kind: 'Component', definition }),
      Behavior: (definition: unknown) => definition,
      getApp: () => this.appDefinition,
      getCurrentPages: () => [...this.pages],
    })
    // WeChat's app service has `global` too, one object every file sees.
    vm.runInContext('this.global = this', this.context)
  }

  /** The app is closed: every timer it set is cleared. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  /** The context's global `wx` as the code sees it now. */
  get wx(): Record<string, unknown> {
    return vm.runInContext('wx', this.context)
  }

  require(file: string): unknown {
    const full = path.resolve(this.root, file.endsWith('.js') ? file : `${file}.js`)
    const cached = this.modules.get(full)
    if (cached) return cached.exports
    const module: Module = { exports: {} }
    this.modules.set(full, module)
    const code = readFileSync(full, 'utf8')
    const run = vm.runInContext(`(function (require, module, exports) {${code}\n})`, this.context, { filename: full }) as Fn
    run((id: string) => this.require(path.relative(this.root, path.resolve(path.dirname(full), String(id)))), module, module.exports)
    return module.exports
  }

  /** app.js, then the app's onLaunch and onShow, as WeChat starts a mini program. */
  launch(query: Record<string, string> = {}): Record<string, unknown> {
    this.require('app.js')
    const app = this.appDefinition
    if (!app) throw new Error('app.js did not call App()')
    const options = { path: '', query, scene: 1001 }
    ;(app.onLaunch as Fn | undefined)?.call(app, options)
    ;(app.onShow as Fn | undefined)?.call(app, options)
    return app
  }

  /** Loads a page's js (which calls Page() or Component()) and runs its start as WeChat does. */
  openPage(route: string, query: Record<string, string> = {}): Instance {
    const page = this.instantiate(route)
    this.pages.push(page)
    if (page.kind === 'Component') {
      page.lifecycle('created')
      page.lifecycle('attached')
    }
    page.call('onLoad', query)
    if (typeof page.onShow === 'function') page.call('onShow', undefined)
    page.lifecycle(page.kind === 'Page' ? 'onReady' : 'ready')
    return page
  }

  /** A component's js loaded and instantiated with these properties. */
  component(file: string, properties: Record<string, unknown>): Instance {
    const component = this.instantiate(file, properties)
    component.lifecycle('created')
    component.lifecycle('attached')
    component.lifecycle('ready')
    return component
  }

  /** The `usingComponents` of a page or component json, resolved to files under the build's root. */
  usingComponents(file: string): Record<string, string> {
    const json = JSON.parse(readFileSync(path.join(this.root, `${file}.json`), 'utf8')) as { usingComponents?: Record<string, string> }
    const resolved: Record<string, string> = {}
    for (const [tag, to] of Object.entries(json.usingComponents || {})) resolved[tag] = to.startsWith('/') ? to.slice(1) : path.join(path.dirname(file), to)
    return resolved
  }

  private instantiate(file: string, properties?: Record<string, unknown>): Instance {
    // WeChat runs a page's or component's file once and keeps what it registered for every instance.
    if (!this.definitions.has(file)) {
      this.registered = undefined
      this.require(file)
      const registered = this.registered as { kind: 'Page' | 'Component'; definition: Definition } | undefined
      if (!registered) throw new Error(`${file}.js did not call Page() or Component()`)
      this.definitions.set(file, registered)
    }
    const { kind, definition } = this.definitions.get(file) as { kind: 'Page' | 'Component'; definition: Definition }
    return new Instance(this, definition, kind, file, properties)
  }
}
