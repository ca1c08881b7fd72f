import { phpAvailable } from './php'
import { redisAvailable } from './redis'

/**
 * Runs once before the suites: one loud line when the Redis (or PHP) suites will skip, and a failed
 * run where they are mandatory (CI sets SESSION_GUARD_REQUIRE_REDIS=1 and SESSION_GUARD_REQUIRE_PHP=1).
 */
export default async function globalSetup(): Promise<void> {
  requireRedis()
  requirePhp()
}

function requireRedis(): void {
  if (redisAvailable()) return
  if (process.env.SESSION_GUARD_REQUIRE_REDIS === '1') {
    throw new Error('SESSION_GUARD_REQUIRE_REDIS=1, but there is no redis-server on PATH and no REDIS_URL')
  }
  process.stderr.write(
    '\n!!! SKIPPING the Redis suites: no redis-server on PATH and no REDIS_URL. Install redis-server (apt-get install redis-server) or set REDIS_URL=redis://host:port to run them.\n\n',
  )
}

/** The same for the PHP suite (examples/php-server); CI sets SESSION_GUARD_REQUIRE_PHP=1. */
function requirePhp(): void {
  if (phpAvailable()) return
  if (process.env.SESSION_GUARD_REQUIRE_PHP === '1') {
    throw new Error('SESSION_GUARD_REQUIRE_PHP=1, but there is no php on PATH with pdo_sqlite and openssl')
  }
  process.stderr.write('\n!!! SKIPPING the PHP suite: no php on PATH with pdo_sqlite and openssl. Install php-cli php-sqlite3 (apt-get install php-cli php-sqlite3) to run it.\n\n')
}
