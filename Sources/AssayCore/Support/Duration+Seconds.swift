/// A duration in seconds, fractions included: what timestamps stored as seconds add and compare.
extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
