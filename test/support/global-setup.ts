import { FRAMEWORKS, frameworkInstalled, type Framework } from './frameworks'
import { phpAvailable } from './php'
import { fpmNginxAvailable } from './php-fpm'
import { redisAvailable } from './redis'
import { clusterAvailable } from './redis-cluster'

/**
 * Runs once before the suites: one loud line for each group of suites that will skip (Redis, Redis
 * Cluster, PHP, PHP behind nginx + php-fpm), and a failed run where they are mandatory (CI sets SESSION_GUARD_REQUIRE_REDIS=1,
 * SESSION_GUARD_REQUIRE_PHP=1 and SESSION_GUARD_REQUIRE_PHP_FPM=1).
 */
export default async function globalSetup(): Promise<void> {
  requireRedis()
  requirePhp()
  requireFpmNginx()
  requireFrameworks()
}

function requireRedis(): void {
  const skipped = !redisAvailable()
    ? 'the Redis and Redis Cluster suites: no redis-server on PATH and no REDIS_URL. Install redis-server and redis-tools (apt-get install redis-server redis-tools) or set REDIS_URL=redis://host:port for the single-node ones'
    : !clusterAvailable()
      ? 'the Redis Cluster suites: they start a local cluster with redis-server and redis-cli, and redis-cli is not on PATH. Install redis-tools (apt-get install redis-tools)'
      : undefined
  if (!skipped) return
  if (process.env.SESSION_GUARD_REQUIRE_REDIS === '1') throw new Error(`SESSION_GUARD_REQUIRE_REDIS=1, but it would skip ${skipped}`)
  process.stderr.write(`\n!!! SKIPPING ${skipped}.\n\n`)
}

/** The same for the PHP suite (examples/php-server); CI sets SESSION_GUARD_REQUIRE_PHP=1. */
function requirePhp(): void {
  if (phpAvailable()) return
  if (process.env.SESSION_GUARD_REQUIRE_PHP === '1') {
    throw new Error('SESSION_GUARD_REQUIRE_PHP=1, but there is no php on PATH with pdo_sqlite and openssl')
  }
  process.stderr.write('\n!!! SKIPPING the PHP suites (php -S, and nginx + php-fpm): no php on PATH with pdo_sqlite and openssl. Install php-cli php-sqlite3 (apt-get install php-cli php-sqlite3; add php-fpm nginx for the production setup) to run them.\n\n')
}

/** The PHP server's production setup (nginx + php-fpm); CI sets SESSION_GUARD_REQUIRE_PHP_FPM=1. */
function requireFpmNginx(): void {
  if (fpmNginxAvailable()) return
  if (process.env.SESSION_GUARD_REQUIRE_PHP_FPM === '1') {
    throw new Error('SESSION_GUARD_REQUIRE_PHP_FPM=1, but php (with pdo_sqlite, openssl), php-fpm and nginx are not all installed')
  }
  // Without php at all, requirePhp's line already said so: one line per missing thing.
  if (!phpAvailable()) return
  process.stderr.write('\n!!! SKIPPING the PHP production-setup suite (nginx + php-fpm): php, php-fpm or nginx is missing. Install php-cli php-sqlite3 php-fpm nginx (apt-get install php-cli php-sqlite3 php-fpm nginx) to run it.\n\n')
}

/** The same for the framework examples' builds (examples/taro, examples/uni-app); CI sets SESSION_GUARD_REQUIRE_FRAMEWORKS=1. */
function requireFrameworks(): void {
  const missing = (Object.keys(FRAMEWORKS) as Framework[]).filter((name) => !frameworkInstalled(name))
  if (missing.length === 0) return
  const what = missing.map((name) => `examples/${name}`).join(' and ')
  if (process.env.SESSION_GUARD_REQUIRE_FRAMEWORKS === '1') throw new Error(`SESSION_GUARD_REQUIRE_FRAMEWORKS=1, but ${what} has no node_modules (run npm ci there)`)
  process.stderr.write(`\n!!! SKIPPING the framework builds (${what}): their dependencies are not installed. Run \`npm ci\` in ${what} to build them with their own CLIs and run their taps.\n\n`)
}
