<?php
declare(strict_types=1);

/** The login route (§4): exchange the code, store the key, hand out a session token. */
final class LoginRoute
{
    public function __construct(private readonly LoginCodes $codes, private readonly Tokens $tokens)
    {
    }

    /** @param array<string, mixed> $body */
    public function handle(array $body): Reply
    {
        $code = $body['code'] ?? null;
        if (!is_string($code) || $code === '' || strlen($code) > 256) {
            return Reply::fail('BAD_INPUT');
        }
        [$openid] = $this->codes->exchange($code);
        return Reply::ok($this->tokens->issue($openid));
    }
}
