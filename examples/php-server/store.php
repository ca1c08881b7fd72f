<?php
declare(strict_types=1);

/**
 * The shared state of every PHP process: login-code and phone-code claims, each user's session keys
 * (current and previous), and the cached access token. SQLite in WAL mode; every change is one
 * BEGIN IMMEDIATE transaction, so concurrent requests (PHP_CLI_SERVER_WORKERS, php-fpm) serialise on
 * SQLite's write lock. Every wait is bounded by busy_timeout; past it the caller gets STORE_UNAVAILABLE.
 */
final class Store
{
    /** Claims outlive the 5 minutes a code lives (P-TIME-1). */
    public const CLAIM_SECONDS = 600;
    /** The replaced key still opens data for this long after a rotation (P-KEY-3). */
    public const GRACE_SECONDS = 300;
    /** A key unused this long is forgotten (P-KEY-4). */
    public const KEY_IDLE_SECONDS = 7 * 86400;
    private const BUSY_MS = 3000;

    private PDO $db;

    public function __construct(string $path)
    {
        try {
            $this->db = new PDO('sqlite:' . $path, null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 3]);
            $this->db->exec('PRAGMA busy_timeout = ' . self::BUSY_MS);
            $this->db->exec('PRAGMA journal_mode = WAL');
            $this->db->exec('PRAGMA synchronous = NORMAL');
            $this->db->exec(<<<SQL
                CREATE TABLE IF NOT EXISTS claims (ns TEXT NOT NULL, code TEXT NOT NULL, owner TEXT, result TEXT, expires_at REAL NOT NULL, PRIMARY KEY (ns, code));
                CREATE INDEX IF NOT EXISTS claims_expiry ON claims (expires_at);
                CREATE TABLE IF NOT EXISTS session_keys (openid TEXT PRIMARY KEY, current TEXT NOT NULL, current_at REAL NOT NULL, previous TEXT, rotated_at REAL, used_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS access_token (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL, expires_at REAL NOT NULL);
                SQL);
        } catch (PDOException) {
            throw new ProtocolFailure('STORE_UNAVAILABLE');
        }
    }

    /**
     * @template T
     * @param callable(PDO): T $work
     * @return T
     */
    private function transaction(callable $work): mixed
    {
        try {
            $this->db->exec('BEGIN IMMEDIATE');
            try {
                $result = $work($this->db);
                $this->db->exec('COMMIT');
                return $result;
            } catch (Throwable $error) {
                $this->db->exec('ROLLBACK');
                throw $error;
            }
        } catch (PDOException) {
            throw new ProtocolFailure('STORE_UNAVAILABLE');
        }
    }

    /**
     * Claims a code in its namespace ('login' or 'phone') for `owner`. Returns null when this call
     * claimed it, or the existing claim (its owner and stored result) when someone got there first.
     *
     * @return array{owner: ?string, result: ?string}|null
     */
    public function claim(string $ns, string $code, ?string $owner = null): ?array
    {
        return $this->transaction(function (PDO $db) use ($ns, $code, $owner) {
            $now = microtime(true);
            $db->prepare('DELETE FROM claims WHERE expires_at < ?')->execute([$now]);
            $find = $db->prepare('SELECT owner, result FROM claims WHERE ns = ? AND code = ?');
            $find->execute([$ns, $code]);
            $row = $find->fetch(PDO::FETCH_ASSOC);
            if ($row !== false) {
                return ['owner' => $row['owner'], 'result' => $row['result']];
            }
            $db->prepare('INSERT INTO claims (ns, code, owner, result, expires_at) VALUES (?, ?, ?, NULL, ?)')
                ->execute([$ns, $code, $owner, $now + self::CLAIM_SECONDS]);
            return null;
        });
    }

    /** Gives a claim back: only when WeChat certainly did not process the code (P-CODE-2). */
    public function release(string $ns, string $code): void
    {
        $this->transaction(fn (PDO $db) => $db->prepare('DELETE FROM claims WHERE ns = ? AND code = ? AND result IS NULL')->execute([$ns, $code]));
    }

