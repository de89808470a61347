import AssayService
import Foundation
import Hummingbird

/// `/health/live` (the process answers) and `/health/ready` (the store and the model answer).
struct HealthController {
    let health: Health
    let providerCheck: @Sendable () async throws -> Void

    struct ReadyDTO: Codable, Sendable {
        var status: String
        var store: String
        var provider: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health/live") { _, _ in JSONResponse(["status": "ok"]) }
        router.get("/health/ready") { _, _ in
            var ready = ReadyDTO(status: "ok", store: "ok", provider: "ok")
            if await !health.storeAnswers() {
                ready.store = "unreachable"
                ready.status = "unavailable"
            }
            do { try await providerCheck() } catch {
                ready.provider = "unreachable: \(error)"
                ready.status = "unavailable"
            }
            return JSONResponse(ready, status: ready.status == "ok" ? .ok : .serviceUnavailable)
        }
    }
}
