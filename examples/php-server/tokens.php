<?php
declare(strict_types=1);

/**
 * The app's session tokens (P-ID-5), in the companion's format, so either side reads the other's:
 *   v2.<b64url(appid)>.<b64url(openid)>.<b64url(16 random bytes)>.<issuedAt>.<expiresAt>.<b64url(HMAC-SHA256)>
 * Signed with SESSION_SECRET and checked in constant time; bound to WX_APPID (a server of another app
 * sharing the secret refuses it); a random id per login, so two logins in one second get two tokens;
 * every field read canonically (one spelling per token). Nothing is stored: a token proves itself.
 */
final class Tokens
{
    /** The longest SESSION_LIFETIME_SECONDS: 10 years, as the companion (an expiry is 12 digits at most). */
    public const MAX_LIFETIME = 315360000;
    private const SECONDS = '/^(0|[1-9][0-9]{0,11})$/';

    public function __construct(private readonly string $secret, private readonly int $lifetime, private readonly string $appId)
    {
    }

    private static function b64url(string $bytes): string
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }

    /** The bytes of a canonical base64url field (no padding, no other spelling of the same bytes), else null. */
    private static function unb64url(string $text): ?string
    {
        if (!preg_match('/^[A-Za-z0-9_-]+$/', $text)) {
            return null;
        }
        $bytes = base64_decode(strtr($text, '-_', '+/'), true);
        return $bytes === false || self::b64url($bytes) !== $text ? null : $bytes;
    }

    private function sign(string $signed): string
    {
        return self::b64url(hash_hmac('sha256', $signed, $this->secret, true));
    }

    /** @return array{token: string, expiresIn: int} */
    public function issue(string $openid): array
    {
        $now = microtime(true);
        // Rounded up, as the companion does: a token is never refused before the expiresIn it announces.
        $signed = implode('.', ['v2', self::b64url($this->appId), self::b64url($openid), self::b64url(random_bytes(16)), (int) floor($now), (int) ceil($now + $this->lifetime)]);
        return ['token' => $signed . '.' . $this->sign($signed), 'expiresIn' => $this->lifetime];
    }

    /** The openid a token proves, or null: absent, malformed, forged, expired or another app's tokens prove nothing (P-ID-3). */
    public function verify(?string $token): ?string
    {
        if ($token === null || strlen($token) > 1024) {
            return null;
        }
        $parts = explode('.', $token);
        if (count($parts) !== 7 || $parts[0] !== 'v2' || $parts[1] !== self::b64url($this->appId)) {
            return null;
        }
        [, , $openidField, $idField, $issuedAt, $expiresAt, $mac] = $parts;
        if (!preg_match(self::SECONDS, $issuedAt) || !preg_match(self::SECONDS, $expiresAt) || (int) $expiresAt <= (int) $issuedAt) {
            return null;
        }
        if (!hash_equals($this->sign(implode('.', array_slice($parts, 0, 6))), $mac) || (int) $expiresAt <= time()) {
            return null;
        }
        $id = self::unb64url($idField);
        $openid = self::unb64url($openidField);
        return $id === null || strlen($id) !== 16 || $openid === null || $openid === '' || preg_match('//u', $openid) !== 1 ? null : $openid;
    }

    /** The Bearer token of this request, if any. */
    public static function fromRequest(): ?string
    {
        $header = $_SERVER['HTTP_AUTHORIZATION'] ?? null;
        if ($header === null && function_exists('getallheaders')) {
            foreach (getallheaders() as $name => $value) {
                if (strtolower((string) $name) === 'authorization') {
                    $header = $value;
                }
            }
        }
        return is_string($header) && preg_match('/^Bearer\s+(\S+)$/i', trim($header), $m) ? $m[1] : null;
    }
}
