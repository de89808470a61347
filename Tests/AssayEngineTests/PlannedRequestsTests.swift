import AssayCore
import Testing

@testable import AssayEngine

/// The plan's compact form gives back the requests it was given, in order, however they mix.
@Suite struct PlannedRequestsTests {
    func items(_ ids: ClosedRange<Int64>) -> [WorkItem] {
        ids.map { WorkItem(documentID: $0, characters: 10) }
    }

    func ids(_ plan: PlannedRequests) -> [[Int64]] { plan.map { $0.map(\.documentID) } }

    @Test func singleDocumentsThenAPackedRequest() {
        var plan = PlannedRequests(single: items(1...3))
        #expect(ids(plan) == [[1], [2], [3]])
        plan.append(items(4...6))
        plan += PlannedRequests(single: items(7...7))
        #expect(ids(plan) == [[1], [2], [3], [4, 5, 6], [7]])
        #expect(plan.count == 5 && plan[3].map(\.characters) == [10, 10, 10])
    }

    @Test func rotationWrapsAroundWholeRequests() {
        let single = PlannedRequests(single: items(1...4))
        #expect(ids(single.rotated(startingAt: 1)) == [[2], [3], [4], [1]])
        let packed = PlannedRequests([items(1...2), items(3...3), items(4...6)])
        #expect(ids(packed.rotated(startingAt: 2)) == [[4, 5, 6], [1, 2], [3]])
        #expect(ids(packed.rotated(startingAt: 0)) == ids(packed))
        #expect(PlannedRequests().rotated(startingAt: 0).isEmpty)
    }
}
