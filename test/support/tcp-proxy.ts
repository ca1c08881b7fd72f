/**
 * A TCP link on loopback between one client process and Redis that the test can make slow or
 * break: from the first client chunk carrying a marker (a session key) on, traffic toward Redis
 * is delayed, or held and never delivered; `cut()` then drops every connection (held bytes lost),
 * as a link that fails mid-command and heals.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export type LinkMode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'hold' }

export interface Link {
  url: string
  /** How traffic toward Redis is treated once a client chunk contains `marker`. */
  arm(marker: string, mode: LinkMode): void
  /** Resolves when the marker went by (bounded by `ms`). */
  tripped(ms: number): Promise<void>
  /** Drops every open connection, held bytes included; new connections pass. */
  cut(): void
  /** Client chunks delivered to Redis on connections opened after the last cut. */
  deliveredSinceCut(): string
  close(): Promise<void>
}

export async function startLink(targetPort: number): Promise<Link> {
  let marker: string | undefined
  let armedMode: LinkMode = { kind: 'pass' }
  let mode: LinkMode = { kind: 'pass' }
  let trippedAt: (() => void) | undefined
  let hasTripped = false
  let afterCut = ''
  let cutCount = 0
  const pairs = new Set<{ client: Socket; upstream: Socket }>()
  const timers = new Set<NodeJS.Timeout>()

  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    const pair = { client, upstream }
    const generation = cutCount
    pairs.add(pair)
    let releaseAt = 0
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1')
      if (marker && !hasTripped && text.includes(marker)) {
        hasTripped = true
        mode = armedMode
        trippedAt?.()
      }
      if (mode.kind === 'hold') return
      const deliver = () => {
        if (generation !== cutCount) return
        if (cutCount > 0) afterCut += text
        upstream.write(chunk)
      }
      if (mode.kind === 'pass') return deliver()
      // Delayed chunks keep their order on the connection.
      releaseAt = Math.max(releaseAt, Date.now() + mode.ms)
      const timer = setTimeout(() => (timers.delete(timer), deliver()), releaseAt - Date.now())
      timers.add(timer)
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    const drop = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  const cut = () => {
    cutCount++
    mode = { kind: 'pass' }
    marker = undefined
    for (const timer of timers) clearTimeout(timer)
    timers.clear()
    for (const { client, upstream } of [...pairs]) {
      client.destroy()
      upstream.destroy()
    }
    pairs.clear()
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    arm(m, next) {
      marker = m
      armedMode = next
      hasTripped = false
    },
    tripped(ms) {
      if (hasTripped) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the marked write did not go by within ${ms} ms`)), ms)
        trippedAt = () => (clearTimeout(timer), resolve())
      })
    },
    cut,
    deliveredSinceCut: () => afterCut,
    close() {
      cut()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
