<?php
declare(strict_types=1);

/** One JSON answer; every answer of both routes is one of these (P-REPLY-1). */
final class Reply
{
    /** @param array<string, mixed> $body */
    private function __construct(public readonly int $status, public readonly array $body)
    {
    }

    /** @param array<string, mixed> $fields */
    public static function ok(array $fields = []): self
    {
        return new self(200, ['ok' => true] + $fields);
    }

    /** Protocol failures go with 200 (P-STATUS-1); only transport refusals and 401 use other statuses. */
    public static function fail(string $reason, int $status = 200): self
    {
        return new self($status, ['ok' => false, 'reason' => $reason]);
    }

    public function isOk(): bool
    {
        return $this->body['ok'] === true;
    }

    public function reason(): ?string
    {
        return $this->body['reason'] ?? null;
    }

    /** @param array<string, mixed> $fields */
    public function with(array $fields): self
    {
        return new self($this->status, $this->body + $fields);
    }

    public function send(): void
    {
        http_response_code($this->status);
        header('Content-Type: application/json; charset=utf-8');
        header('Cache-Control: no-store');
        echo json_encode($this->body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }
}

/** A failure reason thrown from deep inside (the store, WeChat) and answered as it is. */
final class ProtocolFailure extends RuntimeException
{
    public function __construct(public readonly string $reason)
    {
        parent::__construct($reason);
    }
}
