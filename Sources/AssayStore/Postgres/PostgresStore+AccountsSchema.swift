extension PostgresStore {
    /// The service's users, refresh tokens, API keys and revoked access tokens.
    static let accountsSchema = [
        """
        CREATE TABLE users (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'user',
            created_at TIMESTAMPTZ NOT NULL,
            token_generation BIGINT NOT NULL DEFAULT 0
        )
        """,
        // SQLite's COLLATE NOCASE: one account per email whatever its case, found in any case.
        "CREATE UNIQUE INDEX users_email ON users (lower(email))",
        // Only the SHA-256 of a token is kept; the token itself is shown once.
        """
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            expires_at TIMESTAMPTZ NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id)",
        """
        CREATE TABLE api_keys (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX api_keys_user ON api_keys(user_id)",
        """
        CREATE TABLE revoked_access_tokens (
            token_id TEXT PRIMARY KEY,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]
}
