import Foundation
import GRDB

extension SQLiteStore {
    /// Migration "v8: runs and model settings": per value, how the model was asked, what each of
    /// several runs said, their agreement, and the model's own confidence before blending.
    /// Values stored before it read as one run with unknown settings.
    static func registerRuns(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8: runs and model settings") { db in
            try db.execute(
                sql: """
                    ALTER TABLE extractions ADD COLUMN settings_json TEXT;
                    ALTER TABLE extractions ADD COLUMN run_values_json TEXT;
                    ALTER TABLE extractions ADD COLUMN run_agreement REAL;
                    ALTER TABLE extractions ADD COLUMN model_confidence REAL;
                    """)
        }
    }
}
