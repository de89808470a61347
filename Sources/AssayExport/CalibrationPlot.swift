import AssayCore
import Foundation

/// A reliability diagram as SVG: for each variable, the share of values that match the gold set
/// (y) against their mean confidence (x), one point per confidence band, its area by the number of
/// values. Points on the diagonal are perfectly calibrated; below it, the model is overconfident.
public enum CalibrationPlot {
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public static func svg(_ variables: [(name: String, bins: [GoldReport.Bin])], title: String = "Calibration") -> String {
        let (size, margin) = (360.0, 48.0)
        func x(_ value: Double) -> String { format(margin + value * size) }
        func y(_ value: Double) -> String { format(margin + (1 - value) * size) }
        let total = Double(max(1, variables.flatMap(\.bins).reduce(0) { max($0, $1.count) }))
        var parts = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(format(size + 2 * margin + 160))" height="\#(format(size + 2 * margin))" font-family="sans-serif" font-size="12">"#,
            #"<title>\#(escape(title))</title>"#,
            #"<rect x="\#(x(0))" y="\#(y(1))" width="\#(format(size))" height="\#(format(size))" fill="none" stroke="gray"/>"#,
            #"<line x1="\#(x(0))" y1="\#(y(0))" x2="\#(x(1))" y2="\#(y(1))" stroke="silver" stroke-dasharray="4 4"/>"#,
            #"<text x="\#(x(0.5))" y="\#(format(margin + size + 34))" text-anchor="middle">mean confidence</text>"#,
            #"<text x="14" y="\#(y(0.5))" text-anchor="middle" transform="rotate(-90 14 \#(y(0.5)))">share matching the gold set</text>"#,
        ]
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            parts.append(#"<text x="\#(x(tick))" y="\#(format(margin + size + 16))" text-anchor="middle">\#(format(tick))</text>"#)
            parts.append(#"<text x="\#(format(margin - 6))" y="\#(y(tick))" text-anchor="end" dy="4">\#(format(tick))</text>"#)
        }
        for (index, variable) in variables.enumerated() {
            let color = colors[index % colors.count]
            let points = variable.bins.compactMap { bin in
                bin.meanConfidence.flatMap { confidence in bin.accuracy.map { (confidence, $0, bin.count) } }
            }
            if points.count > 1 {
                let line = points.map { "\(x($0.0)),\(y($0.1))" }.joined(separator: " ")
                parts.append(#"<polyline points="\#(line)" fill="none" stroke="\#(color)" stroke-width="1.5"/>"#)
            }
            for (confidence, accuracy, count) in points {
                let radius = format(3 + 7 * (Double(count) / total).squareRoot())
                parts.append(
                    #"<circle cx="\#(x(confidence))" cy="\#(y(accuracy))" r="\#(radius)" fill="\#(color)" fill-opacity="0.7"><title>\#(escape(variable.name)): \#(count) values</title></circle>"#
                )
            }
            let legendY = format(margin + 8 + Double(index) * 18)
            parts.append(#"<rect x="\#(format(margin + size + 20))" y="\#(legendY)" width="10" height="10" fill="\#(color)"/>"#)
            parts.append(#"<text x="\#(format(margin + size + 36))" y="\#(legendY)" dy="9">\#(escape(variable.name))</text>"#)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
