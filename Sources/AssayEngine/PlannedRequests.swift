import AssayCore

/// A job's requests as planned: the documents in the order they go out, and where each request
/// ends. One array for all of them, where an array per request cost ~80 bytes a document: a
/// 1,000,000-document job's plan is ~16 MB (`scripts/bench-million.sh`).
struct PlannedRequests: RandomAccessCollection, Sendable {
    private var items: [WorkItem] = []
    /// Where each request ends in `items`; nil while every request has one document (no
    /// packing), which spares 8 bytes a document.
    private var ends: [Int]?

    init() {}

    /// One document a request.
    init(single items: [WorkItem]) {
        self.items = items
    }

    /// Requests of several documents each.
    init(_ requests: [[WorkItem]]) {
        for request in requests { append(request) }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { ends?.count ?? items.count }

    subscript(position: Int) -> [WorkItem] {
        guard let ends else { return [items[position]] }
        return Array(items[(position == 0 ? 0 : ends[position - 1])..<ends[position]])
    }

    mutating func append(_ request: [WorkItem]) {
        if ends == nil, request.count != 1 { ends = Array(stride(from: 1, through: items.count, by: 1)) }
        items += request
        ends?.append(items.count)
    }

    static func += (lhs: inout PlannedRequests, rhs: PlannedRequests) {
        for request in rhs { lhs.append(request) }
    }

    /// The same requests starting at request `start` and wrapping around.
    func rotated(startingAt start: Int) -> PlannedRequests {
        guard start > 0, start < count else { return self }
        if ends == nil { return PlannedRequests(single: Array(items[start...] + items[..<start])) }
        var rotated = PlannedRequests()
        for index in Array(start..<count) + Array(0..<start) { rotated.append(self[index]) }
        return rotated
    }
}
