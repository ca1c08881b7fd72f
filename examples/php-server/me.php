<?php
declare(strict_types=1);

/**
 * The app's own business route, behind the session token (P-ID-5): the user's id, or HTTP 401
 * SESSION_EXPIRED with WWW-Authenticate, which makes the guard's request() log in once and replay.
 */
final class MeRoute
{
    public function __construct(private readonly Tokens $tokens)
    {
    }

    public function handle(?string $bearer): Reply
    {
        $openid = $this->tokens->verify($bearer);
        if ($openid === null) {
            header('WWW-Authenticate: Bearer');
            return Reply::fail('SESSION_EXPIRED', 401);
        }
        // An id of the app's own, derived from the openid: the openid itself stays on the server.
        return Reply::ok(['user' => ['id' => substr(hash('sha256', 'user:' . $openid), 0, 16)]]);
    }
}
