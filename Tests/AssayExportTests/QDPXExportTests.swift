import AssayCore
import AssayExport
import AssayTestSupport
import Foundation
import Testing

/// The .qdpx opened by python3's zipfile and ElementTree, checked against the REFI-QDA Project schema's
/// rules (Project.xsd, 2019): element order, required attributes, GUID form, and each selection's
/// code-point offsets against the source file.
@Suite struct QDPXExportTests {
    static let checker = #"""
        import json, re, sys, zipfile
        import xml.etree.ElementTree as ET
        NS = "{urn:QDA-XML:project:1.0}"
        GUID = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$")
        DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        problems = []
        # Children each element may have, in schema order, and its required and GUID-typed attributes.
        ORDER = {
            "Project": ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs", "Description", "NoteRef"],
            "Users": ["User"], "CodeBook": ["Codes"], "Codes": ["Code"], "Code": ["Description", "NoteRef", "Code"],
            "Sources": ["TextSource"],
            "TextSource": ["Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef", "VariableValue"],
            "PlainTextSelection": ["Description", "Coding", "NoteRef"], "Coding": ["CodeRef", "NoteRef"],
            "User": [], "CodeRef": [], "Description": [],
        }
        REQUIRED = {"Project": ["name"], "User": ["guid"], "Code": ["guid", "name", "isCodable"], "TextSource": ["guid"],
                    "PlainTextSelection": ["guid", "startPosition", "endPosition"], "Coding": ["guid"], "CodeRef": ["targetGUID"]}
        GUIDS = ["guid", "creatingUser", "creatingUserGUID", "targetGUID", "modifyingUser"]
        def check(element):
            tag = element.tag.replace(NS, "")
            if not element.tag.startswith(NS): problems.append("element outside the namespace: " + element.tag)
            for name in REQUIRED.get(tag, []):
                if name not in element.attrib: problems.append(f"{tag} lacks {name}")
            for name in GUIDS:
                if name in element.attrib and not GUID.match(element.attrib[name]): problems.append(f"{tag}.{name} not a GUID: {element.attrib[name]}")
            for name in ["creationDateTime", "modifiedDateTime"]:
                if name in element.attrib and not DATETIME.match(element.attrib[name]): problems.append(f"{tag}.{name} not xsd:dateTime")
            if tag == "Code" and element.attrib.get("isCodable") not in ("true", "false", "1", "0"): problems.append("isCodable not boolean")
            allowed = ORDER.get(tag)
            if allowed is None: problems.append("unexpected element " + tag); return
            last = -1
            for child in element:
                name = child.tag.replace(NS, "")
                if name not in allowed: problems.append(f"{name} not allowed in {tag}"); continue
                index = allowed.index(name)
                if index < last: problems.append(f"{name} out of order in {tag}")
                last = index
                check(child)
        archive = zipfile.ZipFile(sys.argv[1])
        root = ET.fromstring(archive.read("project.qde"))
        if root.tag != NS + "Project": problems.append("root is " + root.tag)
        check(root)
        guids = [e.attrib["guid"] for e in root.iter() if "guid" in e.attrib]
        if len(guids) != len(set(guids)): problems.append("duplicate GUIDs")
        users = {e.attrib["guid"]: e.attrib.get("name") for e in root.iter(NS + "User")}
        codes = {e.attrib["guid"]: e.attrib["name"] for e in root.iter(NS + "Code")}
        parents = {child.attrib["guid"]: parent.attrib["name"] for parent in root.iter(NS + "Code") for child in parent.findall(NS + "Code")}
        selections = []
        whole = []
        whole_by = []
        for source in root.iter(NS + "TextSource"):
            for coding in source.findall(NS + "Coding"):
                target = coding.find(NS + "CodeRef").attrib["targetGUID"]
                if target not in codes: problems.append("CodeRef to no code: " + target)
                if coding.attrib.get("creatingUser") not in users: problems.append("Coding by no user")
                coded = (parents.get(target, "") + "/" if target in parents else "") + codes.get(target, "?")
                whole.append(source.attrib["name"] + ": " + coded)
                whole_by.append(source.attrib["name"] + ": " + str(users.get(coding.attrib.get("creatingUser"))) + " " + coded)
            path = source.attrib["plainTextPath"]
            if not path.startswith("internal://"): problems.append("plainTextPath not internal: " + path)
            raw = archive.read("sources/" + path[len("internal://"):])
            if raw.startswith(b"\xef\xbb\xbf"): problems.append("source has a BOM")
            if b"\r" in raw: problems.append("source has CR")
            text = raw.decode("utf-8")
            for selection in source.findall(NS + "PlainTextSelection"):
                start, end = int(selection.attrib["startPosition"]), int(selection.attrib["endPosition"])
                description = selection.find(NS + "Description")
                coded = []
                for coding in selection.findall(NS + "Coding"):
                    target = coding.find(NS + "CodeRef").attrib["targetGUID"]
                    if target not in codes: problems.append("CodeRef to no code: " + target)
                    if coding.attrib.get("creatingUser") not in users: problems.append("Coding by no user")
                    coded.append((parents.get(target, "") + "/" if target in parents else "") + codes.get(target, "?"))
                selections.append({"source": source.attrib["name"], "text": text[start:end], "codes": coded,
                                   "description": description.text if description is not None else None,
                                   "user": users.get(selection.attrib.get("creatingUser"))})
        print(json.dumps({"problems": problems, "selections": selections, "users": sorted(users.values()), "whole": whole, "whole_by": whole_by,
                          "codes": sorted(codes.values())}))
        """#

    static func check(_ data: Data) throws -> JSONValue {
        let folder = try TempFolder("qdpx")
        let file = try folder.write("export.qdpx", bytes: Array(data))
        let script = try folder.write("check.py", checker)
        return try JSONValue.parse(try ExternalTool.run(ExternalTool.python, [script.path, file.path]))
    }

    @Test func projectFollowsTheSchemaAndSelectionsQuoteTheEvidence() throws {
        let result = try Self.check(try DatasetExporter.data(ResearchFixtures.dataset, format: .qdpx))
        #expect(result.objectValue?["problems"] == .array([]))
        let selections = result.objectValue?["selections"]?.arrayValue ?? []
        // Two values have located evidence; the others (no quote, or one not found) code the whole source.
        #expect(selections.count == 2)
        let whole = result.objectValue?["whole"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(whole.contains("b.txt: organiser/union"))
        #expect(whole.contains("b.txt: tags/peaceful") && whole.contains("b.txt: tags/march"))
        #expect(whole.contains("köln/2024-05-01.txt: crowd_size"))
        #expect(!whole.contains { $0.hasPrefix("b.txt: crowd_size") })
        let first = selections.first?.objectValue
        #expect(first?["source"] == "köln/2024-05-01.txt")
        #expect(first?["text"] == .string(ResearchFixtures.quoteA))
        #expect(first?["codes"] == ["violence/true"])
        #expect(first?["description"] == "Tear gas is violence.")
        #expect(first?["user"] == "model qwen2.5-7b")
        // The second source had CRLF: the file has LF and the offsets follow it.
        let second = selections.last?.objectValue
        #expect(second?["text"] == .string(ResearchFixtures.quoteB))
        #expect(second?["codes"] == ["violence/false"])
        let codes = result.objectValue?["codes"]?.arrayValue ?? []
        #expect(codes.contains("organiser") && codes.contains("union") && codes.contains("2nd place (city)"))
    }

    /// People's codes (assay coders import) come out as codings of the whole source by each person,
    /// who is a user of the project beside the model.
    @Test func eachPersonWhoCodedIsAUserWithTheirCodes() throws {
        var dataset = ResearchFixtures.dataset
        dataset.humanCodes = [
            HumanCode(documentID: 1, variable: "violence", coder: "ann", value: "yes"),
            HumanCode(documentID: 1, variable: "organiser", coder: "bob", value: "students"),
            HumanCode(documentID: 2, variable: "violence", coder: "bob", value: "no"),
            HumanCode(documentID: 2, variable: "crowd_size", coder: "ann", value: "200"),
        ]
        let result = try Self.check(try DatasetExporter.data(dataset, format: .qdpx))
        #expect(result.objectValue?["problems"] == .array([]))
        let users = result.objectValue?["users"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(users == ["Assay", "ann", "bob", "model qwen2.5-7b"])
        let by = result.objectValue?["whole_by"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(by.contains("köln/2024-05-01.txt: ann violence/true"))
        #expect(by.contains("köln/2024-05-01.txt: bob organiser/students"))
        #expect(by.contains("b.txt: bob violence/false"))
        #expect(by.contains("b.txt: ann crowd_size"))
    }

    @Test func hostileTextStaysWellFormed() throws {
        var dataset = ResearchFixtures.dataset
        dataset.documents[1].title = "nul\u{00} bell\u{07} <tag> & \"quotes\""
        dataset.extractions[7].rationale = "control \u{1B}\u{0B} chars & <markup>"
        let result = try Self.check(try DatasetExporter.data(dataset, format: .qdpx))
        #expect(result.objectValue?["problems"] == .array([]))
        let second = result.objectValue?["selections"]?.arrayValue?.last?.objectValue
        #expect(second?["description"] == "control  chars & <markup>")
    }

    @Test func thousandsOfSources() throws {
        let result = try Self.check(try DatasetExporter.data(ResearchFixtures.many(3_000), format: .qdpx))
        #expect(result.objectValue?["problems"] == .array([]))
    }
}
