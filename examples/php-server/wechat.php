<?php
declare(strict_types=1);

/** What one call to WeChat's server API gave: its JSON, or why there is none. */
final class WeChatAnswer
{
    /** @param array<string, mixed>|null $json */
    public function __construct(public readonly ?array $json, public readonly bool $unreachable = false)
    {
    }

    public function errcode(): int
    {
        return (int) ($this->json['errcode'] ?? 0);
    }
}

/**
 * WeChat's server API at WECHAT_API_BASE. Every call is bounded (P-TIME-2) by what is left of the
 * request's budget, so a slow WeChat gets the client an answer, never silence.
 */
final class WeChat
{
    private const CALL_SECONDS = 4.0;

    public function __construct(private readonly Config $config, private readonly Deadline $deadline)
    {
    }

    /** @param array<string, mixed>|null $json */
    private function call(string $method, string $path, array $query, ?array $json = null): WeChatAnswer
    {
        $seconds = min(self::CALL_SECONDS, $this->deadline->remaining());
        if ($seconds <= 0.05) {
            return new WeChatAnswer(null);
        }
        $http = ['method' => $method, 'timeout' => $seconds, 'ignore_errors' => true, 'header' => "Accept: application/json\r\n"];
        if ($json !== null) {
            $http['header'] .= "Content-Type: application/json\r\n";
            $http['content'] = json_encode($json, JSON_UNESCAPED_SLASHES);
        }
        $url = $this->config->wechatBase . $path . '?' . http_build_query($query);
        $previous = ini_set('default_socket_timeout', (string) $seconds);
        $error = null;
        set_error_handler(function (int $no, string $message) use (&$error) {
            $error = $message;
            return true;
        });
        try {
            $body = file_get_contents($url, false, stream_context_create(['http' => $http]));
        } finally {
            restore_error_handler();
            ini_set('default_socket_timeout', (string) $previous);
        }
        if ($body === false) {
            // Refused before anything was sent: WeChat certainly did not process it (P-CODE-2).
            $refused = $error !== null && (str_contains($error, 'Connection refused') || str_contains($error, 'getaddrinfo'));
            return new WeChatAnswer(null, $refused);
        }
        $decoded = json_decode($body, true);
        return new WeChatAnswer(is_array($decoded) ? $decoded : null);
    }

    /** jscode2session: the code's openid and session_key, or the reason WeChat refused it. */
    public function codeToSession(string $code): WeChatAnswer
    {
        return $this->call('GET', '/sns/jscode2session', [
            'appid' => $this->config->appId,
            'secret' => $this->config->secret,
            'js_code' => $code,
            'grant_type' => 'authorization_code',
        ]);
    }

    /** The stable access token: concurrent callers in any process get the same one; `force` after WeChat refused it. */
    public function fetchAccessToken(bool $force = false): WeChatAnswer
    {
        return $this->call('POST', '/cgi-bin/stable_token', [], [
            'grant_type' => 'client_credential',
            'appid' => $this->config->appId,
            'secret' => $this->config->secret,
            'force_refresh' => $force,
        ]);
    }

    /** `openid`: WeChat checks the phone code belongs to this user (P-PHONE-5). */
    public function phoneNumber(string $accessToken, string $phoneCode, string $openid): WeChatAnswer
    {
        return $this->call('POST', '/wxa/business/getuserphonenumber', ['access_token' => $accessToken], ['code' => $phoneCode, 'openid' => $openid]);
    }
}

/** The time one request may still spend, measured from when it arrived. */
final class Deadline
{
    private readonly float $end;

    public function __construct(float $seconds)
    {
        $this->end = microtime(true) + $seconds;
    }

    public function remaining(): float
    {
        return $this->end - microtime(true);
    }
}
