/**
 * Just enough WXML for a test to find an element and read its bindings the way the mini program runtime
 * does: tags, attributes, text; `{{name}}` / `{{a.b}}` read from the owner's data. No expressions beyond
 * that (a build that needs more is read by its own rules, see mini-runtime.ts).
 */
export interface WxmlElement {
  tag: string
  attrs: Record<string, string>
  children: WxmlElement[]
}

const TAG = /<(\/?)([\w-]+)((?:\s+[\w:.-]+(?:="[^"]*")?)*)\s*(\/?)>/g
const ATTR = /([\w:.-]+)(?:="([^"]*)")?/g

export function parseWxml(source: string): WxmlElement {
  const root: WxmlElement = { tag: '#root', attrs: {}, children: [] }
  const stack = [root]
  const text = source.replace(/<!--[\s\S]*?-->/g, '')
  let last = 0
  for (const match of text.matchAll(TAG)) {
    const [whole, closing, tag, attrText, selfClosing] = match
    const between = text.slice(last, match.index).trim()
    last = (match.index as number) + whole.length
    if (between) stack[stack.length - 1].children.push({ tag: '#text', attrs: { value: between }, children: [] })
    if (closing) {
      while (stack.length > 1 && stack.pop()?.tag !== tag);
      continue
    }
    const attrs: Record<string, string> = {}
    for (const [, name, value] of attrText.matchAll(ATTR)) attrs[name] = value ?? 'true'
    const element = { tag, attrs, children: [] }
    stack[stack.length - 1].children.push(element)
    if (!selfClosing) stack.push(element)
  }
  return root
}

/** The text inside an element, its `{{path}}` parts read from data. */
export function textOf(element: WxmlElement, data: Record<string, unknown>): string {
  if (element.tag === '#text') return element.attrs.value.replace(/\{\{\s*([\w$.]+)\s*\}\}/g, (m) => String(resolve(m, data) ?? ''))
  return element.children.map((child) => textOf(child, data)).join('')
}

/** A `{{path}}` read from data; a literal stays itself. */
export function resolve(value: string | undefined, data: Record<string, unknown>): unknown {
  if (value === undefined) return undefined
  const mustache = /^\{\{\s*([\w$.]+)\s*\}\}$/.exec(value)
  if (!mustache) return value
  return mustache[1].split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), data)
}

/** Every element, depth first, skipping those a `wx:if` removes for this data. */
export function elements(root: WxmlElement, data: Record<string, unknown>): WxmlElement[] {
  const found: WxmlElement[] = []
  const walk = (element: WxmlElement) => {
    if ('wx:if' in element.attrs && !resolve(element.attrs['wx:if'], data)) return
    if (element.tag === '#text') return
    if (element.tag !== '#root') found.push(element)
    element.children.forEach(walk)
  }
  walk(root)
  return found
}

/** The handler an element binds for an event type: `bind<type>`, `bind:<type>`, `catch<type>` or `catch:<type>`. */
export function binding(element: WxmlElement, type: string): string | undefined {
  for (const prefix of ['bind', 'bind:', 'catch', 'catch:']) if (element.attrs[prefix + type] !== undefined) return element.attrs[prefix + type]
  return undefined
}

/** data-* attributes as WeChat hands them to a handler: camelCased keys. */
export function dataset(element: WxmlElement, data: Record<string, unknown>): Record<string, unknown> {
  const set: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(element.attrs)) {
    if (name.startsWith('data-')) set[name.slice(5).replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())] = resolve(value, data)
  }
  return set
}
