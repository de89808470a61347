import Foundation

/// How a model was asked for a value: recorded with the value, so a dataset says who coded it
/// and how (a reader of a methods section asks for the temperature and the number of runs).
public struct ModelSettings: Sendable, Hashable, Codable {
    /// The temperature of the first (or only) run.
    public var temperature: Double
    /// How many times each document was coded.
    public var runs: Int
    /// The temperature of the runs after the first, which vary their seeds; nil with one run.
    public var variedTemperature: Double?

    public init(temperature: Double, runs: Int = 1, variedTemperature: Double? = nil) {
        self.temperature = temperature
        self.runs = runs
        self.variedTemperature = runs > 1 ? variedTemperature : nil
    }

    enum CodingKeys: String, CodingKey {
        case temperature, runs
        case variedTemperature = "varied_temperature"
    }
}
