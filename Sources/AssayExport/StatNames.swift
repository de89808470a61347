import Foundation

/// Variable names SPSS and Stata accept, made from the dataset's column names.
///
/// The rule, for both: every character but ASCII letters, digits and `_` becomes `_`; a name that
/// does not start with a letter gets a `v` in front; the name is cut to the format's length (SPSS 64
/// bytes, Stata 32 characters); a reserved word (SPSS `ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH`,
/// Stata's `_all`, `byte`, `if`, `in`, `int`, `using`… ) gets a `_` after it; and a name equal to an
/// earlier one ignoring case gets `_2`, `_3`… (cut further to fit). The original name stays in the
/// variable's label.
enum StatNames {
    enum Dialect {
        case spss, stata

        var maxLength: Int { self == .spss ? 64 : 32 }

        var reserved: Set<String> {
            switch self {
            case .spss: ["all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"]
            case .stata:
                [
                    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi", "_pred",
                    "_rc", "_skip", "strl", "using", "with",
                ]
            }
        }
    }

    /// Valid, unique names for `names`, in order.
    static func valid(_ names: [String], for dialect: Dialect) -> [String] {
        var taken: Set<String> = []
        return names.map { name in
            var base = String(
                name.unicodeScalars.map { scalar -> Character in
                    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
                        ? Character(scalar) : "_"
                })
            if base.first.map({ !($0.isASCII && $0.isLetter) }) ?? true { base = "v" + base }
            base = String(base.prefix(dialect.maxLength))
            // Stata: str1…str2045 name string types.
            if dialect.reserved.contains(base.lowercased()) || (dialect == .stata && isStataStringType(base)) {
                base = String(base.prefix(dialect.maxLength - 1)) + "_"
            }
            var candidate = base
            var counter = 1
            while taken.contains(candidate.lowercased()) {
                counter += 1
                let suffix = "_\(counter)"
                candidate = String(base.prefix(dialect.maxLength - suffix.count)) + suffix
            }
            taken.insert(candidate.lowercased())
            return candidate
        }
    }

    private static func isStataStringType(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("str") && lower.count > 3 && lower.dropFirst(3).allSatisfy(\.isNumber)
    }
}
