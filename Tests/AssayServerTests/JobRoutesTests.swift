import AssayCore
import AssayEngine
import AssayProviders
import AssayStore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import AssayServer

@Suite("Jobs: start, progress, pause, resume, cancel, events, SSE")
struct JobRoutesTests {
    @Test func sampleThenFullRunMovesTheProjectAlong() async throws {
        let held = HeldProvider()
        try await TestService(provider: held).test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            let sample = try await api.runJob(ada, project: project, json: #"{"kind":"sample","sample_size":2}"#, holding: held)
            #expect(sample.events.filter { $0 == "document_completed" }.count == 2)
            #expect(sample.events.contains("progress"))
            #expect(sample.events.last == "job_completed")
            let job = try await api.call(.get, "/jobs/\(sample.job)", token: ada.access).json()
            #expect(job["status"]?.stringValue == "completed")
            #expect(job["processed"]?.doubleValue == 2 && job["failed"]?.doubleValue == 0 && job["progress"]?.doubleValue == 1)
            #expect(job["flagged"] != nil)
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).json()["status"]?.stringValue == "sample_complete")

            // With the sample done, a full run needs no skip_sample.
            let full = try await api.runJob(ada, project: project, json: #"{"kind":"full"}"#)
            #expect(full.events.last == "job_completed")
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).json()["status"]?.stringValue == "complete")
            let events = try await api.call(.get, "/jobs/\(full.job)/events", token: ada.access).json()
            let kinds = events["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
            #expect(kinds.first == "job_started" && kinds.last == "job_completed" && kinds.contains("doc_completed"))
            let jobs = try await api.call(.get, "/projects/\(project)/jobs", token: ada.access).json()
            #expect(jobs["items"]?.arrayValue?.count == 2)
            // What the two jobs spent, together; another account sees no such project.
            let spending = try await api.call(.get, "/projects/\(project)/spending", token: ada.access).json()
            let jobTokens = try await api.call(.get, "/jobs/\(full.job)", token: ada.access).json()["tokens_in"]?.doubleValue ?? 0
            #expect((spending["tokens_in"]?.doubleValue ?? 0) > jobTokens && jobTokens > 0, "\(spending)")
            #expect(spending["tokens_cached"] == 0 && spending["cached_share"] == 0)
            let bob = try await api.register("bob@example.org")
            try await api.call(.get, "/projects/\(project)/spending", token: bob.access).problem(.notFound)
            // A finished job's stream sends its final state at once.
            let again = try await api.call(.get, "/jobs/\(full.job)/stream", token: ada.access)
            #expect(String(buffer: again.body).contains("event: job_completed"))
        }
    }

    @Test func chosenDocumentsAndFailures() async throws {
        let provider = ScriptedProvider(steps: [], then: .fail(.invalidResponse("boom")))
        var service = try TestService(provider: provider)
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1, maxConsecutiveFailures: 2)
        try await service.test { api in
            let ada = try await api.register()
            let (project, documents) = try await api.researchProject(ada, documents: 2)
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"sample","document_ids":[\#(documents[0])]}"#)
            #expect(run.events.last == "job_completed")
            let kinds =
                try await api.call(.get, "/jobs/\(run.job)/events", token: ada.access).json()["items"]?.arrayValue?
                .compactMap { $0["kind"]?.stringValue } ?? []
            #expect(kinds.contains("doc_failed"))
            let job = try await api.call(.get, "/jobs/\(run.job)", token: ada.access).json()
            #expect(job["failed"]?.doubleValue == 1 && job["total"]?.doubleValue == 1)
            try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"sample","document_ids":[999]}"#)
                .problem(.unprocessableContent, field: "document_ids")
            // Two failures in a row pause a job (not fail it), and its stream says so with the reason.
            let stopped = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            #expect(stopped.events.last == "job_paused")
            let failed = try await api.call(.get, "/jobs/\(stopped.job)", token: ada.access).json()
            #expect(failed["status"]?.stringValue == "paused")
            #expect(failed["error"]?.stringValue?.contains("failed in a row") == true)
        }
    }

    /// The order of work over HTTP: a full run before any sample is 409 with what to do, and no
    /// job is stored; `skip_sample` is the explicit way past; a project without readable documents
    /// is 409 for any run.
    @Test func aFullRunWaitsForASampleUnlessSkipped() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            let refused = try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full"}"#)
            #expect(refused.status == .conflict)
            let detail = try refused.json()["detail"]?.stringValue ?? ""
            #expect(detail.contains("no sample of project") && detail.contains("\"skip_sample\": true"), "\(detail)")
            #expect(try await api.call(.get, "/projects/\(project)/jobs", token: ada.access).json()["items"]?.arrayValue?.isEmpty == true)
            let skipped = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            #expect(skipped.events.last == "job_completed")

            let empty = try await api.createProject(ada, name: "Empty")
            let codebook = try await api.call(
                .put, "/projects/\(empty)/codebook", token: ada.access, body: ByteBuffer(string: try Protests.codebookYAML),
                headers: [.contentType: "application/yaml"])
            #expect(codebook.status == .created)
            for body in [#"{"kind":"full","skip_sample":true}"#, #"{"kind":"sample","sample_size":2}"#] {
                let nothing = try await api.call(.post, "/projects/\(empty)/jobs", token: ada.access, json: body)
                #expect(nothing.status == .conflict)
                #expect(try nothing.json()["detail"]?.stringValue?.contains("has no readable documents to code") == true)
            }
            #expect(try await api.call(.get, "/projects/\(empty)", token: ada.access).json()["status"]?.stringValue == "schema_defined")
        }
    }

    @Test func startValidation() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let project = try await api.createProject(ada)
            // No codebook yet: the advice is the API's, not the CLI's (it once said "assay codebook import FILE").
            let noCodebook = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"sample","sample_size":2}"#
            )
            .problem(.conflict)
            #expect(noCodebook["detail"]?.stringValue?.contains("PUT /projects/{id}/codebook") == true)
            #expect(noCodebook["detail"]?.stringValue?.contains("assay ") == false)
            try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"sample"}"#)
                .problem(.unprocessableContent, field: "sample_size")
            try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"sample","sample_size":0}"#)
                .problem(.unprocessableContent, field: "sample_size")
            try await api.call(.post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"everything"}"#)
                .problem(.unprocessableContent, field: "kind")
            try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true,"document_ids":[]}"#
            )
            .problem(.unprocessableContent, field: "document_ids")
        }
    }

    /// Seed 004's throttling: beyond the jobs the service runs at once, a start is refused with
    /// 429 and Retry-After; a paused job holds no slot.
    @Test func aStartBeyondTheRunningJobsIsTooManyRequests() async throws {
        let provider = HeldProvider()
        var service = try TestService(provider: provider)
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        service.config.maxRunningJobs = 1
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            // A service without a batch API refuses batch jobs, saying so.
            let batch = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true,"batch":true}"#
            )
            .problem(.conflict)
            #expect(batch["detail"]?.stringValue?.hasPrefix("batch mode is not available") == true, "\(batch)")
            let first = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#)
            #expect(first.status == .accepted)
            let refused = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#)
            _ = try refused.problem(.tooManyRequests)
            #expect(refused.headers[.retryAfter] == "30")
            _ = try await api.call(.post, "/jobs/\(try first.id())/pause", token: ada.access)
            let second = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"sample","sample_size":1}"#)
            #expect(second.status == .accepted)
            await provider.release()
        }
    }

    @Test func pauseResumeAndCancel() async throws {
        let provider = HeldProvider()
        var service = try TestService(provider: provider)
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            let started = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#)
            let job = try started.id()
            #expect(try started.json()["status"]?.stringValue == "running")
            try await api.call(.post, "/jobs/\(job)/resume", token: ada.access).problem(.conflict)
            let paused = try await api.call(.post, "/jobs/\(job)/pause", token: ada.access)
            #expect(try paused.json()["status"]?.stringValue == "paused")
            let resumed = try await api.call(.post, "/jobs/\(job)/resume", token: ada.access)
            #expect(resumed.status == .ok)
            #expect(try resumed.json()["status"]?.stringValue == "running")
            let cancelled = try await api.call(.post, "/jobs/\(job)/cancel", token: ada.access)
            #expect(try cancelled.json()["status"]?.stringValue == "cancelled")
            // Nothing half-written: the document in flight was dropped whole.
            #expect(try await api.call(.get, "/projects/\(project)/extractions", token: ada.access).json()["total"]?.doubleValue == 0)
            let kinds =
                try await api.call(.get, "/jobs/\(job)/events", token: ada.access).json()["items"]?.arrayValue?
                .compactMap { $0["kind"]?.stringValue } ?? []
            #expect(kinds.contains("job_paused") && kinds.contains("job_resumed") && kinds.last == "job_cancelled")
            try await api.call(.post, "/jobs/\(job)/cancel", token: ada.access).problem(.conflict)
            try await api.call(.post, "/jobs/\(job)/pause", token: ada.access).problem(.conflict)
            try await api.call(.post, "/jobs/\(job)/resume", token: ada.access).problem(.conflict)
        }
    }

    /// A token budget over HTTP: the job pauses at it, and a resume with a higher one goes on as
    /// a new job over the documents not done.
    @Test func aJobPausesAtItsBudgetAndResumesWithAHigherOne() async throws {
        var service = try TestService()
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true,"max_tokens":0}"#
            )
            .problem(.unprocessableContent, field: "max_tokens")
            try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true,"max_cost":-1}"#
            )
            .problem(.unprocessableContent, field: "max_cost")
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true,"max_tokens":1}"#)
            let paused = try await api.call(.get, "/jobs/\(run.job)", token: ada.access).json()
            #expect(paused["status"]?.stringValue == "paused")
            #expect(paused["processed"]?.doubleValue == 1)
            #expect(paused["selection"]?["max_tokens"]?.doubleValue == 1)
            #expect(paused["error"]?.stringValue?.hasPrefix("the budget of 1 tokens is spent") == true)
            #expect(run.events.last == "job_paused")
            try await api.call(.post, "/jobs/\(run.job)/resume", token: ada.access, json: #"{"max_tokens":-5}"#)
                .problem(.unprocessableContent, field: "max_tokens")
            let resumed = try await api.call(.post, "/jobs/\(run.job)/resume", token: ada.access, json: #"{"max_tokens":100000000}"#)
            #expect(resumed.status == .accepted)
            let next = try resumed.id()
            #expect(try resumed.json()["selection"]?["max_tokens"]?.doubleValue == 100_000_000)
            var job = try await api.call(.get, "/jobs/\(next)", token: ada.access).json()
            while job["status"]?.stringValue == "running" {
                try await Task.sleep(for: .milliseconds(20))
                job = try await api.call(.get, "/jobs/\(next)", token: ada.access).json()
            }
            #expect(job["status"]?.stringValue == "completed" && job["total"]?.doubleValue == 2)
            #expect(try await api.call(.get, "/projects/\(project)/extractions", token: ada.access).json()["total"]?.doubleValue == 9)
        }
    }

    /// The project's budget over HTTP (`PUT /projects/{id}/budget`): set, shown on the project,
    /// checked, the owner's alone; a job pauses at it, and after it is raised a resume goes on.
    @Test func theProjectsBudgetPausesItsJobUntilItIsRaised() async throws {
        var service = try TestService()
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            try await api.call(.put, "/projects/\(project)/budget", token: ada.access, json: #"{"max_cost":-1}"#)
                .problem(.unprocessableContent, field: "max_cost")
            try await api.call(.put, "/projects/\(project)/budget", token: ada.access, json: #"{"max_tokens":"many"}"#)
                .problem(.unprocessableContent)
            let bob = try await api.register("bob@example.org")
            try await api.call(.put, "/projects/\(project)/budget", token: bob.access, json: #"{"max_tokens":1}"#).problem(.notFound)
            let set = try await api.call(.put, "/projects/\(project)/budget", token: ada.access, json: #"{"max_tokens":1}"#)
            #expect(set.status == .ok)
            #expect(try set.json()["budget"] == ["max_tokens": 1])
            #expect(try await api.call(.get, "/projects/\(project)", token: ada.access).json()["budget"] == ["max_tokens": 1])

            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            let paused = try await api.call(.get, "/jobs/\(run.job)", token: ada.access).json()
            #expect(paused["status"]?.stringValue == "paused" && paused["processed"]?.doubleValue == 1)
            #expect(paused["error"]?.stringValue?.hasPrefix("the project's budget of 1 tokens is spent") == true, "\(paused)")

            let lifted = try await api.call(.put, "/projects/\(project)/budget", token: ada.access, json: "{}")
            #expect(try lifted.json()["budget"] == nil)
            let resumed = try await api.call(.post, "/jobs/\(run.job)/resume", token: ada.access)
            #expect(resumed.status == .accepted)
            var job = try await api.call(.get, "/jobs/\(try resumed.id())", token: ada.access).json()
            while job["status"]?.stringValue == "running" {
                try await Task.sleep(for: .milliseconds(20))
                job = try await api.call(.get, "/jobs/\(try resumed.id())", token: ada.access).json()
            }
            #expect(job["status"]?.stringValue == "completed" && job["total"]?.doubleValue == 2)
            #expect(try await api.call(.get, "/projects/\(project)/extractions", token: ada.access).json()["total"]?.doubleValue == 9)
        }
    }

    @Test func pausedJobFinishesItsDocumentInFlightAndWaits() async throws {
        let provider = HeldProvider()
        var service = try TestService(provider: provider)
        service.config.jobOptions = ExtractionEngine.Options(concurrency: 1)
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 3)
            let job = try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true}"#
            ).id()
            _ = try await api.call(.post, "/jobs/\(job)/pause", token: ada.access)
            let updates = await api.parts.runner.updates(jobID: job)
            await provider.release()
            // The document in flight completes; then nothing more starts until resumed.
            var seen: [JobUpdate.Kind] = []
            for await update in updates {
                seen.append(update.type)
                if update.type == .progress { break }
            }
            #expect(seen.contains(.documentCompleted))
            #expect(await provider.calls == 1)
            #expect(try await api.call(.get, "/jobs/\(job)", token: ada.access).json()["status"]?.stringValue == "paused")
            _ = try await api.call(.post, "/jobs/\(job)/resume", token: ada.access)
            let rest = try await api.call(.get, "/jobs/\(job)/stream", token: ada.access)
            #expect(String(buffer: rest.body).contains("event: job_completed"))
            #expect(try await api.call(.get, "/jobs/\(job)", token: ada.access).json()["processed"]?.doubleValue == 3)
        }
    }

    /// A job a stopped service left paused continues as a new job over what is left.
    @Test func resumingAnOrphanedJobStartsANewOneAndSaysSo() async throws {
        let service = try TestService()
        let store = service.store
        try await service.test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            let orphan = try await store.startJob(
                projectID: project, kind: .full, codebookVersion: 1, promptHash: "p",
                model: "scripted", selection: .all, total: 2, message: nil, projectStatus: nil)
            try await store.setJobStatus(.paused, error: nil, jobID: orphan.id)
            let resumed = try await api.call(.post, "/jobs/\(orphan.id)/resume", token: ada.access)
            #expect(resumed.status == .accepted)
            let next = try resumed.id()
            #expect(next != orphan.id)
            #expect(try resumed.json()["selection"]?["sample_size"] == nil)
            let old = try await api.call(.get, "/jobs/\(orphan.id)", token: ada.access).json()
            #expect(old["status"]?.stringValue == "cancelled")
            #expect(old["error"]?.stringValue?.contains("job #\(next)") == true)
            let stream = try await api.call(.get, "/jobs/\(next)/stream", token: ada.access)
            #expect(String(buffer: stream.body).contains("event: job_completed"))
            let notes =
                try await api.call(.get, "/jobs/\(next)/events", token: ada.access).json()["items"]?.arrayValue?
                .compactMap { $0["message"]?.stringValue } ?? []
            #expect(notes.contains("continues job #\(orphan.id)"))
        }
    }

    @Test func anotherUsersJobIsNotFound() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let bob = try await api.register("bob@example.org")
            let (project, _) = try await api.researchProject(ada, documents: 1)
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            for path in ["", "/events", "/stream"] {
                try await api.call(.get, "/jobs/\(run.job)\(path)", token: bob.access).problem(.notFound)
            }
            for action in ["pause", "resume", "cancel"] {
                try await api.call(.post, "/jobs/\(run.job)/\(action)", token: bob.access).problem(.notFound)
            }
            try await api.call(.get, "/projects/\(project)/jobs", token: bob.access).problem(.notFound)
            try await api.call(.post, "/projects/\(project)/jobs", token: bob.access, json: #"{"kind":"full","skip_sample":true}"#).problem(
                .notFound)
        }
    }

    @Test func streamAcceptsTheTokenInTheQuery() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 1)
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
            let stream = try await api.call(.get, "/jobs/\(run.job)/stream?token=\(ada.access)")
            #expect(stream.status == .ok)
            let data = try #require(String(buffer: stream.body).split(separator: "\n").first { $0.hasPrefix("data: ") })
            let update = try JSONValue.parse(String(data.dropFirst(6)))
            #expect(update["job_id"]?.doubleValue == Double(run.job))
            #expect(update["type"]?.stringValue == "job_completed" && update["processed"]?.doubleValue == 1)
            try await api.call(.get, "/jobs/\(run.job)/events?token=\(ada.access)").problem(.unauthorized)
        }
    }
}
