import AssayCore
import Foundation
import Testing

@Suite struct CredentialRedactionTests {
    @Test(arguments: [
        Planted.openAIKey, Planted.anthropicKey, Planted.awsKeyID, Planted.githubToken, Planted.githubPAT,
        Planted.slackToken, Planted.googleKey, Planted.gitlabToken, Planted.huggingFaceToken,
    ])
    func keysByPrefix(_ key: String) {
        expectRedacted("using \(key) for the call", secret: key, as: .apiKey)
        expectRedacted("\"key\":\"\(key)\"", secret: key, as: .apiKey)
    }

    @Test(arguments: [
        "sk-learn-compatible-estimators-are-great", "task-sk-1234567890abcdefghijk", "AKIA1234567890ABCDE",
        "ghp_short123", "the AIza prefix", "xoxb-", "risk-assessment-2024-quarterly-report",
    ])
    func notKeys(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func jwtAnywhere() {
        expectRedacted("id_token=\(Planted.jwt)&state=1", secret: Planted.jwt, as: .jwt)
        expectRedacted("token \(Planted.jwt)", secret: Planted.jwt, as: .jwt)
        let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        expectRedacted("got \(unsigned) back", secret: unsigned, as: .jwt)
    }

    @Test func notJWTs() {
        for text in ["eyJ alone", "eyJhbGciOiJIUzI1NiJ9 without parts", "eyJhbGc.eyJzdWI.x"] {
            #expect(redactor.redact(text) == text, "\(text)")
        }
    }

    @Test(arguments: [
        ("Authorization: Bearer abc123DEF456ghi789", "abc123DEF456ghi789"),
        ("curl -H 'authorization: bearer Zm9vYmFyYmF6cXV4' https://x", "Zm9vYmFyYmF6cXV4"),
        ("Bearer\tmF_9.B5f-4.1JqM", "mF_9.B5f-4.1JqM"),
    ])
    func bearerTokens(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .bearerToken)
    }

    @Test func bearerJWTIsNamedAsJWT() {
        #expect(redactor.redact("Authorization: Bearer \(Planted.jwt)") == "Authorization: Bearer [REDACTED:jwt]")
    }

    @Test(arguments: ["Bearer authentication is required", "token_type: Bearer", "Bearer <token>", "Bearer Token"])
    func notBearerTokens(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test(arguments: [
        ("postgres://app:s3cr3t@db.internal:5432/app", "s3cr3t"),
        ("redis://:hunter2@cache:6379", "hunter2"),
        ("https://ana:p@ss:w0rd@example.com/path", "p@ss:w0rd"),
    ])
    func urlPasswordsKeepUserAndHost(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .password)
    }

    @Test(arguments: ["https://ana@example.com/path", "https://example.com/a:b@c", "mailto:ana@example.com"])
    func urlsWithoutPasswords(_ text: String) {
        #expect(!redactor.redact(text).contains("password"))
    }

