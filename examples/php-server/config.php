<?php
declare(strict_types=1);

/** Settings from the environment, checked once per request; a bad setting stops the server answering. */
final class Config
{
    public function __construct(
        public readonly string $wechatBase,
        public readonly string $appId,
        public readonly string $secret,
        public readonly string $sessionSecret,
        public readonly string $storePath,
        public readonly int $tokenLifetime,
        public readonly string $loginPath,
        public readonly string $dataPath,
        public readonly string $mePath,
    ) {
    }

    public static function fromEnv(): self
    {
        $env = static fn (string $name, string $default = ''): string => (string) (getenv($name) !== false ? getenv($name) : $default);
        $config = new self(
            rtrim($env('WECHAT_API_BASE', 'https://api.weixin.qq.com'), '/'),
            $env('WX_APPID'),
            $env('WX_SECRET'),
            $env('SESSION_SECRET'),
            $env('STORE_PATH', sys_get_temp_dir() . '/session-guard-php.sqlite'),
            (int) $env('SESSION_LIFETIME_SECONDS', '86400'),
            $env('LOGIN_PATH', '/login'),
            $env('DATA_PATH', '/open-data'),
            $env('ME_PATH', '/me'),
        );
        if ($config->appId === '' || $config->secret === '') {
            throw new RuntimeException('WX_APPID and WX_SECRET must be set');
        }
        // P-ID-5: a signing secret of at least 32 bytes.
        if (strlen($config->sessionSecret) < 32) {
            throw new RuntimeException('SESSION_SECRET must be at least 32 bytes');
        }
        if ($config->tokenLifetime < 1 || $config->tokenLifetime > Tokens::MAX_LIFETIME) {
            throw new RuntimeException('SESSION_LIFETIME_SECONDS must be a whole number of seconds from 1 to 315360000 (10 years)');
        }
        return $config;
    }
}
