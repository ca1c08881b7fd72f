<?php
declare(strict_types=1);

/**
 * The seed thread's server, in PHP, following docs/protocol.md. In development, PHP's built-in server:
 *   php -S 127.0.0.1:$PORT examples/php-server/index.php
 * in production, php-fpm behind nginx (deploy/, README.md): `php -S` waits forever for a stalled body.
 * Transport checks (P-HTTP-*), then the route; any unexpected failure is 500 INTERNAL, logged
 * without the request's secrets.
 */
foreach (['config', 'reply', 'store', 'wechat', 'crypto', 'tokens', 'login-code', 'phone-code', 'payload', 'open-data', 'login', 'me'] as $file) {
    require_once __DIR__ . "/$file.php";
}

const MAX_BODY_BYTES = 131072;
/** Everything one request does is answered within this, under the client's 10 s default (P-TIME-2). */
const REQUEST_SECONDS = 8.0;

function respond(): Reply
{
    try {
        $config = Config::fromEnv();
    } catch (RuntimeException $error) {
        error_log('php-server: ' . $error->getMessage());
        return Reply::fail('INTERNAL', 500);
    }
    $path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
    if ($path === $config->mePath) {
        return (new MeRoute(new Tokens($config->sessionSecret, $config->tokenLifetime, $config->appId)))->handle(Tokens::fromRequest());
    }
    if ($path !== $config->loginPath && $path !== $config->dataPath) {
        return Reply::fail('NOT_FOUND', 404);
    }
    if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
        header('Allow: POST');
        return Reply::fail('METHOD_NOT_ALLOWED', 405);
    }
    // JSON only: a form decoder would turn base64 '+' into a space (P-HTTP-2).
    $type = strtolower(trim(explode(';', (string) ($_SERVER['CONTENT_TYPE'] ?? ''))[0]));
    if ($type !== 'application/json') {
        return Reply::fail('UNSUPPORTED_MEDIA_TYPE', 415);
    }
    if ((int) ($_SERVER['CONTENT_LENGTH'] ?? 0) > MAX_BODY_BYTES) {
        return Reply::fail('TOO_LARGE', 413);
    }
    $raw = file_get_contents('php://input', false, null, 0, MAX_BODY_BYTES + 1);
    if ($raw === false || strlen($raw) > MAX_BODY_BYTES) {
        return Reply::fail('TOO_LARGE', 413);
    }
    $body = json_decode($raw, true);
    if (!is_array($body) || !(json_decode($raw) instanceof stdClass)) {
        return Reply::fail('BAD_INPUT', 400);
    }

    try {
        $store = new Store($config->storePath);
        $wechat = new WeChat($config, new Deadline(REQUEST_SECONDS));
        $tokens = new Tokens($config->sessionSecret, $config->tokenLifetime, $config->appId);
        $codes = new LoginCodes($store, $wechat);
        if ($path === $config->loginPath) {
            return (new LoginRoute($codes, $tokens))->handle($body);
        }
        return (new OpenDataRoute($config, $store, $codes, new PhoneCodes($store, $wechat), $tokens))->handle($body, Tokens::fromRequest());
    } catch (ProtocolFailure $failure) {
        return Reply::fail($failure->reason);
    }
}

try {
    respond()->send();
} catch (Throwable $error) {
    // The class and place only: a message could carry a key or a code.
    error_log('php-server: unexpected ' . get_class($error) . ' at ' . basename($error->getFile()) . ':' . $error->getLine());
    Reply::fail('INTERNAL', 500)->send();
}
