/** The guard's payload, checked: what the handler may use, or undefined for BAD_INPUT. */
export interface ParsedPayload {
  flag: '0' | '1'
  /** A login code (flag '0' only). */
  code?: string
  sealed?: { iv: string; encryptedData: string }
  phoneCode?: string
  cloudID?: string
  /** What the sealed data is, as the client says (`openData(fetch, { kind })`): see data-kinds.ts. */
  dataKind?: string
}

export function isString(value: unknown, max = 64 * 1024): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max
}

function optionalString(value: unknown, max: number): string | undefined | false {
  if (value === undefined || value === null || value === '') return undefined
  return isString(value, max) ? value : false
}

/**
 * Any of three ways to the data may come: sealed (`iv` + `encryptedData`), a phone code, a cloudID.
 * At least one must; a half-sealed payload is refused rather than guessed at.
 */
export function parsePayload(payload: unknown): ParsedPayload | undefined {
  if (!payload || typeof payload !== 'object') return undefined
  const p = payload as Record<string, unknown>
  if (p.sessionKeyValidFlag !== '0' && p.sessionKeyValidFlag !== '1') return undefined
  const parsed: ParsedPayload = { flag: p.sessionKeyValidFlag }
  if (parsed.flag === '0') {
    if (!isString(p.code, 256)) return undefined
    parsed.code = p.code
  }
  const iv = optionalString(p.iv, 64)
  const encryptedData = optionalString(p.encryptedData, 64 * 1024)
  const phoneCode = optionalString(p.phoneCode, 256)
  const cloudID = optionalString(p.cloudID, 1024)
  const dataKind = optionalString(p.dataKind, 32)
  if (iv === false || encryptedData === false || phoneCode === false || cloudID === false || dataKind === false) return undefined
  if (dataKind !== undefined && !/^[a-z][a-z0-9-]*$/.test(dataKind)) return undefined
  if ((iv === undefined) !== (encryptedData === undefined)) return undefined
  if (iv !== undefined && encryptedData !== undefined) parsed.sealed = { iv, encryptedData }
  if (phoneCode !== undefined) parsed.phoneCode = phoneCode
  if (cloudID !== undefined) parsed.cloudID = cloudID
  if (dataKind !== undefined) parsed.dataKind = dataKind
  return parsed.sealed || parsed.phoneCode || parsed.cloudID ? parsed : undefined
}
