import AssayCore
import AssayService
import Foundation
import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// bcrypt off the request path. Hashing takes ~0.25 s of CPU at cost 12; on the event loops or the
/// cooperative pool, 16 parallel logins starved every other request (health checks took seconds).
/// Here it runs on threads of its own — half the cores, at least one — and at most `maxPending`
/// hashes wait or run at once; past that the service answers 503 with Retry-After at once.
final class PasswordHasher: PasswordHashing {
    /// Process-wide: bcrypt threads are a machine resource, not one per service instance.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()

    let cost: UInt8
    let maxPending: Int
    private let pending = NIOLockedValueBox(0)
    private let verified = NIOLockedValueBox(0)
    /// A hash of a random password at the service's cost: an unknown email is checked against it,
    /// so its login takes as long as a known one's.
    private let decoy: NIOLockedValueBox<String?> = NIOLockedValueBox(nil)

    init(cost: UInt8, maxPending: Int) {
        self.cost = cost
        self.maxPending = maxPending
    }

    struct Busy: Error {}

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let text = Self.bcryptInput(password)
        return try await run { Bcrypt.hash(text, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        let text = Self.bcryptInput(password)
        let result = try await run { Bcrypt.verify(text, hash: hash) }
        verified.withLockedValue { $0 += 1 }
        return result
    }

    /// Passwords checked so far: tests see that an unknown email costs the same work as a known one.
    var verifications: Int { verified.withLockedValue { $0 } }

    /// Does the work of `verify` for an account that does not exist, and answers false.
    func verifyDecoy(_ password: String) async throws -> Bool {
        let decoy = try await decoyHash()
        _ = try await verify(password, hash: decoy)
        return false
    }

    func decoyHash() async throws -> String {
        if let decoy = decoy.withLockedValue({ $0 }) { return decoy }
        let made = try await hash(Secret.random(prefix: "decoy_"))
        return decoy.withLockedValue { current in
            if current == nil { current = made }
            return current!
        }
    }

    /// bcrypt reads at most 72 bytes (the rest would be ignored): a longer password is hashed as
    /// its SHA-256 in hex (64 bytes), so every character counts. Shorter ones are hashed as they are,
    /// which keeps hashes made before this rule valid.
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return Hashing.sha256(password)
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = pending.withLockedValue { count in
            guard count < maxPending else { return false }
            count += 1
            return true
        }
        guard admitted else { throw Busy() }
        defer { pending.withLockedValue { $0 -= 1 } }
        return try await Self.threads.runIfActive(work)
    }
}
