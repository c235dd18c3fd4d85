import Glibc
import Testing

@testable import Wire

@Suite(.dedicatedThread) struct PosixFileTests {
    func temporaryDirectory() throws -> String {
        let path = "/tmp/spate-posix-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try Posix.mkdirs(path + "/a/b")
        return path
    }

    @Test func atomicWriteReplacesWholeFileAndLeavesNoTemporary() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/a/b/state"
        try Posix.writeFileAtomically(path, Array("first version".utf8))
        try Posix.writeFileAtomically(path, Array("second".utf8))
        #expect(try Posix.readFile(path) == Array("second".utf8))
        #expect(try Posix.listDirectory(dir + "/a/b") == ["state"])
        #expect(Posix.exists(path) && !Posix.exists(path + ".tmp"))
        try Posix.unlink(path)
        #expect(!Posix.exists(path))
    }

    @Test func errorsNameTheCallThePathAndErrno() throws {
        let dir = try temporaryDirectory()
        do {
            _ = try Posix.readFile(dir + "/missing")
            Issue.record("reading a missing file succeeded")
        } catch {
            #expect(error.call == "open" && error.errno == ENOENT)
            #expect(error.description.contains(dir + "/missing"))
        }
    }

    @Test func preadAndPwriteRoundTripAtOffsets() throws {
        let dir = try temporaryDirectory()
        let fd = try Posix.open(dir + "/data", O_RDWR | O_CREAT)
        defer { try? Posix.close(fd) }
        let bytes: [UInt8] = Array(0..<200)
        try bytes.withUnsafeBytes { raw in Result { () throws(PosixError) in try Posix.pwriteAll(fd, raw, 100) } }.get()
        #expect(try Posix.fileSize(fd) == 300)
        var back = [UInt8](repeating: 0, count: 50)
        let got = try back.withUnsafeMutableBytes { raw in
            Result { () throws(PosixError) in try Posix.pread(fd, raw.baseAddress!, 50, 150) }
        }.get()
        #expect(got == 50 && back == Array(bytes[50..<100]))
        try Posix.ftruncate(fd, 120)
        #expect(try Posix.fileSize(fd) == 120)
        try Posix.fsync(fd)
    }
}
