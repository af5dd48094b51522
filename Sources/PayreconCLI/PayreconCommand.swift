import ArgumentParser

/// `payrecon`: the command line. Commands are thin: they parse, call a target, and map
/// outcomes to exit codes (0 success, 1 discrepancies at or above --fail-on, 2 failure, 64 usage).
public struct PayreconCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "payrecon",
        abstract: "Reconciles a Stripe account against the marketplace's order ledger.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, SandboxCommand.self, ExtractCommand.self, LedgerCommand.self, ReconcileCommand.self,
            ReportCommand.self, ExportCommand.self, VerifyExportCommand.self, ResolveCommand.self, RunCommand.self, RunsCommand.self,
            StatusCommand.self, ServeCommand.self, TokenCommand.self,
        ])

    public init() {}
}

extension PayreconCommand {
    /// Parses argv and runs the chosen command asynchronously. Called instead of `main()`, whose
    /// synchronous overload is picked from top-level code in another module and refuses to run.
    public static func runMain(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
