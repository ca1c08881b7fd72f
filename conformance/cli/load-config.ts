import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ReplyKind } from '../../miniprogram_npm_src/wire/protocol'
import { defaultClientOptions, type ClientOptions } from '../client/client-options'
import { UsageError } from './args'

/**
 * The --config file: CommonJS (or an ES module, .mjs) exporting the options the app gives the guard:
 * classify, fields, header, and optionally fromReply.
 */
export async function loadClientOptions(file: string | undefined): Promise<ClientOptions> {
  const options = defaultClientOptions()
  if (file === undefined) return options
  const absolute = resolve(file)
  let loaded: Record<string, unknown>
  try {
    const mod = absolute.endsWith('.mjs') ? await import(pathToFileURL(absolute).href) : createRequire(absolute)(absolute)
    loaded = (mod && (mod.default || mod)) as Record<string, unknown>
  } catch (error) {
    throw new UsageError(`--config ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!loaded || typeof loaded !== 'object') throw new UsageError(`--config ${file} exports nothing`)
  const { classify, fields, header, fromReply } = loaded
  if (classify !== undefined) {
    if (typeof classify !== 'function') throw new UsageError('--config: classify must be a function')
    options.classify = classify as (reply: unknown) => ReplyKind
    options.defaultShape = false
  }
  if (fields !== undefined) {
    if (!fields || typeof fields !== 'object' || Object.values(fields).some((v) => typeof v !== 'string' || !v)) throw new UsageError('--config: fields must map field names to non-empty strings')
    options.fields = fields as ClientOptions['fields']
  }
  if (header !== undefined) {
    if (typeof header !== 'string' || !/^[A-Za-z0-9-]+$/.test(header)) throw new UsageError('--config: header must be a header name')
    options.header = header
  }
  if (fromReply !== undefined) {
    if (typeof fromReply !== 'function') throw new UsageError('--config: fromReply must be a function')
    options.fromReply = fromReply as ClientOptions['fromReply']
  }
  return options
}