    @Test(arguments: [
        ("password=hunter2", "hunter2"),
        ("login with password: hunter2 then", "hunter2"),
        (#"{"password": "correct horse battery staple"}"#, "correct horse battery staple"),
        (#"{"client_secret":"abc"}"#, "abc"),
        ("export DB_PASSWORD='p@ss w0rd'", "p@ss w0rd"),
        ("X-Api-Key: 0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"),
        ("?access_token=a1b2c3d4e5f6&x=1", "a1b2c3d4e5f6"),
        (#"{\"api_key\": \"k-1234567890\"}"#, "k-1234567890"),
        ("mysql --password hunter2 -u root", "hunter2"),
        ("mysql --password=hunter2", "hunter2"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        (#""Authorization": "token 9fceb02d0ae598e95dc970b7""#, "9fceb02d0ae598e95dc970b7"),
        ("aws_secret_access_key = \(Planted.awsSecret)", Planted.awsSecret),
        (#"pin_password: 1234"#, "1234"),
        (#"{"secret": "4bf92f3577b34da6a3ce929d0e0e4736"}"#, "4bf92f3577b34da6a3ce929d0e0e4736"),
        ("s3/f?X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015&X-Amz-Date=1", "9f86d081884c7d659a2feaa0c55ad015"),
        ("blob?sv=2022&sig=AbCdEf1234567890%2B%3D&se=1", "AbCdEf1234567890%2B%3D"),
    ])
    func valuesUnderSecretKeys(_ text: String, _ secret: String) {
        expectRedacted(text, secret: secret, as: .password)
    }

    @Test(arguments: [
        "Enter your password to continue", "password:", "password: \nnext line", #"{"password": null}"#,
        #"{"has_password": true}"#, #"{"max_tokens": 1024, "prompt_tokens": 12}"#, #"{"token": "Hello"}"#,
        "PWD=/home/ana/project", #"{"token_type": "Bearer"}"#, "password_policy: strict", #"{"secret_name": "prod-db"}"#,
        #"{"password": ""}"#, "--password --verbose", #""session.id": "a3f1c9d2-7b4e-4f0a-9c1d-2e3f4a5b6c7d""#,
    ])
    func notSecretValues(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func privateKeyBlocks() {
        let block = """
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF
            -----END RSA PRIVATE KEY-----
            """
        #expect(redactor.redact("key:\n\(block)\ndone") == "key:\n[REDACTED:private_key]\ndone")
        // Cut off mid-block (an excerpt): everything from BEGIN on goes.
        #expect(
            redactor.redact("k=-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC")
                == "k=[REDACTED:private_key]")
        #expect(redactor.redact("-----BEGIN PUBLIC KEY-----") == "-----BEGIN PUBLIC KEY-----")
    }
}

@Suite struct EntropyRedactionTests {
    @Test(arguments: [Planted.genericSecret, Planted.awsSecret, "Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2Rl=="])
    func generatedStrings(_ secret: String) {
        expectRedacted("value \(secret) end", secret: secret, as: .secret)
        expectRedacted("\"\(secret)\"", secret: secret, as: .secret)
    }

    @Test(arguments: [
        "internationalization", "Pneumonoultramicroscopicsilicovolcanoconiosis",
        "AntidisestablishmentarianismIsALongWord2", "getUserProfileSettingsV2Handler", "OpenAICompatibleProvider2Tests",
        "Meta-Llama-3-70B-Instruct-GGUF2", "Qwen2.5-Coder-32B-Instruct-AWQ", "claude-3-5-sonnet-20241022",
        "/Users/Alice/Projects/Assay2/Sources/AssayCore", "TF_CPP_MIN_LOG_LEVEL2_Setting", "x86_64-unknown-linux-gnu2Target",
        // ids stay readable: git SHA, trace id, span id, UUID, SHA-256
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "trace 4bf92f3577b34da6a3ce929d0e0e4736", "span 00f067aa0ba902b7",
        "550e8400-e29b-41d4-a716-446655440000",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "chatcmpl-9pXq2kLmN3oPqRsTuVwXyZ012345", "msg_01XFDUDYJgAACzvnptvVoYEL9a", "call_Xa1b2C3d4E5f6G7h8I9j0K1l",
        #""request_id": "Xa1b2C3d4E5f6G7h8I9j0K1l""#, "spanId=Xa1b2C3d4E5f6G7h8I9j0K1l",
    ])
    func ordinaryTokensAndIDs(_ text: String) {
        #expect(redactor.redact(text) == text)
    }

    @Test func hexIDNextToSecretKeyIsRedacted() {
        #expect(redactor.redact("token: 4bf92f3577b34da6a3ce929d0e0e4736") == "token: [REDACTED:password]")
        #expect(redactor.redact("trace_id: 4bf92f3577b34da6a3ce929d0e0e4736") == "trace_id: 4bf92f3577b34da6a3ce929d0e0e4736")
    }
}
