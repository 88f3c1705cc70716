-- webhook-service schema; the outbox and applied_event tables come from platform (db/platform).

-- A copy of each repository's identity, kept from shoal.repo events, for delivery payloads.
CREATE TABLE repo (
    id          BIGINT PRIMARY KEY,
    org         TEXT NOT NULL,
    name        TEXT NOT NULL,
    is_private  BOOLEAN NOT NULL,
    description TEXT,
    default_branch TEXT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX repo_by_name ON repo (lower(org), lower(name));

CREATE TABLE hook (
    id                   BIGSERIAL PRIMARY KEY,
    repo_id              BIGINT NOT NULL,
    url                  TEXT NOT NULL,
    -- AES-GCM ciphertext ("v1:…") when shoal.webhook.secret-key is set; never returned by the API.
    secret               TEXT NOT NULL,
    events               TEXT[] NOT NULL,
    content_type         TEXT NOT NULL DEFAULT 'json',
    is_active            BOOLEAN NOT NULL DEFAULT TRUE,
    parallel             BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_reason      TEXT,
    consecutive_failures INT NOT NULL DEFAULT 0,
    created_by           BIGINT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX hook_by_repo ON hook (repo_id);

-- Every delivery is a row before it is a request: pending rows are the dispatcher's queue.
CREATE TABLE delivery (
    id              BIGSERIAL PRIMARY KEY,
    hook_id         BIGINT NOT NULL REFERENCES hook (id) ON DELETE CASCADE,
    delivery_uuid   UUID NOT NULL UNIQUE,
    event_type      TEXT NOT NULL,
    event_id        UUID,
    body            BYTEA NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'retrying')),
    attempts        INT NOT NULL DEFAULT 0,
    -- attempts since the last (re)delivery request; the retry budget applies to these
    round_attempts  INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    claim_token     UUID,
    claimed_until   TIMESTAMPTZ,
    response_code   INT,
    duration_ms     BIGINT,
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX delivery_due ON delivery (next_attempt_at, id) WHERE status IN ('pending', 'retrying');
CREATE INDEX delivery_by_hook ON delivery (hook_id, id DESC);
CREATE UNIQUE INDEX delivery_once_per_event ON delivery (hook_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE delivery_attempt (
    id               BIGSERIAL PRIMARY KEY,
    delivery_id      BIGINT NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt          INT NOT NULL,
    url              TEXT NOT NULL,
    request_headers  JSONB NOT NULL,
    response_code    INT,
    response_headers JSONB,
    response_body    TEXT,
    response_truncated BOOLEAN NOT NULL DEFAULT FALSE,
    error            TEXT,
    duration_ms      BIGINT NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX attempt_by_delivery ON delivery_attempt (delivery_id, attempt DESC);
