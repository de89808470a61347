import ArgumentParser
import AssayCore
import AssayService
import Foundation

/// `assay pause|resume|cancel JOB`: changes a running job's status in the database; the process
/// running it (this machine or another) follows within a second.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a running job: documents in flight finish, no new one starts.",
        discussion: """
            Works on a job run by any process on the same database: another terminal's assay run, \
            assay serve, or a machine sharing a PostgreSQL database. The job's own process \
            follows within a second. assay resume JOB lets it go on; assay status shows the job ids.
            """)
    @Argument(help: "The job's id (assay status shows the last one).") var job: Int64
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let changed = try await JobControl(store: try await options.local().store).pause(job, for: .local)
        print("Job #\(changed.id) paused; documents in flight finish. Resume with: assay resume \(changed.id)")
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused job, in the process that runs it.",
        discussion: """
            The process that ran the job goes on with it. If that process has stopped (the job was \
            paused at its budget, or after failures, or its process was killed), run the same \
            assay run command again instead: it continues with the documents not yet done.
            """)
    @Argument(help: "The job's id.") var job: Int64
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let changed = try await JobControl(store: try await options.local().store).resume(job, for: .local)
        print("Job #\(changed.id) resumed. If its process has stopped, run the same assay run command again to continue.")
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running or paused job: documents in flight are dropped and redone by the next run.")
    @Argument(help: "The job's id.") var job: Int64
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let changed = try await JobControl(store: try await options.local().store).cancel(job, for: .local)
        print("Job #\(changed.id) cancelled. Values stored so far are kept.")
    }
}
