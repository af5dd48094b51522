import ArgumentParser
import Foundation
import Payments

/// `payrecon token hash`: the SHA-256 that `api_tokens` in serve's config keeps for a named token. The
/// token is read from standard input, never from the command line (argv shows in `ps` and shell history).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Named API tokens for serve.", subcommands: [TokenHashCommand.self])
}

struct TokenHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the sha256 of the token on standard input, for serve's api_tokens: [{name, sha256}].",
        discussion: "Make a token with e.g. `openssl rand -hex 32`; give it to its holder; keep only the hash in the config.")

    func run() throws {
        let token = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else { throw ValidationError("the token on standard input must be at least 16 characters") }
        print(APITokens.hash(token))
    }
}
