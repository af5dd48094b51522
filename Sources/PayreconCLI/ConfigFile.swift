import ArgumentParser
import Foundation
import Stages

/// The config file for `run`, `runs`, `status`: its problems go to stderr, one a line, and exit 64.
enum ConfigFile {
    static func load(_ path: String) async throws -> NightlyConfiguration {
        do { return try await NightlyConfiguration.load(path: path) } catch {
            FileHandle.standardError.write(Data("payrecon: error: bad config file:\n\(error.description)\n".utf8))
            throw ExitCode(64)
        }
    }

}

/// `--config FILE | --db FILE`: where `runs` and `status` find the store.
struct ConfigOrStoreOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML config file (its store is read).")
    var config: String?
    @Option(name: .long, help: "The store, instead of --config.")
    var db: String?

    func validate() throws {
        guard (config == nil) != (db == nil) else { throw ValidationError("give --config FILE or --db FILE") }
    }

    func store() async throws -> String {
        if let config { return try await ConfigFile.load(config).store }
        return db ?? ""
    }
}
