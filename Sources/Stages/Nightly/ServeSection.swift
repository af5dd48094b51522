import Foundation
import Payments
import Yams

/// `payrecon serve --config FILE.yaml`: the payments companion's settings as the `serve` section of the
/// same YAML file the nightly job reads, with the JSON file's keys (fixtures/payments-config.example.json,
/// which keeps working as it is). `serve.database` defaults to the file's `store`; `api_tokens` is a
/// mapping of name to sha256 here, the JSON's list of `{name, sha256}` there.
public enum ServeSection {
    public static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    public static func load(path: String) throws -> PaymentsConfiguration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PaymentsConfigurationError(description: "\(path): cannot read the configuration file")
        }
        let document: Any?
        do { document = try Yams.load(yaml: text) } catch {
            throw PaymentsConfigurationError(description: "\(path): not valid YAML: \(error)")
        }
        guard let root = document as? [String: Any], var serve = root["serve"] as? [String: Any] else {
            throw PaymentsConfigurationError(description: "\(path): serve: missing: the payments companion's section")
        }
        if serve["database"] == nil, let store = root["store"] { serve["database"] = store }
        // A list of sections is not YAML swift-configuration reads, so the YAML names tokens as a mapping
        // (name: sha256); the JSON's list form is what the decoder takes.
        if let tokens = serve["api_tokens"] as? [String: Any] {
            serve["api_tokens"] = tokens.keys.sorted().map { ["name": $0, "sha256": "\(tokens[$0] ?? "")"] }
        }
        guard JSONSerialization.isValidJSONObject(serve), let json = try? JSONSerialization.data(withJSONObject: serve) else {
            throw PaymentsConfigurationError(description: "\(path): serve: holds values that are not plain strings, numbers, lists or sections")
        }
        return try PaymentsConfiguration.decode(json: json, path: "\(path) (serve)")
    }
}
