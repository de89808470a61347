import AssayCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayServer

@Suite("Extractions, feedback and exports")
struct ExtractionRoutesTests {
    /// Ada's project after a full run over three documents: nine values.
    static func coded(_ api: API) async throws -> (API.Session, Int64, [Int64], Int64) {
        let ada = try await api.register()
        let (project, documents) = try await api.researchProject(ada, documents: 3)
        let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true}"#)
        return (ada, project, documents, run.job)
    }

    @Test func pagesAndTheirEdges() async throws {
        try await TestService().test { api in
            let (ada, project, _, _) = try await Self.coded(api)
            let base = "/projects/\(project)/extractions"
            let first = try await api.call(.get, "\(base)?limit=4", token: ada.access).json()
            #expect(first["total"]?.doubleValue == 9 && first["items"]?.arrayValue?.count == 4 && first["next_offset"]?.doubleValue == 4)
            let last = try await api.call(.get, "\(base)?limit=4&offset=8", token: ada.access).json()
            #expect(last["items"]?.arrayValue?.count == 1 && last["next_offset"] == nil)
            let beyond = try await api.call(.get, "\(base)?offset=100", token: ada.access).json()
            #expect(beyond["items"]?.arrayValue?.isEmpty == true && beyond["total"]?.doubleValue == 9)
            let exact = try await api.call(.get, "\(base)?limit=9", token: ada.access).json()
            #expect(exact["items"]?.arrayValue?.count == 9 && exact["next_offset"] == nil)
            try await api.call(.get, "\(base)?limit=0", token: ada.access).problem(.unprocessableContent, field: "limit")
            try await api.call(.get, "\(base)?limit=501", token: ada.access).problem(.unprocessableContent, field: "limit")
            try await api.call(.get, "\(base)?offset=-1", token: ada.access).problem(.unprocessableContent, field: "offset")
            try await api.call(.get, "\(base)?limit=ten", token: ada.access).problem(.unprocessableContent, field: "limit")
        }
    }

    @Test func filters() async throws {
        try await TestService().test { api in
            let (ada, project, documents, job) = try await Self.coded(api)
            let base = "/projects/\(project)/extractions"
            func total(_ query: String) async throws -> Double? {
                try await api.call(.get, "\(base)?\(query)", token: ada.access).json()["total"]?.doubleValue
            }
            #expect(try await total("variable=city") == 3)
            #expect(try await total("document=\(documents[0])") == 3)
            #expect(try await total("job=\(job)") == 9)
            #expect(try await total("job=\(job + 100)") == 0)
            #expect(try await total("confidence_below=0.7") == 3)
            #expect(try await total("status=validated&variable=city") == 3)
            try await api.call(.get, "\(base)?status=maybe", token: ada.access).problem(.unprocessableContent, field: "status")
            try await api.call(.get, "\(base)?confidence_below=2", token: ada.access).problem(
                .unprocessableContent, field: "confidence_below")
            try await api.call(.get, "\(base)?document=x", token: ada.access).problem(.unprocessableContent, field: "document")
        }
    }

    @Test func aJobWithThreeRunsAndTheReviewQueue() async throws {
        try await TestService().test { api in
            let ada = try await api.register()
            let (project, _) = try await api.researchProject(ada, documents: 2)
            try await api.call(
                .post, "/projects/\(project)/jobs", token: ada.access, json: #"{"kind":"full","skip_sample":true,"runs":10}"#
            ).problem(
                .unprocessableContent, field: "runs")
            let run = try await api.runJob(ada, project: project, json: #"{"kind":"full","skip_sample":true,"runs":3}"#)
            let job = try await api.call(.get, "/jobs/\(run.job)", token: ada.access).json()
            #expect(job["selection"]?["runs"]?.doubleValue == 3)
            let base = "/projects/\(project)/extractions"
            let all = try await api.call(.get, "\(base)?limit=50", token: ada.access).json()
            let items = try #require(all["items"]?.arrayValue)
            // The stand-in model answers the same every run: full agreement, three runs each.
            #expect(items.count == 6)
            #expect(items.allSatisfy { $0["runs"]?.doubleValue == 3 && $0["run_agreement"]?.doubleValue == 1 })
            #expect(items.allSatisfy { $0["run_values"]?.arrayValue?.count == 3 && $0["settings"]?["runs"]?.doubleValue == 3 })
            let disagreeing = try await api.call(.get, "\(base)?runs_disagree=true", token: ada.access).json()
            #expect(disagreeing["total"]?.doubleValue == 0)
            // The queue puts the flagged values (the participants, below the threshold) first.
            let queue = try await api.call(.get, "\(base)?order=review&limit=2", token: ada.access).json()
            #expect(queue["items"]?.arrayValue?.allSatisfy { $0["status"]?.stringValue == "flagged" } == true)
            try await api.call(.get, "\(base)?order=maybe", token: ada.access).problem(.unprocessableContent, field: "order")
        }
    }

    @Test func oneValueWithEvidenceOffsets() async throws {
        try await TestService().test { api in
            let (ada, project, documents, _) = try await Self.coded(api)
            let list = try await api.call(
                .get, "/projects/\(project)/extractions?variable=city&document=\(documents[0])",
                token: ada.access
            ).json()
            let id = Int64(try #require(list["items"]?[0]?["id"]?.doubleValue))
            let value = try await api.call(.get, "/extractions/\(id)", token: ada.access).json()
            #expect(value["value"]?.stringValue == "City1")
            #expect(value["evidence"]?["quote"]?.stringValue == "Protest in City1")
            #expect(value["evidence"]?["start"]?.doubleValue == 0 && value["evidence"]?["end"]?.doubleValue == 16)
            try await api.call(.get, "/extractions/999999", token: ada.access).problem(.notFound)
        }
    }

    @Test func feedbackPerVariable() async throws {
        try await TestService().test { api in
            let (ada, project, _, _) = try await Self.coded(api)
            let list = try await api.call(.get, "/projects/\(project)/extractions?variable=participants&limit=2", token: ada.access).json()
            let ids = list["items"]?.arrayValue?.compactMap { $0["id"]?.doubleValue }.map { Int64($0) } ?? []
            let correct = try await api.call(.post, "/extractions/\(ids[0])/feedback", token: ada.access, json: #"{"verdict":"correct"}"#)
            #expect(correct.status == .created)
            let partly = try await api.call(
                .post, "/extractions/\(ids[1])/feedback", token: ada.access,
                json: #"{"verdict":"partially_correct","corrected_value":250,"note":"about"}"#)
            #expect(try partly.json()["corrected_value"]?.doubleValue == 250)
            #expect(try partly.json()["author"]?.stringValue == "ada@example.org")
            try await api.call(.post, "/extractions/\(ids[1])/feedback", token: ada.access, json: #"{"verdict":"meh"}"#)
                .problem(.unprocessableContent, field: "verdict")
            try await api.call(.post, "/extractions/\(ids[1])/feedback", token: ada.access, json: #"{"verdict":"incorrect"}"#)
                .problem(.unprocessableContent, field: "corrected_value")
            let listed = try await api.call(.get, "/projects/\(project)/feedback?variable=participants", token: ada.access).json()
            #expect(listed["items"]?.arrayValue?.compactMap { $0["verdict"]?.stringValue } == ["correct", "partially_correct"])
            #expect(
                try await api.call(.get, "/projects/\(project)/feedback?variable=city", token: ada.access)
                    .json()["items"]?.arrayValue?.isEmpty == true)

            // The confidence against those verdicts: one of two judged right, per confidence band.
            let calibration = try await api.call(.get, "/projects/\(project)/calibration", token: ada.access).json()
            let items = try #require(calibration["items"]?.arrayValue)
            #expect(items.compactMap { $0["variable"]?.stringValue } == ["participants"])
            let report = try #require(items.first?["report"])
            #expect(report["units"]?.doubleValue == 2 && report["accuracy"]?.doubleValue == 0.5, "\(report)")
            let bins = report["calibration"]?.arrayValue ?? []
            #expect(bins.compactMap { $0["count"]?.doubleValue }.reduce(0, +) == 2, "\(bins)")
            #expect(report["expected_calibration_error"]?.doubleValue != nil)
            let bob = try await api.register("bob@example.org")
            try await api.call(.get, "/projects/\(project)/calibration", token: bob.access).problem(.notFound)
        }
    }

    /// What the review queue in the workbench sends: a corrected value as typed, read in the
    /// variable's type; one value's feedback; several values accepted at once with one reason.
    @Test func correctedValuesAsTypedOneValuesFeedbackAndBulkAccept() async throws {
        try await TestService().test { api in
            let (ada, project, _, _) = try await Self.coded(api)
            func ids(_ variable: String) async throws -> [Int64] {
                let list = try await api.call(.get, "/projects/\(project)/extractions?variable=\(variable)", token: ada.access).json()
                return list["items"]?.arrayValue?.compactMap { $0["id"]?.doubleValue }.map { Int64($0) } ?? []
            }
            let participants = try await ids("participants")
            let violence = try await ids("violence")
            let typed = try await api.call(
                .post, "/extractions/\(participants[0])/feedback", token: ada.access,
                json: #"{"verdict":"incorrect","corrected_value":"about 2,500","note":"the police count"}"#)
            #expect(typed.status == .created)
            #expect(try typed.json()["corrected_value"] == .number(2500))
            let yes = try await api.call(
                .post, "/extractions/\(violence[0])/feedback", token: ada.access, json: #"{"verdict":"incorrect","corrected_value":"yes"}"#)
            #expect(try yes.json()["corrected_value"] == .bool(true))
            try await api.call(
                .post, "/extractions/\(participants[1])/feedback", token: ada.access,
                json: #"{"verdict":"incorrect","corrected_value":"lots"}"#
            ).problem(.unprocessableContent, field: "corrected_value")

            let one = try await api.call(.get, "/projects/\(project)/feedback?extraction=\(participants[0])", token: ada.access).json()
            #expect(one["items"]?.arrayValue?.compactMap { $0["note"]?.stringValue } == ["the police count"])
            try await api.call(.get, "/projects/\(project)/feedback?extraction=first", token: ada.access)
                .problem(.unprocessableContent, field: "extraction")

            let accept = "/projects/\(project)/feedback/accept"
            let accepted = try await api.call(
                .post, accept, token: ada.access,
                json: #"{"extraction_ids":[\#(participants[1]),\#(participants[2])],"note":"checked by hand"}"#)
            #expect(accepted.status == .created)
            let items = try accepted.json()["items"]?.arrayValue ?? []
            #expect(items.map { $0["verdict"]?.stringValue } == ["correct", "correct"])
            #expect(items.map { $0["note"]?.stringValue } == ["checked by hand", "checked by hand"])
            #expect(items.compactMap { $0["extraction_id"]?.doubleValue }.map { Int64($0) } == [participants[1], participants[2]])
            try await api.call(.post, accept, token: ada.access, json: #"{"extraction_ids":[]}"#)
                .problem(.unprocessableContent, field: "extraction_ids")
            // One value that is not there: nothing is recorded, not even the others.
            let before = try await api.call(.get, "/projects/\(project)/feedback", token: ada.access).json()["items"]?.arrayValue?.count
            try await api.call(.post, accept, token: ada.access, json: #"{"extraction_ids":[\#(violence[1]),999999]}"#).problem(.notFound)
            #expect(
                try await api.call(.get, "/projects/\(project)/feedback", token: ada.access).json()["items"]?.arrayValue?.count == before)
            // Another project's value is refused in this one's bulk accept.
            let other = try await api.createProject(ada, name: "Strikes")
            try await api.call(
                .post, "/projects/\(other)/feedback/accept", token: ada.access, json: #"{"extraction_ids":[\#(violence[1])]}"#
            ).problem(.unprocessableContent, field: "extraction_ids")
            let bob = try await api.register("bob@example.org")
            try await api.call(.post, accept, token: bob.access, json: #"{"extraction_ids":[\#(violence[1])]}"#).problem(.notFound)
        }
    }

    @Test func exportsInEveryFormat() async throws {
        try await TestService().test { api in
            let (ada, project, _, _) = try await Self.coded(api)
            let wide = try await api.call(.get, "/projects/\(project)/export?format=csv&layout=wide", token: ada.access)
            #expect(wide.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(wide.headers[.contentDisposition]?.contains("attachment") == true)
            let wideRows = String(buffer: wide.body).split(separator: "\r\n")
            #expect(wideRows.count == 4 && wideRows[0].contains("city"))
            let long = try await api.call(.get, "/projects/\(project)/export?format=csv&layout=long", token: ada.access)
            #expect(String(buffer: long.body).split(separator: "\r\n").count == 10)
            let jsonl = try await api.call(.get, "/projects/\(project)/export?format=jsonl", token: ada.access)
            #expect(String(buffer: jsonl.body).split(separator: "\n").count == 3)
            let types = [
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "qdpx": "application/zip",
                "sav": "application/x-spss-sav", "dta": "application/x-stata-dta",
            ]
            for (format, type) in types {
                let file = try await api.call(.get, "/projects/\(project)/export?format=\(format)", token: ada.access)
                #expect(file.status == .ok)
                #expect(file.headers[.contentType] == type)
                #expect(file.headers[.contentDisposition] == "attachment; filename=\"project-\(project)-values.\(format)\"")
                // ZIP files start with PK; SPSS with $FL2; Stata 118 with <stata_dta>.
                let magic = String(decoding: Array(file.body.readableBytesView.prefix(5)), as: UTF8.self)
                #expect(magic.hasPrefix(["xlsx": "PK", "qdpx": "PK", "sav": "$FL2", "dta": "<stat"][format] ?? "?"))
            }
            try await api.call(.get, "/projects/\(project)/export?format=xls", token: ada.access).problem(
                .unprocessableContent, field: "format")
            try await api.call(.get, "/projects/\(project)/export?layout=tall", token: ada.access).problem(
                .unprocessableContent, field: "layout")
        }
    }

    @Test func anotherUsersValuesAreNotFound() async throws {
        try await TestService().test { api in
            let (ada, project, _, _) = try await Self.coded(api)
            let bob = try await api.register("bob@example.org")
            let list = try await api.call(.get, "/projects/\(project)/extractions?limit=1", token: ada.access).json()
            let id = Int64(try #require(list["items"]?[0]?["id"]?.doubleValue))
            try await api.call(.get, "/extractions/\(id)", token: bob.access).problem(.notFound)
            try await api.call(.post, "/extractions/\(id)/feedback", token: bob.access, json: #"{"verdict":"correct"}"#).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/extractions", token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/feedback", token: bob.access).problem(.notFound)
            try await api.call(.get, "/projects/\(project)/export", token: bob.access).problem(.notFound)
        }
    }
}
