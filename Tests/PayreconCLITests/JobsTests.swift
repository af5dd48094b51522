import Foundation
import TestSupport
import Testing

/// The schedules under jobs/ are valid for the tools that run them: systemd's own verifier for the
/// service and timer, the Kubernetes API's schema (kubernetes-validate, strict) for the CronJob, and
/// the crontab line's fields. .ci/run installs both tools.
@Suite struct JobsTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// systemd-analyze checks that ExecStart's program exists: the units are verified with it pointing
    /// at the binary just built, the one change an install makes (the path under /usr/local/bin).
    @Test func theSystemdUnitsVerify() throws {
        let folder = TestScratch.directory.appendingPathComponent("jobs-systemd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for unit in ["payrecon.service", "payrecon.timer"] {
            let text = try String(contentsOf: packageRoot.appendingPathComponent("jobs/systemd/\(unit)"), encoding: .utf8)
            #expect(unit != "payrecon.service" || text.contains("ExecStart=/usr/local/bin/payrecon run --config /etc/payrecon/payrecon.yaml"))
            try text.replacingOccurrences(of: "/usr/local/bin/payrecon", with: PayreconBinary.path)
                .write(to: folder.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let verified = try Self.run([
            "systemd-analyze", "verify", folder.appendingPathComponent("payrecon.service").path, folder.appendingPathComponent("payrecon.timer").path,
        ])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(!verified.output.contains("payrecon."), "\(verified.output)")
        // The verifier is not lenient: a calendar it cannot read fails.
        let timer = folder.appendingPathComponent("payrecon.timer")
        try (try String(contentsOf: timer, encoding: .utf8)).replacingOccurrences(of: "*-*-* 02:30:00", with: "nightly at two")
            .write(to: timer, atomically: true, encoding: .utf8)
        #expect(try Self.run(["systemd-analyze", "verify", timer.path]).status != 0)
    }

    @Test func theCronJobValidatesAgainstTheKubernetesSchema() throws {
        let cronjob = packageRoot.appendingPathComponent("jobs/kubernetes/cronjob.yaml").path
        let validated = try Self.run(["python3", "-m", "kubernetes_validate", "--strict", cronjob])
        #expect(validated.status == 0, "\(validated.output)")
        #expect(validated.output.contains("passed for resource cronjob/payrecon-nightly"), "\(validated.output)")
        let text = try String(contentsOfFile: cronjob, encoding: .utf8)
        #expect(text.contains("concurrencyPolicy: Forbid") && text.contains("secretKeyRef:") && text.contains("persistentVolumeClaim:"))
        // A misspelt field is refused.
        let bad = TestScratch.directory.appendingPathComponent("cronjob-\(UUID().uuidString).yaml")
        try text.replacingOccurrences(of: "concurrencyPolicy: Forbid", with: "concurrencyPolicy: Forbid\n  concurencyPolicy: Forbid")
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(try Self.run(["python3", "-m", "kubernetes_validate", "--strict", bad.path]).status != 0)
    }

    @Test func theServeReplicasValidateAgainstTheKubernetesSchema() throws {
        let serve = packageRoot.appendingPathComponent("jobs/kubernetes/serve.yaml").path
        let validated = try Self.run(["python3", "-m", "kubernetes_validate", "--strict", serve])
        #expect(validated.status == 0, "\(validated.output)")
        for resource in ["deployment/payrecon-serve", "poddisruptionbudget/payrecon-serve", "service/payrecon-serve"] {
            #expect(validated.output.contains("passed for resource \(resource)"), "\(validated.output)")
        }
        let text = try String(contentsOfFile: serve, encoding: .utf8)
        // Two replicas on the PostgreSQL the config names, sharing the documents volume.
        #expect(text.contains("replicas: 2") && text.contains("name: PAYMENTS_DATABASE_URL") && text.contains("ReadWriteMany"))
    }

    @Test func theCrontabLineRunsTheNightlyJob() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("jobs/cron/payrecon"), encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.contains("=") }
        #expect(lines.count == 1)
        let fields = lines.first?.split(separator: " ", maxSplits: 6).map(String.init) ?? []
        // minute hour day month weekday user command (/etc/cron.d's format).
        #expect(fields.count == 7 && fields[0] == "30" && fields[1] == "2" && fields[2...4] == ["*", "*", "*"] && fields[5] == "payrecon")
        #expect(fields.last?.hasPrefix("/usr/local/bin/payrecon run --config /etc/payrecon/payrecon.yaml") == true)
    }
}
