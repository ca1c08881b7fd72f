/** Diagnostics never carry a code, iv or ciphertext: only whether it was there and how long. */
export function redactSecret(value: unknown): string {
  if (typeof value !== 'string' || value === '') return ''
  return '<redacted ' + value.length + '>'
}

const SECRET_FIELDS = ['code', 'iv', 'encryptedData', 'phoneCode', 'cloudID']

export function redactRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    out[key] = SECRET_FIELDS.indexOf(key) >= 0 ? redactSecret(record[key]) : record[key]
  }
  return out
}
