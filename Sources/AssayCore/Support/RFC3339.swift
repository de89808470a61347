import Foundation

/// RFC 3339 timestamps (`2026-10-05T14:02:11.204Z`, `2026-10-05T16:02:11+02:00`), the form traces
/// and failure patterns use. Hand-written rather than a date formatter: it is strict, accepts any
/// number of fractional digits (OTel exporters write nanoseconds), and is the same on every platform.
public enum RFC3339 {
    /// The instant `text` names, or nil when it is not an RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for byte in b[start..<start + count] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ i: Int, is allowed: String) -> Bool { i < b.count && allowed.utf8.contains(b[i]) }

        guard let year = digits(0, 4), byte(4, is: "-"), let month = digits(5, 2), byte(7, is: "-"),
            let day = digits(8, 2), byte(10, is: "Tt "), let hour = digits(11, 2), byte(13, is: ":"),
            let minute = digits(14, 2), byte(16, is: ":"), let second = digits(17, 2),
            (1...12).contains(month), (1...ISODate.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second <= 60  // 60: a leap second, read as the next second
        else { return nil }

        var i = 19
        var fraction = 0.0
        if byte(i, is: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offsetSeconds = 0
        if byte(i, is: "Zz") {
            i += 1
        } else if byte(i, is: "+-"), let oh = digits(i + 1, 2), byte(i + 3, is: ":"), let om = digits(i + 4, 2),
            oh < 24, om < 60
        {
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `date` in UTC with milliseconds when it has any: `2026-11-23T10:45:00Z`, `2026-11-23T10:45:00.250Z`.
    public static func format(_ date: Date) -> String {
        let total = date.timeIntervalSince1970
        var seconds = Int(total.rounded(.down))
        var millis = Int(((total - Double(seconds)) * 1000).rounded())
        if millis == 1000 {
            seconds += 1
            millis = 0
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let inDay = seconds - days * 86_400
        let (y, m, d) = civilDate(daysSinceEpoch: days)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, inDay / 3600, inDay / 60 % 60, inDay % 60)
        if millis > 0 { text += String(format: ".%03d", millis) }
        return text + "Z"
    }

    // Howard Hinnant's civil-calendar algorithms: exact for every proleptic Gregorian date.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilDate(daysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
