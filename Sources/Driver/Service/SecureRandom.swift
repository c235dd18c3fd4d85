import Glibc
import Wire

/// Random bytes for authentication nonces, from /dev/urandom.
public enum SecureRandom {
    /// `count` bytes from /dev/urandom (the system generator, which draws from the same pool, if
    /// the device cannot be read).
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        if let fd = try? Posix.open("/dev/urandom", O_RDONLY | O_CLOEXEC) {
            defer { try? Posix.close(fd) }
            var filled = 0
            while filled < count {
                let outcome = bytes.withUnsafeMutableBytes { raw in
                    Result { () throws(PosixError) in try Posix.read(fd, raw.baseAddress! + filled, count - filled) }
                }
                guard case .success(.processed(let got)) = outcome, got > 0 else { break }
                filled += got
            }
            if filled == count { return bytes }
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
