import Foundation

@testable import Broker

/// One golden frame from `shared/kafka/fixtures` (header + body, no size prefix).
struct Fixture: Sendable, CustomStringConvertible {
    let fileName: String
    let client: String
    let apiKey: ApiKey
    let version: Int16
    let isRequest: Bool
    let bytes: [UInt8]

    var description: String { fileName }
}

/// Why the fixtures could not be loaded.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// Finds and parses the fixture files named `<client>_<Api>_v<N>.<req|resp>.bin`.
enum FixtureFiles {
    /// The fixture directory: up from this file to the package root (the directory holding
    /// Package.swift), then the nearest `shared/kafka/fixtures` beside it or above it (a helper's
    /// worktree sits one level deeper than the main checkout).
    static func directory(filePath: String = #filePath) throws -> URL {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return try sharedFixtures(above: dir)
            }
            dir = dir.deletingLastPathComponent()
        }
        throw FixtureError(description: "no Package.swift above \(filePath)")
    }

    private static func sharedFixtures(above root: URL) throws -> URL {
        var dir = root.deletingLastPathComponent()
        while true {
            let candidate = dir.appendingPathComponent("shared/kafka/fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            if dir.path == "/" { break }
            dir = dir.deletingLastPathComponent()
        }
        throw FixtureError(description: "no shared/kafka/fixtures beside or above \(root.path)")
    }

    /// Every fixture, sorted by file name.
    static func all() throws -> [Fixture] {
        let dir = try directory()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".bin") }
        return try names.sorted().map { name in
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            return try parse(name: name, bytes: [UInt8](data))
        }
    }

    /// Request fixtures only.
    static func requests() throws -> [Fixture] { try all().filter(\.isRequest) }

    /// Response fixtures only.
    static func responses() throws -> [Fixture] { try all().filter { !$0.isRequest } }

    /// The fixture named `name`.
    static func named(_ name: String) throws -> Fixture {
        guard let fixture = try all().first(where: { $0.fileName == name }) else {
            throw FixtureError(description: "fixture \(name) not found")
        }
        return fixture
    }

    private static func parse(name: String, bytes: [UInt8]) throws -> Fixture {
        // e.g. "kafka-python_Fetch_v11.req.bin"
        let stem = name.split(separator: ".").first.map(String.init) ?? ""
        let parts = stem.split(separator: "_").map(String.init)
        guard parts.count == 3, parts[2].hasPrefix("v"), let version = Int16(parts[2].dropFirst()),
            let key = ApiKey.allCases.first(where: { $0.description == parts[1] })
        else { throw FixtureError(description: "unexpected fixture name \(name)") }
        return Fixture(
            fileName: name, client: parts[0], apiKey: key, version: version, isRequest: name.hasSuffix(".req.bin"),
            bytes: bytes)
    }
}
