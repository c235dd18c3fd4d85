import Driver
import Foundation

/// `spate submit`, `spate jobs`, `spate status` and `spate stop`: the CLI side of the driver.
enum SubmitCommands {
    /// The four commands, for the command table.
    static let specs = [submit, jobs, status, stop]

    static let driverFlags: [FlagSpec] = [
        .string("driver", default: "127.0.0.1:7077", valueName: "HOST:PORT", help: "the driver's RPC address"),
        .string("secret", valueName: "S", help: "the driver's shared secret (or SPATE_SECRET)"),
    ]

    static let submit = CommandSpec(
        name: "submit",
        summary: "Submit a SQL job to the driver",
        description: """
            Submit a streaming SQL job. The driver compiles it first: a job that does not compile is \
            refused with the compiler's message (exit code 1) and nothing starts. Prints the job's id, \
            which is --name, else the file name without .sql. Submitting a stopped or failed job again \
            under the same name and SQL resumes it from its checkpoint.
            """,
        flags: driverFlags + [.string("name", valueName: "NAME", help: "the job's name (default: the file name)")],
        positionals: [.required("FILE", help: "the job's .sql file")],
        handler: { arguments in
            let path = arguments.positional("FILE")
            guard let sql = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw InvalidArgument("cannot read '\(path)' as UTF-8 text")
            }
            let name = arguments.optionalString("name")
            return try await withDriver(arguments) { client in
                let jobId = try await client.submit(name: name, sql: sql, fileName: path)
                print(jobId)
                return ExitCode.success
            }
        })

    static let jobs = CommandSpec(
        name: "jobs",
        summary: "List the driver's jobs",
        flags: driverFlags + [.bool("json", help: "print the driver's JSON")],
        handler: { arguments in
            let asJSON = arguments.bool("json")
            return try await withDriver(arguments) { client in
                let answer = try await client.listJobs()
                print(asJSON ? String(decoding: answer, as: UTF8.self) : JobText.list(answer))
                return ExitCode.success
            }
        })

    static let status = CommandSpec(
        name: "status",
        summary: "Show a job's state and recent progress",
        description: """
            Show a job's state, batches, the last batch's rows per second and duration, its watermark \
            and lag. With --json, print the driver's full JSON, including the last progress records.
            """,
        flags: driverFlags + [.bool("json", help: "print the driver's JSON")],
        positionals: [.required("JOB", help: "the job's id")],
        handler: { arguments in
            let jobId = arguments.positional("JOB")
            let asJSON = arguments.bool("json")
            return try await withDriver(arguments) { client in
                let answer = try await client.status(jobId: jobId)
                print(asJSON ? String(decoding: answer, as: UTF8.self) : JobText.status(answer))
                return ExitCode.success
            }
        })

    static let stop = CommandSpec(
        name: "stop",
        summary: "Stop a job after its current batch",
        description: """
            Stop a job once its current batch has committed (a batch that cannot finish within 30 s is \
            abandoned and runs again when the job is resubmitted). Its checkpoint stays; a restarted \
            driver does not resume it; spate submit with the same name and SQL does.
            """,
        flags: driverFlags,
        positionals: [.required("JOB", help: "the job's id")],
        handler: { arguments in
            let jobId = arguments.positional("JOB")
            return try await withDriver(arguments) { client in
                try await client.stop(jobId: jobId)
                print("stopped \(jobId)")
                return ExitCode.success
            }
        })

    /// Connects to the driver, runs `body`, and turns the driver's refusals into a message on
    /// stderr and exit code 1.
    static func withDriver(_ arguments: ParsedArguments, _ body: (DriverClient) async throws -> Int32)
        async throws -> Int32
    {
        let command = arguments.commandLine
        do {
            let client = try await DriverClient.connect(to: arguments.string("driver"), secret: secret(arguments))
            let code: Int32
            do {
                code = try await body(client)
            } catch {
                await client.close()
                throw error
            }
            await client.close()
            return code
        } catch let error as DriverClientError {
            StandardStreams.writeError("\(command): \(error)\n")
            return ExitCode.failure
        }
    }
}
