import { defaultFromReply } from '../../miniprogram_npm_src/app-session/app-session'
import { classifyDefaultReply, type FieldNames, type ReplyKind } from '../../miniprogram_npm_src/wire/protocol'

/** What the kit plays the client with: the guard's own options (and its defaults) for reading a backend's dialect. */
export interface ClientOptions {
  classify: (reply: unknown) => ReplyKind
  fields?: FieldNames
  /** The header that carries `Bearer <token>`. */
  header: string
  fromReply: (reply: unknown) => { token?: unknown; expiresIn?: unknown } | undefined
  /** Whether replies are the default `{ ok, reason }` shape (no --config classify). */
  defaultShape: boolean
}

export const defaultClientOptions = (): ClientOptions => ({
  classify: classifyDefaultReply,
  header: 'Authorization',
  fromReply: defaultFromReply,
  defaultShape: true,
})
