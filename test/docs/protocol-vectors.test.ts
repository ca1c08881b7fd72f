import { readFileSync } from 'node:fs'
import { decryptOpenData, isServerError } from '../../server'

interface Vector {
  id: string
  /** Absent: WeChat. Baidu's vectors carry `appKey` instead of `appId`. */
  platform?: 'baidu'
  appKey?: string
  appId: string
  sessionKey: string
  iv: string
  encryptedData: string
  expect?: Record<string, unknown>
  expectReason?: string
}

const pages = { zh: 'docs/protocol.md', en: 'docs/protocol.en.md' }

/** The JSON block after each `<!-- vector -->` marker. */
function vectorsOf(path: string): Vector[] {
  const text = readFileSync(path, 'utf8')
  return [...text.matchAll(/<!-- vector -->\s*```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as Vector)
}

function ruleIds(path: string): string[] {
  return [...new Set(readFileSync(path, 'utf8').match(/\bP-[A-Z]+-\d+\b/g) || [])].sort()
}

function reasonOf(vector: Vector): string {
  try {
    decryptOpenData(vector as never)
  } catch (error) {
    if (isServerError(error)) return error.code
    throw error
  }
  return 'opened'
}

describe('docs/protocol: the test vectors', () => {
  const vectors = vectorsOf(pages.en)

  it('are the same blocks in both languages, one per edge', () => {
    expect(vectorsOf(pages.zh)).toEqual(vectors)
    expect(vectors.map((v) => v.id)).toEqual(['V-OFFICIAL', 'V-PADDING', 'V-PLUS', 'V-SPACE', 'V-WATERMARK', 'V-WRONG-KEY', 'V-BAIDU', 'V-BAIDU-APPKEY'])
  })

  it.each(vectors.filter((v) => v.expect).map((v) => [v.id, v] as const))('%s opens to its stated plaintext with the companion', (_id, vector) => {
    expect(decryptOpenData(vector as never)).toEqual(vector.expect)
  })

  it.each(vectors.filter((v) => v.expectReason).map((v) => [v.id, v] as const))('%s is refused with its stated reason', (_id, vector) => {
    expect(reasonOf(vector)).toBe(vector.expectReason)
  })

  it('each vector tests the edge it names', () => {
    const byId = Object.fromEntries(vectors.map((v) => [v.id, v]))
    // A whole block of padding: the plaintext is a multiple of 16 bytes.
    expect(Buffer.byteLength(JSON.stringify(byId['V-PADDING'].expect)) % 16).toBe(0)
    // A '+' at the very start, where a trim before the repair would lose it; and one in the iv.
    expect(byId['V-PLUS'].encryptedData.startsWith('+')).toBe(true)
    expect(byId['V-PLUS'].iv).toContain('+')
    expect(byId['V-SPACE'].encryptedData).toBe(byId['V-PLUS'].encryptedData.replace(/\+/g, ' '))
    expect(byId['V-SPACE'].iv).toBe(byId['V-PLUS'].iv.replace(/\+/g, ' '))
    // Sealed for another app with the right key: it decrypts, then the watermark refuses it.
    expect(reasonOf({ ...byId['V-WATERMARK'], appId: 'wx0000000000000000' })).toBe('opened')
    // Baidu's sample pads by 28 bytes (over AES's 16), and its app_key differs from V-BAIDU-APPKEY's in one character only.
    const plain = Buffer.byteLength(JSON.stringify(byId['V-BAIDU'].expect)) + 16 + 4 + (byId['V-BAIDU'].appKey as string).length
    expect(32 - (plain % 32)).toBe(28)
    expect({ ...byId['V-BAIDU-APPKEY'], appKey: byId['V-BAIDU'].appKey, id: '', expectReason: undefined }).toEqual({ ...byId['V-BAIDU'], id: '', expect: undefined })
  })
})

describe('docs/protocol: both languages', () => {
  it('name the same rules', () => {
    expect(ruleIds(pages.zh)).toEqual(ruleIds(pages.en))
    expect(ruleIds(pages.en).length).toBeGreaterThan(30)
  })
})
