import AssayCore
import AssayIngest
import AssayTestSupport
import Foundation
import Testing

/// Codebooks to and from CSV and REFI-QDA .qdc, through `CodebookLoader` so every check applies.
@Suite struct CodebookExchangeTests {
    static let full = Codebook(
        name: nil,
        variables: [
            Variable(
                name: "organiser", displayName: "Organiser", type: .category, instructions: "Who organised it?\nName one.",
                categories: [
                    Category(code: "union", label: "Trade union"), Category(code: "a|b=c", label: "pipes | and = signs"),
                    Category(code: "other"),
                ],
                required: true, confidenceThreshold: 0.8, ifUncertain: .null, ifMultipleValues: .all, maxValues: 2),
            Variable(name: "violence", type: .boolean, ifUncertain: .skip),
            Variable(
                name: "crowd_size", type: .number, instructions: "How many, \"about\"?", defaultValue: 0,
                validation: ValidationRules(min: 0, max: 1e6),
                dependsOn: Dependency(variable: "violence", equals: true)),
            Variable(name: "event_date", type: .date, validation: ValidationRules(minDate: "2000-01-01")),
            Variable(
                name: "stance", type: .category,
                categories: [Category(code: "pro", label: "For", description: "Supports the cause"), Category(code: "con")]),
            Variable(
                name: "summary", type: .text, instructions: "Ünïcödé, commas, \"quotes\".", examples: [Example(text: "t", value: "v")]),
        ])

    @Test func csvRoundTripsEveryField() throws {
        let text = try CodebookLoader.text(Self.full, format: .csv)
        #expect(text.hasPrefix("name,type,display_name,instructions,categories,required,confidence_threshold,"))
        #expect(text.contains(#"union=Trade union|a\|b\=c=pipes \| and \= signs|other"#))
        let back = try CodebookLoader.decode(text, format: .csv)
        #expect(back == Self.full)
    }

    @Test func csvFileWrittenByHandLoads() throws {
        let folder = try TempFolder("codebook-csv")
        let file = try folder.write(
            "codebook.csv",
            "\u{FEFF}Name,Type,Instructions,Categories,Required\r\nviolence,boolean,Was there violence?,,yes\r\n"
                + "organiser,category,\"Who, exactly?\",union=Trade union|students,\r\n\r\n")
        let codebook = try CodebookLoader.load(contentsOf: file)
        #expect(codebook.variables.map(\.name) == ["violence", "organiser"])
        #expect(codebook.variables[0].required)
        #expect(codebook.variables[1].categories == [Category(code: "union", label: "Trade union"), Category(code: "students")])
        #expect(codebook.variables[1].instructions == "Who, exactly?")
    }

    @Test func csvProblemsNameTheirField() throws {
        let error = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode("name,type\r\nok,text\r\nbad,texte\r\n", format: .csv)
        }
        #expect(error?.description.contains("variables[1].type") == true)
        let column = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode("name,type,colour,type\r\nok,text,,text\r\n", format: .csv)
        }
        #expect(column?.problems.map(\.field) == ["type", "colour"])
        let json = #expect(throws: CodebookLoadError.self) {
            try CodebookLoader.decode("name,type,validation\r\nn,number,{min: 1\r\n", format: .csv)
        }
        #expect(json?.description.contains("line 2, column 'validation': not valid JSON") == true)
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("", format: .csv) }
        // Broken or hostile tables end as errors, not crashes.
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("name,type\r\n\"unterminated,text\r\n", format: .csv) }
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("name,type\r\nn\u{0}ul,text\r\n", format: .csv) }
        let wide = (0..<5_000).map { "c\($0)" }.joined(separator: ",")
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("name,type,\(wide)\r\nx,text\r\n", format: .csv) }
    }

    @Test func qdcKeepsCodesCategoriesBooleansAndInstructions() throws {
        let xml = try CodebookLoader.text(Self.full, format: .qdc)
        #expect(xml.contains(#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Assay">"#))
        let back = try CodebookLoader.decode(xml, format: .qdc)
        #expect(back.variables.map(\.name) == Self.full.variables.map(\.name))
        // What QDC carries: names, instructions, category codes and labels, booleans. Number and date
        // variables come back as text; rules, thresholds, defaults, dependencies, examples are lost.
        #expect(back.variables.map(\.type) == [.category, .boolean, .text, .text, .category, .text])
        #expect(
            back.variables[0].categories == [
                Category(code: "union", label: "Trade union"), Category(code: "a|b=c", label: "pipes | and = signs"),
                Category(code: "other"),
            ])
        #expect(back.variables[0].instructions == "Who organised it?\nName one.")
        #expect(back.variables[4].categories == [Category(code: "pro", label: "For"), Category(code: "con")])
        #expect(back.variables[5].instructions == "Ünïcödé, commas, \"quotes\".")
        // Same names, same GUIDs: a QDA program re-importing a later export matches its codes.
        #expect(try CodebookLoader.text(Self.full, format: .qdc) == xml)
    }

    @Test func qdcFromAnotherProgramLoads() throws {
        // As QualCoder writes a codebook: braces-free GUIDs, colours, nested codes, no namespace prefix.
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
            <Codes>
            <Code guid="2b7e1a4c-0c39-4f65-9d0b-0c5c1d2e3f40" name="mood" isCodable="true" color="#FF0000">
            <Description>How the crowd felt</Description>
            <Code guid="3c8f2b5d-1d4a-4076-8e1c-1d6d2e3f4a51" name="angry" isCodable="true"/>
            <Code guid="4d903c6e-2e5b-4187-9f2d-2e7e3f4a5b62" name="calm" isCodable="true"><Code guid="5ea14d7f-3f6c-4298-a03e-3f8f4a5b6c73" name="deep" isCodable="true"/></Code>
            </Code>
            </Codes>
            </CodeBook>
            """
        let codebook = try CodebookLoader.decode(xml, format: .qdc)
        #expect(codebook.variables.count == 1)
        #expect(codebook.variables[0].type == .category)
        #expect(codebook.variables[0].categories.map(\.code) == ["angry", "calm"])
        #expect(codebook.variables[0].instructions == "How the crowd felt")
    }

    @Test func hostileQDCIsRefused() throws {
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="&lol2;" isCodable="true"/></Codes></CodeBook>
            """
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(bomb, format: .qdc) }
        let deep = "<CodeBook><Codes>" + String(repeating: "<Code name=\"x\">", count: 10_000) + "</Codes></CodeBook>"
        let error = #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode(deep, format: .qdc) }
        #expect(error?.description.contains("nested deeper") == true)
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("<CodeBook><Codes><Code", format: .qdc) }
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("<other/>", format: .qdc) }
        #expect(throws: CodebookLoadError.self) { try CodebookLoader.decode("not xml \u{0}", format: .qdc) }
    }
}
