import Testing

@testable import AssayProviders

@Suite struct TokenBucketTests {
    let start = ContinuousClock.now

    @Test func aFullBucketGivesAtOnceThenRefillsPerSecond() {
        var bucket = TokenBucket(perMinute: 60, now: start)  // one a second
        #expect(bucket.waitTime(for: 60, now: start) == .zero)
        bucket.take(60, now: start)
        #expect(bucket.waitTime(for: 1, now: start) == .seconds(1))
        #expect(bucket.waitTime(for: 1, now: start + .milliseconds(500)) == .milliseconds(500))
        #expect(bucket.waitTime(for: 1, now: start + .seconds(1)) == .zero)
        #expect(bucket.waitTime(for: 30, now: start + .seconds(10)) == .seconds(20))
    }

    @Test func refillStopsAtCapacity() {
        var bucket = TokenBucket(perMinute: 120, now: start)
        bucket.take(120, now: start)
        // An hour later it holds one minute's worth, not sixty.
        #expect(bucket.waitTime(for: 120, now: start + .seconds(3600)) == .zero)
        bucket.take(120, now: start + .seconds(3600))
        #expect(bucket.waitTime(for: 1, now: start + .seconds(3600)) > .zero)
    }

    @Test func anAmountAboveCapacityCanStillBeTaken() {
        var bucket = TokenBucket(perMinute: 1000, now: start)
        #expect(bucket.waitTime(for: 5000, now: start) == .zero)
        bucket.take(5000, now: start)
        #expect(bucket.waitTime(for: 1000, now: start) == .seconds(60))
    }

    @Test func overestimatesAreGivenBack() {
        var bucket = TokenBucket(perMinute: 600, now: start)
        bucket.take(600, now: start)
        bucket.adjust(by: 300, now: start)  // estimated 600, used 300
        #expect(bucket.waitTime(for: 300, now: start) == .zero)
        #expect(bucket.waitTime(for: 301, now: start) > .zero)
    }
}
