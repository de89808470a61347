import Foundation
import GRDB

extension SQLiteStore {
    /// The schema, as migrations. Never edit a shipped migration: databases in the field already ran
    /// it. Add "v2" and so on instead.
    ///
    /// Dates are REAL seconds since 1970. JSON (metadata, values, selections, codebooks) is TEXT.
    /// Ids are AUTOINCREMENT so a deleted row's id is never handed out again: exports and error
    /// reports refer to them.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE projects (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        description TEXT,
                        owner TEXT,
                        unit TEXT NOT NULL DEFAULT 'document',
                        entity_instruction TEXT,
                        status TEXT NOT NULL,
                        token_budget INTEGER NOT NULL DEFAULT 8192,
                        created_at REAL NOT NULL
                    );

                    CREATE TABLE codebook_versions (
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        version INTEGER NOT NULL,
                        codebook_json TEXT NOT NULL,
                        codebook_hash TEXT NOT NULL,
                        prompt_hash TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (project_id, version)
                    );

                    CREATE TABLE documents (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        external_id TEXT NOT NULL,
                        title TEXT,
                        media_type TEXT NOT NULL,
                        text TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        word_count INTEGER NOT NULL,
                        token_count INTEGER NOT NULL,
                        chunk_count INTEGER NOT NULL DEFAULT 1,
                        status TEXT NOT NULL,
                        error TEXT,
                        metadata_json TEXT NOT NULL DEFAULT 'null',
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (project_id, external_id)
                    );
                    CREATE INDEX documents_project_status ON documents(project_id, status);

                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        codebook_version INTEGER NOT NULL,
                        prompt_hash TEXT NOT NULL,
                        model TEXT NOT NULL,
                        selection_json TEXT NOT NULL,
                        total INTEGER NOT NULL DEFAULT 0,
                        processed INTEGER NOT NULL DEFAULT 0,
                        succeeded INTEGER NOT NULL DEFAULT 0,
                        flagged INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        tokens_in INTEGER NOT NULL DEFAULT 0,
                        tokens_out INTEGER NOT NULL DEFAULT 0,
                        error TEXT,
                        created_at REAL NOT NULL,
                        started_at REAL,
                        finished_at REAL
                    );
                    CREATE INDEX jobs_project ON jobs(project_id);

                    -- An event outlives the document it names: the audit trail stays, the link goes.
                    CREATE TABLE job_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
                        message TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX job_events_job ON job_events(job_id);

                    -- Values belong to their document; deleting a job's history keeps them (job_id goes NULL).
                    -- The UNIQUE constraint's index also serves lookups by document_id.
                    CREATE TABLE extractions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        variable TEXT NOT NULL,
                        entity_index INTEGER NOT NULL DEFAULT 0,
                        entity_text TEXT,
                        value_json TEXT NOT NULL,
                        confidence REAL,
                        evidence_quote TEXT,
                        evidence_start INTEGER,
                        evidence_end INTEGER,
                        evidence_match TEXT,
                        rationale TEXT,
                        status TEXT NOT NULL,
                        error TEXT,
                        codebook_version INTEGER NOT NULL,
                        prompt_hash TEXT NOT NULL,
                        model TEXT NOT NULL,
                        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
                        created_at REAL NOT NULL,
                        UNIQUE (document_id, variable, entity_index)
                    );

                    -- One row per document: its latest outcome, which is what makes runs resumable.
                    CREATE TABLE document_outcomes (
                        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        codebook_version INTEGER NOT NULL,
                        content_hash TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        error_kind TEXT,
                        reason TEXT,
                        updated_at REAL NOT NULL
                    );

                    -- project_id is derived on insert from the job or the document, so records without
                    -- either still belong to a project and listing by project needs no join.
                    CREATE TABLE error_records (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        job_id INTEGER REFERENCES jobs(id) ON DELETE CASCADE,
                        document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        response_hash TEXT,
                        excerpt TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX error_records_project_job ON error_records(project_id, job_id);

                    -- Reviewer verdicts on values; written by a later feature, created now so v1 is complete.
                    CREATE TABLE feedback (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
                        verdict TEXT NOT NULL,
                        corrected_value_json TEXT,
                        note TEXT,
                        author TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX feedback_extraction ON feedback(extraction_id);
                    """)
        }
        migrator.registerMigration("v2: job metrics") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job_metrics (
                        job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                        metrics_json TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: failure patterns and run summaries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE failure_patterns (
                        pattern_id TEXT NOT NULL,
                        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                        source_trace_id TEXT NOT NULL,
                        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        failure_type TEXT NOT NULL,
                        trigger_condition TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        confidence REAL NOT NULL,
                        pattern_json TEXT NOT NULL,
                        extracted_at REAL NOT NULL,
                        PRIMARY KEY (project_id, source_trace_id)
                    );
                    CREATE INDEX failure_patterns_type ON failure_patterns(project_id, failure_type);
                    CREATE INDEX failure_patterns_document ON failure_patterns(document_id);

                    CREATE TABLE run_summaries (
                        job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                        summary_json TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
        SQLiteStore.registerAccounts(in: &migrator)
        SQLiteStore.registerSessionRevocation(in: &migrator)
        SQLiteStore.registerFingerprints(in: &migrator)
        SQLiteStore.registerHumanCodes(in: &migrator)
        SQLiteStore.registerRuns(in: &migrator)
        SQLiteStore.registerBatches(in: &migrator)
        SQLiteStore.registerCosts(in: &migrator)
        SQLiteStore.registerClaims(in: &migrator)
        SQLiteStore.registerWorkers(in: &migrator)
        SQLiteStore.registerLastingFeedback(in: &migrator)
        SQLiteStore.registerSuggestions(in: &migrator)
        SQLiteStore.registerSharing(in: &migrator)
        return migrator
    }()
}
