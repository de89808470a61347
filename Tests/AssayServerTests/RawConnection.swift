import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to the service on loopback, for what an HTTP client will not send:
/// malformed requests, half-sent headers, huge URLs. Reads give up after `patience` seconds
/// (a guard against a hanging test, not a measurement). Its calls block, so tests make them
/// through `blocking`, off the cooperative pool the service's handlers need.
final class RawConnection: @unchecked Sendable {
    let fd: Int32
    #if canImport(Glibc)
        static let streamType = Int32(SOCK_STREAM.rawValue)
        static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
        static let streamType = SOCK_STREAM
        static let sendFlags: Int32 = 0
    #endif

    init(port: Int, patience: Int = 20) throws {
        fd = socket(AF_INET, Self.streamType, 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var timeout = timeval(tv_sec: patience, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    /// Sends everything; false when the server closed the connection first.
    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Self.sendFlags) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Everything the server sends until it closes the connection. `closed` is false when the
    /// read gave up instead (the server kept the connection open).
    func readUntilClosed() -> (text: String, closed: Bool) {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return (String(decoding: data, as: UTF8.self), true) }
            if count < 0 {
                // A reset after the answer still counts as closed by the server.
                return (String(decoding: data, as: UTF8.self), errno == ECONNRESET)
            }
            data += chunk[0..<count]
        }
    }

    /// One response's head and body, read by Content-Length, leaving the connection open.
    func readResponse() -> (status: Int, headers: [String: String], body: String)? {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while !data.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { return nil }
            data.append(byte)
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = [UInt8](repeating: 0, count: Int(headers["content-length"] ?? "0") ?? 0)
        var read = 0
        while read < body.count {
            let count = body[read...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            read += count
        }
        return (status, headers, String(decoding: body, as: UTF8.self))
    }
}

extension String {
    /// The status code and body of the first HTTP response in the text.
    var httpStatus: Int? { split(separator: "\r\n").first?.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
    var httpBody: String { components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
}

/// Runs blocking socket calls on a thread of their own: on Swift's cooperative pool (two threads
/// on two cores) they would starve the very handlers they wait for.
func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}
