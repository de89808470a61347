import ArgumentParser
public struct AssayCommand: AsyncParsableCommand {
    public init() {}
    public func run() async throws {}
}
