import AssayCore
import AssayExport
import AssayTestSupport
import Foundation
import Testing

@Suite struct DatasetExporterTests {
    private func lines(_ rows: String...) -> String { rows.joined(separator: "\r\n") + "\r\n" }

    @Test func wideWithEveryColumn() throws {
        let text = try DatasetExporter.render(ExportFixtures.dataset, format: .csv, layout: .wide, columns: .all)
        #expect(
            text
                == lines(
                    "document_id,title,violence,violence_confidence,violence_evidence,violence_status,"
                        + "organiser,organiser_confidence,organiser_evidence,organiser_status,"
                        + "crowd_size,crowd_size_confidence,crowd_size_evidence,crowd_size_status,"
                        + "summary,summary_confidence,summary_evidence,summary_status,_codebook_version,_outcome",
                    #"news/a.txt,"First, with comma",true,0.9,tear gas,validated,union; students,0.75,"He said ""go"", then left",flagged,"#
                        + "2000,1,,validated,\"Line one\nLine two — ünïcödé ✓\",0.5,,flagged,2,flagged",
                    "b.txt,Second,false,0.8,,validated,,,,,,,,failed,,,,,2,succeeded",
                    "c.txt,,,,,,,,,,,,,,,,,,,not_run"))
    }

    @Test func wideWithoutOptionalColumns() throws {
        let text = try DatasetExporter.render(ExportFixtures.dataset, format: .csv, layout: .wide, columns: .none)
        #expect(
            text
                == lines(
                    "document_id,title,violence,organiser,crowd_size,summary,_outcome",
                    "news/a.txt,\"First, with comma\",true,union; students,2000,\"Line one\nLine two — ünïcödé ✓\",flagged",
                    "b.txt,Second,false,,,,succeeded",
                    "c.txt,,,,,,not_run"))
    }

    @Test func wideWithSomeColumns() throws {
        let text = try DatasetExporter.render(
            ExportFixtures.dataset, format: .csv, layout: .wide,
            columns: [.status, .codebookVersion])
        let header = text.components(separatedBy: "\r\n")[0]
        #expect(
            header == "document_id,title,violence,violence_status,organiser,organiser_status,"
                + "crowd_size,crowd_size_status,summary,summary_status,_codebook_version,_outcome")
    }

    @Test func long() throws {
        let text = try DatasetExporter.render(ExportFixtures.dataset, format: .csv, layout: .long, columns: .none)
        // Values coded before settings were recorded: no temperature; one run each.
        let oneRun = ",,1,,,"
        #expect(
            text
                == lines(
                    "document_id,title,variable,entity_index,value,confidence,status,evidence,evidence_start,evidence_end,evidence_page,"
                        + "rationale,codebook_version,prompt_hash,model,temperature,runs,run_agreement,run_values,model_confidence",
                    "news/a.txt,\"First, with comma\",violence,0,true,0.9,validated,tear gas,10,18,,Police used tear gas.,2,ph2,qwen"
                        + oneRun,
                    #"news/a.txt,"First, with comma",organiser,0,union; students,0.75,flagged,"He said ""go"", then left",,,,"#
                        + "Two groups.,2,ph2,qwen" + oneRun,
                    "news/a.txt,\"First, with comma\",crowd_size,0,2000,1,validated,,,,,,2,ph2,qwen" + oneRun,
                    "news/a.txt,\"First, with comma\",summary,0,\"Line one\nLine two — ünïcödé ✓\",0.5,flagged,,,,,,2,ph2,qwen" + oneRun,
                    "b.txt,Second,violence,0,false,0.8,validated,,,,,,2,ph2,qwen" + oneRun,
                    "b.txt,Second,crowd_size,0,,,failed,,,,,,2,ph2,qwen" + oneRun))
    }

    /// Values from `assay run --runs 3`: the dataset with two of its values coded three times.
    static var threeRuns: ExportDataset {
        var dataset = ExportFixtures.dataset
        for index in dataset.extractions.indices where dataset.extractions[index].variable == "violence" {
            var value = dataset.extractions[index]
            value.settings = ModelSettings(temperature: 0, runs: 3, variedTemperature: 0.7)
            value.runValues = value.documentID == 1 ? [true, true, false] : [false, .none, false]
            value.runAgreement = 2.0 / 3
            value.modelConfidence = 0.85
            dataset.extractions[index] = value
        }
        return dataset
    }

    @Test func severalRunsShowWhatEachRunSaidInTheLongLayoutAndTheAgreementInTheWide() throws {
        let long = try DatasetExporter.render(Self.threeRuns, format: .csv, layout: .long, columns: .none)
        let rows = long.components(separatedBy: "\r\n")
        #expect(rows[1].hasSuffix(",qwen,0,3,0.6666666666666666,\"[true,true,false]\",0.85"))
        #expect(rows[5].hasSuffix(",qwen,0,3,0.6666666666666666,\"[false,null,false]\",0.85"))
        #expect(rows[2].hasSuffix(",qwen,,1,,,"))

        let wide = try DatasetExporter.render(Self.threeRuns, format: .csv, layout: .wide, columns: .none)
        #expect(
            wide
                == lines(
                    "document_id,title,violence,violence_run_agreement,organiser,organiser_run_agreement,crowd_size,"
                        + "crowd_size_run_agreement,summary,summary_run_agreement,_outcome",
                    "news/a.txt,\"First, with comma\",true,0.6666666666666666,union; students,,2000,,\"Line one\nLine two — ünïcödé ✓\",,flagged",
                    "b.txt,Second,false,0.6666666666666666,,,,,,,succeeded",
                    "c.txt,,,,,,,,,,not_run"))

        let jsonl = try DatasetExporter.render(Self.threeRuns, format: .jsonl)
        #expect(
            jsonl.contains(
                #""rationale":"Police used tear gas.","run_values":[true,true,false],"run_agreement":0.6666666666666666,"model_confidence":0.85}"#
            ))
    }

    @Test func jsonl() throws {
        let text = try DatasetExporter.render(ExportFixtures.dataset, format: .jsonl)
        let empty = #"{"value":null,"confidence":null,"status":null,"evidence":null,"rationale":null}"#
        #expect(
            text.components(separatedBy: "\n") == [
                #"{"document_id":"news/a.txt","title":"First, with comma","outcome":"flagged","codebook_version":2,"values":{"#
                    + #""violence":{"value":true,"confidence":0.9,"status":"validated","evidence":{"quote":"tear gas","start":10,"end":18,"page":null},"rationale":"Police used tear gas."},"#
                    + #""organiser":{"value":["union","students"],"confidence":0.75,"status":"flagged","evidence":{"quote":"He said \"go\", then left","start":null,"end":null,"page":null},"rationale":"Two groups."},"#
                    + #""crowd_size":{"value":2000,"confidence":1,"status":"validated","evidence":null,"rationale":null},"#
                    + #""summary":{"value":"Line one\nLine two — ünïcödé ✓","confidence":0.5,"status":"flagged","evidence":null,"rationale":null}}}"#,
                #"{"document_id":"b.txt","title":"Second","outcome":"succeeded","codebook_version":2,"values":{"#
                    + #""violence":{"value":false,"confidence":0.8,"status":"validated","evidence":null,"rationale":null},"#
                    + #""organiser":"# + empty + ","
                    + #""crowd_size":{"value":null,"confidence":null,"status":"failed","evidence":null,"rationale":null},"#
                    + #""summary":"# + empty + "}}",
                #"{"document_id":"c.txt","title":null,"outcome":"not_run","codebook_version":null,"values":{"#
                    + #""violence":"# + empty + #","organiser":"# + empty + #","crowd_size":"# + empty + #","summary":"# + empty + "}}",
                "",
            ])
        // Every line is JSON that reads back.
        for line in text.split(separator: "\n") {
            #expect(throws: Never.self) { try JSONValue.parse(String(line)) }
        }
    }

    @Test func quotingFollowsRFC4180() throws {
        let dataset = ExportDataset(
            codebook: Codebook(variables: [Variable(name: "note", type: .text)]), codebookVersion: 1,
            documents: [
                ExportFixtures.document(1, "plain", title: "no quoting needed"),
                ExportFixtures.document(2, "comma", title: "a,b"),
                ExportFixtures.document(3, "quote", title: #"say "hi""#),
                ExportFixtures.document(4, "lf", title: "one\ntwo"),
                ExportFixtures.document(5, "cr", title: "one\rtwo"),
                ExportFixtures.document(6, "crlf", title: "one\r\ntwo"),
                ExportFixtures.document(7, "unicode", title: "日本語 émoji 🎉 «»"),
                ExportFixtures.document(8, "spaces", title: "  padded  "),
            ],
            extractions: [])
        let text = try DatasetExporter.render(dataset, format: .csv, layout: .wide, columns: .none)
        #expect(
            text
                == lines(
                    "document_id,title,note,_outcome",
                    "plain,no quoting needed,,not_run",
                    "comma,\"a,b\",,not_run",
                    "quote,\"say \"\"hi\"\"\",,not_run",
                    "lf,\"one\ntwo\",,not_run",
                    "cr,\"one\rtwo\",,not_run",
                    "crlf,\"one\r\ntwo\",,not_run",
                    "unicode,日本語 émoji 🎉 «»,,not_run",
                    "spaces,  padded  ,,not_run"))
        #expect(!text.hasPrefix("\u{FEFF}"))
    }

    @Test func numbersAndValueKinds() throws {
        let codebook = Codebook(variables: [Variable(name: "n", type: .number), Variable(name: "tags", type: .text)])
        let dataset = ExportDataset(
            codebook: codebook, codebookVersion: 1,
            documents: [ExportFixtures.document(1, "a", title: nil), ExportFixtures.document(2, "b", title: nil)],
            extractions: [
                ExportFixtures.value(1, "n", 3.25, confidence: 0.123),
                ExportFixtures.value(1, "tags", ["x, y", "z"], confidence: nil),
                ExportFixtures.value(2, "n", -12, confidence: 0),
                ExportFixtures.value(2, "tags", [], confidence: nil),
            ])
        let text = try DatasetExporter.render(dataset, format: .csv, layout: .wide, columns: .confidence)
        #expect(
            text
                == lines(
                    "document_id,title,n,n_confidence,tags,tags_confidence,_outcome",
                    "a,,3.25,0.123,\"x, y; z\",,not_run",
                    "b,,-12,0,,,not_run"))
    }

    @Test func entitiesGetARowEach() throws {
        let codebook = Codebook(variables: [Variable(name: "role", type: .text)])
        let dataset = ExportDataset(
            codebook: codebook, codebookVersion: 1,
            documents: [ExportFixtures.document(1, "a", title: "A"), ExportFixtures.document(2, "b", title: "B")],
            extractions: [
                ExportFixtures.value(1, "role", "mayor", confidence: 0.9, entity: 1, entityText: "Ms Diaz"),
                ExportFixtures.value(1, "role", "police chief", confidence: 0.8, entity: 0, entityText: "Mr Li"),
            ],
            outcomes: [1: ExportFixtures.outcome(1, .succeeded)])
        let wide = try DatasetExporter.render(dataset, format: .csv, layout: .wide, columns: .none)
        #expect(
            wide
                == lines(
                    "document_id,title,entity_index,entity,role,_outcome",
                    "a,A,0,Mr Li,police chief,succeeded",
                    "a,A,1,Ms Diaz,mayor,succeeded",
                    "b,B,,,,not_run"))
        let jsonl = try DatasetExporter.render(dataset, format: .jsonl)
        #expect(
            jsonl.split(separator: "\n").first
                == #"{"document_id":"a","title":"A","entity_index":0,"entity":"Mr Li","outcome":"succeeded","codebook_version":2,"values":{"role":{"value":"police chief","confidence":0.8,"status":"validated","evidence":null,"rationale":null}}}"#
        )
    }

    /// An entity project whose run found no entity yet keeps the entity columns: the file's shape
    /// does not depend on what the model found (it used to fall back to one row per document).
    @Test func anEntityCodebookWithoutEntitiesKeepsTheEntityColumns() throws {
        let codebook = Codebook(
            variables: [Variable(name: "role", type: .text)], unit: .entity, entityInstruction: "each official named")
        let dataset = ExportDataset(
            codebook: codebook, codebookVersion: 1, documents: [ExportFixtures.document(1, "a", title: "A")], extractions: [],
            outcomes: [1: ExportFixtures.outcome(1, .succeeded)])
        #expect(
            try DatasetExporter.render(dataset, format: .csv, layout: .wide, columns: .none)
                == lines("document_id,title,entity_index,entity,role,_outcome", "a,A,,,,succeeded"))
    }

    @Test func emptyDatasetHasOnlyTheHeader() throws {
        let dataset = ExportDataset(codebook: ExportFixtures.codebook, codebookVersion: 1, documents: [], extractions: [])
        #expect(
            try DatasetExporter.render(dataset, format: .csv, layout: .wide, columns: .none)
                == "document_id,title,violence,organiser,crowd_size,summary,_outcome\r\n")
        #expect(try DatasetExporter.render(dataset, format: .jsonl) == "")
    }

    @Test func writesAFileWithAnOptionalByteOrderMark() throws {
        let folder = try TempFolder("export")

        let plain = folder.file("out.csv")
        try DatasetExporter.write(ExportFixtures.dataset, format: .csv, layout: .long, columns: .all, to: plain)
        let bytes = try Data(contentsOf: plain)
        #expect(bytes == Data(try DatasetExporter.render(ExportFixtures.dataset, format: .csv, layout: .long).utf8))
        #expect(Array(bytes.prefix(3)) != [0xEF, 0xBB, 0xBF])

        let excel = folder.file("excel.csv")
        try DatasetExporter.write(ExportFixtures.dataset, format: .csv, layout: .wide, byteOrderMark: true, to: excel)
        #expect(Array(try Data(contentsOf: excel).prefix(3)) == [0xEF, 0xBB, 0xBF])

        let nowhere = folder.file("missing/dir/out.csv")
        #expect(throws: ExportError.self) {
            try DatasetExporter.write(ExportFixtures.dataset, format: .jsonl, to: nowhere)
        }
    }
}
