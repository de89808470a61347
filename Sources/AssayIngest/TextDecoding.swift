import AssayCore
import Foundation

/// Turns file bytes into text, refusing what is not UTF-8 text with a reason a user can act on.
package enum TextDecoding {
    package struct Problem: Error, Equatable {
        package var reason: String
    }

    package static func decode(_ data: Data) -> Result<String, Problem> {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(Problem(reason: "UTF-16 text; save the file as UTF-8"))
        }
        if bytes.contains(0) {
            return .failure(Problem(reason: "binary file, not text"))
        }
        // A byte order mark says nothing about the content and would shift every evidence offset.
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let text = String(validating: body, as: UTF8.self) {
            return .success(text)
        }
        let offset = firstInvalidUTF8Offset(body) ?? 0
        let fileOffset = offset + (body.startIndex)
        let line = bytes[..<fileOffset].count(where: { $0 == 0x0A }) + 1
        return .failure(Problem(reason: "invalid UTF-8 at byte \(fileOffset) (line \(line))"))
    }

    /// The offset from the start of `bytes` of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// Positions in text as people count them: lines and columns from 1.
enum TextPosition {
    /// The line and column (in characters) of a UTF-8 byte offset.
    static func lineAndColumn(ofUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int) {
        let utf8 = text.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(offset, 0), utf8.count))
        var line = 1
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index < end {
            if utf8[index] == 0x0A {
                line += 1
                lineStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        let column = String(decoding: utf8[lineStart..<end], as: UTF8.self).count + 1
        return (line, column)
    }
}
