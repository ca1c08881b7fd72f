import { redisAvailable } from './redis'
import { clusterAvailable } from './redis-cluster'

/**
 * Runs once before the suites: one loud line when the Redis (or Redis Cluster) suites will skip,
 * and a failed run where Redis is mandatory (CI sets SESSION_GUARD_REQUIRE_REDIS=1).
 */
export default async function globalSetup(): Promise<void> {
  const skipped = !redisAvailable()
    ? 'the Redis and Redis Cluster suites: no redis-server on PATH and no REDIS_URL. Install redis-server and redis-tools (apt-get install redis-server redis-tools) or set REDIS_URL=redis://host:port for the single-node ones'
    : !clusterAvailable()
      ? 'the Redis Cluster suites: they start a local cluster with redis-server and redis-cli, and redis-cli is not on PATH. Install redis-tools (apt-get install redis-tools)'
      : undefined
  if (!skipped) return
  if (process.env.SESSION_GUARD_REQUIRE_REDIS === '1') throw new Error(`SESSION_GUARD_REQUIRE_REDIS=1, but it would skip ${skipped}`)
  process.stderr.write(`\n!!! SKIPPING ${skipped}.\n\n`)
}
