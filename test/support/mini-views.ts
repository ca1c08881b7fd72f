/**
 * Finding an element of a running page and sending it an event the way WeChat's runtime does, for the
 * two kinds of build output: real WXML (uni-app pages, native components) and Taro's data tree, which its
 * base.wxml renders with one template per node type (`tmpl_<depth>_<nn>`), every event bound to the page's
 * `eh` and the node's `sid` in `data-sid`. Elements are found by class name.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Instance } from './mini-runtime'
import { binding, dataset, elements, parseWxml, resolve, textOf, type WxmlElement } from './wxml'

export interface View {
  readonly instance: Instance
  /**
   * Sends an event to the element with this class; throws when the build binds no handler for it.
   * `dataset` changes what the element's data-* attributes give (a key set to undefined: as if absent).
   */
  dispatch(className: string, type: string, detail?: unknown, dataset?: Record<string, unknown>): void
  text(className: string): string
  has(className: string): boolean
  /** The native component placed at the element with this class, created as the runtime creates it. */
  component(className: string): View
}

const classesOf = (value: unknown) => String(value ?? '').split(/\s+/)

function mpEvent(type: string, detail: unknown, id: string, set: Record<string, unknown>, changes: Record<string, unknown> = {}) {
  const merged: Record<string, unknown> = { ...set, ...changes }
  for (const key of Object.keys(changes)) if (changes[key] === undefined) delete merged[key]
  const target = { id, dataset: merged }
  return { type, timeStamp: Date.now(), detail: detail ?? {}, target, currentTarget: target, mark: {} }
}

/** A native component for the element: its file from the owner's usingComponents, its events routed by `route`. */
function placeComponent(owner: Instance, tag: string, properties: Record<string, unknown>, route: (type: string, detail: unknown) => void): Instance {
  const file = owner.runtime.usingComponents(owner.is)[tag]
  if (!file) throw new Error(`${owner.is}.json declares no component <${tag}>`)
  const component = owner.runtime.component(file, properties)
  component.host = { owner, element: { tag, attrs: {}, children: [] }, dispatch: route }
  return component
}

export class WxmlView implements View {
  private readonly placed = new Map<WxmlElement, View>()

  constructor(readonly instance: Instance) {
    if (!instance.tree) throw new Error(`${instance.is} has no .wxml`)
  }

  private find(className: string): WxmlElement | undefined {
    return elements(this.instance.tree as WxmlElement, this.instance.data).find((e) => classesOf(resolve(e.attrs.class, this.instance.data)).includes(className))
  }

  private get(className: string): WxmlElement {
    const element = this.find(className)
    if (!element) throw new Error(`${this.instance.is} shows no element .${className}`)
    return element
  }

  private send(element: WxmlElement, type: string, detail: unknown, changes?: Record<string, unknown>): void {
    const handler = binding(element, type)
    const name = resolve(handler, this.instance.data)
    if (typeof name !== 'string' || !name) throw new Error(`<${element.tag}> binds no ${type} handler`)
    this.instance.call(name, mpEvent(type, detail, String(resolve(element.attrs.id, this.instance.data) ?? ''), dataset(element, this.instance.data), changes))
  }

  dispatch(className: string, type: string, detail?: unknown, changes?: Record<string, unknown>): void {
    this.send(this.get(className), type, detail, changes)
  }

  text(className: string): string {
    return textOf(this.get(className), this.instance.data)
  }

  has(className: string): boolean {
    return this.find(className) !== undefined
  }

  component(className: string): View {
    const element = this.get(className)
    const known = this.placed.get(element)
    if (known) return known
    const properties: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(element.attrs)) {
      if (!/^(bind|catch|data-|wx:|u-|class$|id$)/.test(name)) properties[name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())] = resolve(value, this.instance.data)
    }
    // The component's events go where its element's bindings say, in the owner.
    const view = new WxmlView(placeComponent(this.instance, element.tag, properties, (type, detail) => binding(element, type) && this.send(element, type, detail)))
    this.placed.set(element, view)
    return view
  }
}

type TaroNode = { nn: string; sid: string; uid?: string; cl?: string; className?: string; v?: string; cn?: TaroNode[] } & Record<string, unknown>

/** Taro's base.wxml: the template each node type renders with. */
function taroTemplates(root: string): Map<string, WxmlElement> {
  const templates = new Map<string, WxmlElement>()
  for (const element of parseWxml(readFileSync(path.join(root, 'base.wxml'), 'utf8')).children) {
    if (element.tag === 'template' && element.attrs.name) templates.set(element.attrs.name, element.children.find((c) => c.tag !== '#text') as WxmlElement)
  }
  return templates
}

export class TaroView implements View {
  private readonly templates: Map<string, WxmlElement>
  private readonly placed = new Map<string, View>()

  constructor(readonly instance: Instance) {
    this.templates = taroTemplates(instance.runtime.root)
  }

  private nodes(): TaroNode[] {
    const all: TaroNode[] = []
    const walk = (node: TaroNode) => {
      all.push(node)
      node.cn?.forEach(walk)
    }
    ;((this.instance.data.root as { cn?: TaroNode[] } | undefined)?.cn || []).forEach(walk)
    return all
  }

  private find(className: string): TaroNode | undefined {
    return this.nodes().find((n) => classesOf(n.cl).includes(className) || classesOf(n.className).includes(className))
  }

  private get(className: string): TaroNode {
    const node = this.find(className)
    if (!node) throw new Error(`${this.instance.is} shows no node .${className}`)
    return node
  }

  /** What the node's template binds for this event type: Taro binds every event it handles to `eh`. */
  private send(node: TaroNode, type: string, detail: unknown, changes?: Record<string, unknown>): void {
    const template = this.templates.get(`tmpl_0_${node.nn}`)
    if (!template) throw new Error(`base.wxml has no template for node type ${node.nn}`)
    const handler = binding(template, type)
    if (!handler) throw new Error(`Taro's template for <${template.tag}> binds no ${type} handler`)
    this.instance.call(handler, mpEvent(type, detail, node.uid || node.sid, { sid: node.sid }, changes))
  }

  dispatch(className: string, type: string, detail?: unknown, changes?: Record<string, unknown>): void {
    this.send(this.get(className), type, detail, changes)
  }

  text(className: string): string {
    const collect = (node: TaroNode): string => (node.v ?? '') + (node.cn || []).map(collect).join('')
    return collect(this.get(className))
  }

  has(className: string): boolean {
    return this.find(className) !== undefined
  }

  component(className: string): View {
    const node = this.get(className)
    const known = this.placed.get(node.sid)
    if (known) return known
    const view = new WxmlView(placeComponent(this.instance, node.nn, {}, (type, detail) => this.send(node, type, detail)))
    this.placed.set(node.sid, view)
    return view
  }
}