    public function settleClaim(string $ns, string $code, string $result): void
    {
        $this->transaction(fn (PDO $db) => $db->prepare('UPDATE claims SET result = ? WHERE ns = ? AND code = ?')->execute([$result, $ns, $code]));
    }

    /**
     * Stores the key of an exchange WeChat answered at `answeredAt`. The key of the latest answer is
     * current, whatever order the writes arrive in; the replaced one becomes previous (P-KEY-3), and
     * storing the current key again changes nothing (P-KEY-4).
     */
    public function storeKey(string $openid, string $key, float $answeredAt): void
    {
        $this->transaction(function (PDO $db) use ($openid, $key, $answeredAt) {
            $now = microtime(true);
            $find = $db->prepare('SELECT current, current_at, previous, rotated_at FROM session_keys WHERE openid = ? AND used_at >= ?');
            $find->execute([$openid, $now - self::KEY_IDLE_SECONDS]);
            $row = $find->fetch(PDO::FETCH_ASSOC);
            if ($row === false) {
                $db->prepare('INSERT OR REPLACE INTO session_keys (openid, current, current_at, previous, rotated_at, used_at) VALUES (?, ?, ?, NULL, NULL, ?)')
                    ->execute([$openid, $key, $answeredAt, $now]);
            } elseif (hash_equals($row['current'], $key)) {
                $db->prepare('UPDATE session_keys SET current_at = MAX(current_at, ?), used_at = ? WHERE openid = ?')->execute([$answeredAt, $now, $openid]);
            } elseif ($answeredAt >= (float) $row['current_at']) {
                $db->prepare('UPDATE session_keys SET previous = current, rotated_at = ?, current = ?, current_at = ?, used_at = ? WHERE openid = ?')
                    ->execute([$now, $key, $answeredAt, $now, $openid]);
            } else {
                // An older exchange whose write arrived late: it stays behind the current key, as the previous one.
                $db->prepare('UPDATE session_keys SET previous = ?, rotated_at = ?, used_at = ? WHERE openid = ?')->execute([$key, $now, $now, $openid]);
            }
        });
    }

    /**
     * The keys that may open this user's data, current first, the previous one while in grace.
     *
     * @return list<string>
     */
    public function keys(string $openid): array
    {
        return $this->transaction(function (PDO $db) use ($openid) {
            $now = microtime(true);
            $find = $db->prepare('SELECT current, previous, rotated_at FROM session_keys WHERE openid = ? AND used_at >= ?');
            $find->execute([$openid, $now - self::KEY_IDLE_SECONDS]);
            $row = $find->fetch(PDO::FETCH_ASSOC);
            if ($row === false) {
                return [];
            }
            $db->prepare('UPDATE session_keys SET used_at = ? WHERE openid = ?')->execute([$now, $openid]);
            $keys = [$row['current']];
            if ($row['previous'] !== null && $now - (float) $row['rotated_at'] <= self::GRACE_SECONDS) {
                $keys[] = $row['previous'];
            }
            return $keys;
        });
    }

    public function accessToken(): ?string
    {
        return $this->transaction(function (PDO $db) {
            $find = $db->prepare('SELECT token FROM access_token WHERE id = 1 AND expires_at > ?');
            $find->execute([microtime(true)]);
            $token = $find->fetchColumn();
            return $token === false ? null : (string) $token;
        });
    }

    public function saveAccessToken(string $token, float $expiresAt): void
    {
        $this->transaction(fn (PDO $db) => $db->prepare('INSERT OR REPLACE INTO access_token (id, token, expires_at) VALUES (1, ?, ?)')->execute([$token, $expiresAt]));
    }

    public function dropAccessToken(string $token): void
    {
        $this->transaction(fn (PDO $db) => $db->prepare('DELETE FROM access_token WHERE id = 1 AND token = ?')->execute([$token]));
    }
}
