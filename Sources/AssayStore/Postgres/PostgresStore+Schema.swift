import Foundation
import PostgresNIO

extension PostgresStore {
    /// A schema change: applied once, in a transaction, and recorded in `assay_migrations`.
    struct Migration {
        var version: Int
        var name: String
        /// One statement each: the extended protocol runs one at a time.
        var statements: [String]
    }

    /// The schema, as versioned steps. Never edit a shipped step: databases in the field already
    /// ran it. Add version 2 and so on instead.
    ///
    /// Version 1 is the SQLite store's schema as it stands after its v13, created directly. Ids are
    /// BIGINT identities, never reused; dates are TIMESTAMPTZ; JSON is TEXT, because JSONB would
    /// reorder an object's keys and Assay's JSON keeps its order (a codebook's variables, a
    /// document's metadata). Text compared or sorted as SQLite does is declared `COLLATE "C"`
    /// (bytewise), so the order does not depend on the server's locale.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "schema", statements: schema + accountsSchema + traceSchema),
        Migration(version: 2, name: "workers on a job", statements: workers),
        Migration(version: 3, name: "feedback kept across re-coding", statements: lastingFeedback),
        Migration(version: 4, name: "suggestion sets", statements: suggestionSets),
        Migration(version: 5, name: "sharing", statements: sharingSchema),
    ]

    /// A verdict belongs to its document, variable and entity and keeps the value as reviewed;
    /// re-coding replaces the value (the link goes NULL) where it used to take the feedback with it
    /// (the SQLite store's v15).
    private static let lastingFeedback = [
        "ALTER TABLE feedback ADD COLUMN document_id BIGINT REFERENCES documents(id) ON DELETE CASCADE",
        "ALTER TABLE feedback ADD COLUMN variable TEXT COLLATE \"C\"",
        "ALTER TABLE feedback ADD COLUMN entity_index BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE feedback ADD COLUMN reviewed_value_json TEXT",
        """
        UPDATE feedback f SET document_id = e.document_id, variable = e.variable, entity_index = e.entity_index,
            reviewed_value_json = e.value_json
        FROM extractions e WHERE e.id = f.extraction_id
        """,
        "ALTER TABLE feedback ALTER COLUMN document_id SET NOT NULL",
        "ALTER TABLE feedback ALTER COLUMN variable SET NOT NULL",
        "ALTER TABLE feedback ALTER COLUMN extraction_id DROP NOT NULL",
        "ALTER TABLE feedback DROP CONSTRAINT feedback_extraction_id_fkey",
        """
        ALTER TABLE feedback ADD CONSTRAINT feedback_extraction_id_fkey
            FOREIGN KEY (extraction_id) REFERENCES extractions(id) ON DELETE SET NULL
        """,
        "CREATE INDEX feedback_document ON feedback(document_id, variable)",
    ]

    /// Claims per job and worker, which workers work on each job (with their heartbeats), and
    /// which jobs are queued for workers (the SQLite store's v14).
    private static let workers = [
        "ALTER TABLE document_claims ADD COLUMN worker TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
        """
        CREATE TABLE job_workers (
            job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            worker TEXT COLLATE "C" NOT NULL,
            heartbeat_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (job_id, worker)
        )
        """,
        "ALTER TABLE jobs ADD COLUMN queued BOOLEAN NOT NULL DEFAULT FALSE",
    ]

    /// Serialises migrations of concurrent openers (several workers starting at once):
    /// `pg_advisory_xact_lock` on this key, held until the migrating transaction ends.
    private static let migrationLock: Int64 = 0x4153_5341_5900  // "ASSAY"

    /// Brings the schema up to date, in one transaction under the lock.
    static func migrate(_ session: PostgresSession) async throws {
        try await session.transaction { db in
            try await db.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))")
            try await db.execute(
                """
                CREATE TABLE IF NOT EXISTS assay_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """)
            let applied = Set(try await db.rows("SELECT version FROM assay_migrations").map { try $0.field("version", as: Int.self) })
            if let newest = applied.max(), newest > Self.migrations.map(\.version).max() ?? 0 {
                throw StoreError.unavailable("the database was migrated by a newer Assay (schema version \(newest))")
            }
            for migration in Self.migrations where !applied.contains(migration.version) {
                for statement in migration.statements { try await db.execute(SQL(stringLiteral: statement)) }
                try await db.execute("INSERT INTO assay_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
        }
    }

    private static let schema = [
        """
        CREATE TABLE projects (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT,
            owner TEXT,
            unit TEXT NOT NULL DEFAULT 'document',
            entity_instruction TEXT,
            status TEXT NOT NULL,
            max_tokens BIGINT,
            max_cost DOUBLE PRECISION,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        // Projects without an owner (the CLI's) share one namespace; a user's are unique per user.
        "CREATE UNIQUE INDEX projects_owner_name ON projects ((COALESCE(owner, '')), name)",
        """
        CREATE TABLE codebook_versions (
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            version BIGINT NOT NULL,
            codebook_json TEXT NOT NULL,
            codebook_hash TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (project_id, version)
        )
        """,
        """
        CREATE TABLE documents (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            external_id TEXT NOT NULL,
            title TEXT,
            media_type TEXT NOT NULL,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            word_count BIGINT NOT NULL,
            token_count BIGINT NOT NULL,
            chunk_count BIGINT NOT NULL DEFAULT 1,
            status TEXT NOT NULL,
            error TEXT,
            metadata_json TEXT NOT NULL DEFAULT 'null',
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            UNIQUE (project_id, external_id)
        )
        """,
        "CREATE INDEX documents_project_status ON documents(project_id, status)",
        """
        CREATE TABLE jobs (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            codebook_version BIGINT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            selection_json TEXT NOT NULL,
            total BIGINT NOT NULL DEFAULT 0,
            processed BIGINT NOT NULL DEFAULT 0,
            succeeded BIGINT NOT NULL DEFAULT 0,
            flagged BIGINT NOT NULL DEFAULT 0,
            failed BIGINT NOT NULL DEFAULT 0,
            consecutive_failures BIGINT NOT NULL DEFAULT 0,
            tokens_in BIGINT NOT NULL DEFAULT 0,
            tokens_out BIGINT NOT NULL DEFAULT 0,
            tokens_cached BIGINT NOT NULL DEFAULT 0,
            cost DOUBLE PRECISION,
            error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            started_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            heartbeat_at TIMESTAMPTZ,
            claims_work BOOLEAN NOT NULL DEFAULT FALSE,
            worker TEXT
        )
        """,
        "CREATE INDEX jobs_project ON jobs(project_id)",
        // An event outlives the document it names: the audit trail stays, the link goes.
        """
        CREATE TABLE job_events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            document_id BIGINT REFERENCES documents(id) ON DELETE SET NULL,
            message TEXT,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX job_events_job ON job_events(job_id)",
        """
        CREATE TABLE job_metrics (
            job_id BIGINT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
            metrics_json TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
        // Values belong to their document; deleting a job's history keeps them (job_id goes NULL).
        """
        CREATE TABLE extractions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            variable TEXT NOT NULL,
            entity_index BIGINT NOT NULL DEFAULT 0,
            entity_text TEXT,
            value_json TEXT NOT NULL,
            confidence DOUBLE PRECISION,
            evidence_quote TEXT,
            evidence_start BIGINT,
            evidence_end BIGINT,
            evidence_match TEXT,
            rationale TEXT,
            status TEXT NOT NULL,
            error TEXT,
            codebook_version BIGINT NOT NULL,
            prompt_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            job_id BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
            created_at TIMESTAMPTZ NOT NULL,
            settings_json TEXT,
            run_values_json TEXT,
            run_agreement DOUBLE PRECISION,
            model_confidence DOUBLE PRECISION,
            UNIQUE (document_id, variable, entity_index)
        )
        """,
        "CREATE INDEX extractions_job ON extractions(job_id)",
        // One row per document: its latest outcome, which is what makes runs resumable.
        """
        CREATE TABLE document_outcomes (
            document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            codebook_version BIGINT NOT NULL,
            content_hash TEXT NOT NULL,
            outcome TEXT NOT NULL,
            error_kind TEXT,
            reason TEXT,
            updated_at TIMESTAMPTZ NOT NULL,
            tokens_in BIGINT NOT NULL DEFAULT 0,
            tokens_out BIGINT NOT NULL DEFAULT 0,
            tokens_cached BIGINT NOT NULL DEFAULT 0,
            cost DOUBLE PRECISION
        )
        """,
        "CREATE INDEX document_outcomes_job ON document_outcomes(job_id)",
        // Who codes which document now (WorkClaims): one row per claimed document.
        """
        CREATE TABLE document_claims (
            document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            lease_until TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX document_claims_job ON document_claims(job_id)",
        // project_id is derived on insert from the job or the document, so records without either
        // still belong to a project and listing by project needs no join.
        """
        CREATE TABLE error_records (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            job_id BIGINT REFERENCES jobs(id) ON DELETE CASCADE,
            document_id BIGINT REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            response_hash TEXT,
            excerpt TEXT,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX error_records_project_job ON error_records(project_id, job_id)",
        """
        CREATE TABLE feedback (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            extraction_id BIGINT NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
            verdict TEXT NOT NULL,
            corrected_value_json TEXT,
            note TEXT,
            author TEXT,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX feedback_extraction ON feedback(extraction_id)",
        // Each readable document's MinHash and its band keys, indexed per project so a new
        // document's near-duplicate candidates are a lookup, not a scan.
        """
        CREATE TABLE document_fingerprints (
            document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            minhash BYTEA NOT NULL
        )
        """,
        """
        CREATE TABLE document_bands (
            project_id BIGINT NOT NULL,
            band_key BIGINT NOT NULL,
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (project_id, band_key, document_id)
        )
        """,
        "CREATE INDEX document_bands_document ON document_bands(document_id)",
        """
        CREATE TABLE human_codes (
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            variable TEXT COLLATE "C" NOT NULL,
            coder TEXT COLLATE "C" NOT NULL,
            value TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (document_id, variable, coder)
        )
        """,
        """
        CREATE TABLE provider_batches (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            job_id BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
            state TEXT NOT NULL,
            item_count BIGINT NOT NULL,
            submitted_at TIMESTAMPTZ NOT NULL,
            reason TEXT
        )
        """,
        "CREATE INDEX provider_batches_open ON provider_batches(provider, model, state)",
        "CREATE INDEX provider_batches_job ON provider_batches(job_id)",
        """
        CREATE TABLE provider_batch_items (
            batch_id BIGINT NOT NULL REFERENCES provider_batches(id) ON DELETE CASCADE,
            request_key TEXT NOT NULL,
            delivered BOOLEAN NOT NULL DEFAULT false,
            PRIMARY KEY (batch_id, request_key)
        )
        """,
    ]

    /// Failure patterns (one per project and source trace, replaced on save) and trace-run
    /// summaries, which `PatternStore` (AssayTraces) reads and writes.
    private static let traceSchema = [
        """
        CREATE TABLE failure_patterns (
            pattern_id TEXT NOT NULL,
            project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            source_trace_id TEXT COLLATE "C" NOT NULL,
            job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            failure_type TEXT NOT NULL,
            trigger_condition TEXT NOT NULL,
            severity TEXT NOT NULL,
            confidence DOUBLE PRECISION NOT NULL,
            pattern_json TEXT NOT NULL,
            extracted_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (project_id, source_trace_id)
        )
        """,
        "CREATE INDEX failure_patterns_type ON failure_patterns(project_id, failure_type)",
        "CREATE INDEX failure_patterns_document ON failure_patterns(document_id)",
        """
        CREATE TABLE run_summaries (
            job_id BIGINT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
            summary_json TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]
}
