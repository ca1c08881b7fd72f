<?php
declare(strict_types=1);

/**
 * The app's session tokens (P-ID-5): v1.<base64url(openid)>.<expiry>.<base64url(HMAC-SHA256)>, signed
 * with SESSION_SECRET and checked in constant time. Nothing is stored: a token proves itself.
 */
final class Tokens
{
    public function __construct(private readonly string $secret, private readonly int $lifetime)
    {
    }

    private static function b64url(string $bytes): string
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }

    private static function unb64url(string $text): ?string
    {
        if (!preg_match('/^[A-Za-z0-9_-]+$/', $text)) {
            return null;
        }
        $bytes = base64_decode(strtr($text, '-_', '+/'), true);
        return $bytes === false ? null : $bytes;
    }

    private function sign(string $signed): string
    {
        return self::b64url(hash_hmac('sha256', $signed, $this->secret, true));
    }

    /** @return array{token: string, expiresIn: int} */
    public function issue(string $openid): array
    {
        $signed = 'v1.' . self::b64url($openid) . '.' . (time() + $this->lifetime);
        return ['token' => $signed . '.' . $this->sign($signed), 'expiresIn' => $this->lifetime];
    }

    /** The openid a token proves, or null: absent, malformed, forged or expired tokens prove nothing (P-ID-3). */
    public function verify(?string $token): ?string
    {
        if ($token === null || strlen($token) > 1024) {
            return null;
        }
        $parts = explode('.', $token);
        if (count($parts) !== 4 || $parts[0] !== 'v1' || !ctype_digit($parts[2])) {
            return null;
        }
        if (!hash_equals($this->sign("$parts[0].$parts[1].$parts[2]"), $parts[3])) {
            return null;
        }
        if ((int) $parts[2] <= time()) {
            return null;
        }
        $openid = self::unb64url($parts[1]);
        return $openid === null || $openid === '' ? null : $openid;
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
