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
    /// The model of each run, in order, when the runs used different models (the codebook's
    /// `models`); nil when one model coded every run.
    public var models: [String]?

    public init(temperature: Double, runs: Int = 1, variedTemperature: Double? = nil, models: [String]? = nil) {
        self.temperature = temperature
        self.runs = runs
        self.variedTemperature = runs > 1 ? variedTemperature : nil
        self.models = models
    }

    enum CodingKeys: String, CodingKey {
        case temperature, runs, models
        case variedTemperature = "varied_temperature"
    }
}
