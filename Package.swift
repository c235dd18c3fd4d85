// swift-tools-version:6.0
// Spate depends on no Swift package by design: every module uses only the toolchain
// (Foundation, Dispatch, Glibc, Synchronization, Swift Testing).
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// Wire's CRC-32C uses the SSE4.2 crc32 instruction on x86-64 (every x86-64-v2 CPU has it); the
// manifest runs on the build machine, which is the target for everything Spate builds.
#if arch(x86_64)
    let wireSettings: [SwiftSetting] = strict + [.unsafeFlags(["-Xcc", "-msse4.2"])]
#else
    let wireSettings: [SwiftSetting] = strict
#endif

let package = Package(
    name: "Spate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "spate", targets: ["spate"])
    ],
    targets: [
        .target(name: "Wire", swiftSettings: wireSettings),
        .target(name: "Broker", dependencies: ["Wire"], swiftSettings: strict),
        .target(name: "Query", dependencies: ["Wire"], swiftSettings: strict),
        .target(name: "Scheduler", swiftSettings: strict),
        .target(name: "Executor", dependencies: ["Wire", "Broker", "Query"], swiftSettings: strict),
        .target(name: "Driver", dependencies: ["Wire", "Broker", "Query", "Scheduler"], swiftSettings: strict),
        .executableTarget(
            name: "spate", dependencies: ["Driver", "Executor", "Broker", "Wire"], swiftSettings: strict),
        .testTarget(name: "WireTests", dependencies: ["Wire"], swiftSettings: strict),
        .testTarget(name: "BrokerTests", dependencies: ["Broker", "Wire"], swiftSettings: strict),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Wire"], swiftSettings: strict),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler"], swiftSettings: strict),
        .testTarget(name: "DriverTests", dependencies: ["Driver"], swiftSettings: strict),
        .testTarget(name: "ExecutorTests", dependencies: ["Executor"], swiftSettings: strict),
        .testTarget(name: "spateTests", dependencies: ["spate"], swiftSettings: strict),
    ]
)
