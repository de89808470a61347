import AssayCore

/// The failure-pattern JSON Schema, embedded because AssayCore does no I/O. A unit test keeps it
/// equal to schemas/failure-pattern.schema.json, the copy users and other tools read.
public enum FailurePatternSchema {
    /// The schema as parsed JSON.
    public static let schema: JSONValue = {
        do {
            return try JSONValue.parse(text)
        } catch {
            preconditionFailure("the embedded failure-pattern schema is not JSON: \(error)")
        }
    }()

    /// Every way `value` breaks the schema, with JSON paths (`$.evidence.signals[0].kind`).
    public static func violations(of value: JSONValue) -> [SchemaViolation] {
        SchemaValidator.violations(of: value, against: schema)
    }

    /// The text of schemas/failure-pattern.schema.json.
    public static let text = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "urn:assay:schema:failure-pattern:1",
          "title": "FailurePattern",
          "description": "One structured failure pattern extracted from one failure trace of an LLM application or agent. Vocabulary and definitions: docs/FAILURE_TAXONOMY.md. Assay fills pattern_id, source_trace_id, extracted_at and notes itself; the model supplies the other fields. Every free-text field and every evidence value is stored redacted (no emails, phone numbers, card numbers, IBANs, national ids, IP addresses, keys, tokens or passwords).",
          "type": "object",
          "additionalProperties": false,
          "required": [
            "pattern_id",
            "source_trace_id",
            "title",
            "failure_type",
            "trigger_condition",
            "summary",
            "root_cause_hypothesis",
            "evidence",
            "recommended_actions",
            "reproduction_context",
            "severity",
            "confidence",
            "confidence_rationale",
            "extracted_at",
            "notes"
          ],
          "properties": {
            "pattern_id": {
              "description": "Stable id derived from the source trace id, so re-running over the same trace replaces the pattern instead of adding one: \"fp_\" followed by the first 16 lowercase hex characters of the SHA-256 of the UTF-8 bytes of source_trace_id, trimmed of surrounding whitespace and lowercased. Example: trace id d7616f5e943174e691805a06e027e504 gives fp_6fbd107c1ea5d75e.",
              "type": "string",
              "pattern": "^fp_[0-9a-f]{16}$"
            },
            "source_trace_id": {
              "description": "The trace id exactly as the source gave it (an OpenTelemetry trace id is 32 lowercase hex characters; other tracers use UUIDs or their own ids, so any non-empty id is accepted).",
              "type": "string",
              "minLength": 1,
              "maxLength": 256
            },
            "title": {
              "description": "One line naming the failure, e.g. \"Support bot invents a 60-day refund window for opened items\".",
              "type": "string",
              "minLength": 1,
              "maxLength": 120
            },
            "failure_type": {
              "description": "The primary failure, from the controlled vocabulary in docs/FAILURE_TAXONOMY.md (one value per pattern; when several apply, the cause wins over its effects, see the tie-breaking rules there).",
              "type": "string",
              "enum": [
                "hallucination",
                "tool_error",
                "retrieval_miss",
                "prompt_injection",
                "refusal",
                "format_violation",
                "context_overflow",
                "timeout",
                "loop_or_step_limit",
                "planning_error",
                "instruction_violation",
                "unsafe_output",
                "rate_limited",
                "provider_error",
                "other"
              ]
            },
            "trigger_condition": {
              "description": "What in the input or environment set the failure off, as a short snake_case label. docs/FAILURE_TAXONOMY.md lists the built-in labels (long_context, ambiguous_user_query, tool_schema_mismatch, empty_retrieval, adversarial_input, ...). The list is deliberately extensible, so this is a pattern, not an enum: a project may add its own labels (e.g. unsupported_locale). Use \"unknown\" when the trace does not show a trigger.",
              "type": "string",
              "minLength": 2,
              "maxLength": 64,
              "pattern": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
            },
            "summary": {
              "description": "What happened, in two to five sentences a reader can follow without opening the trace.",
              "type": "string",
              "minLength": 1,
              "maxLength": 1200
            },
            "root_cause_hypothesis": {
              "description": "The most likely cause, stated as a hypothesis that the evidence supports (not a restatement of the symptom).",
              "type": "string",
              "minLength": 1,
              "maxLength": 1000
            },
            "evidence": {
              "description": "What in the trace supports the classification: at least one structured signal, and optional short redacted excerpts.",
              "type": "object",
              "additionalProperties": false,
              "required": ["signals", "excerpts"],
              "properties": {
                "signals": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 20,
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["kind", "name", "value"],
                    "properties": {
                      "kind": {
                        "description": "Where the signal was read: a span's name (its presence, absence or repetition), a span's status, a span attribute, a span event, or a log record.",
                        "type": "string",
                        "enum": ["span_name", "status", "attribute", "event", "log"]
                      },
                      "name": {
                        "description": "The span name, attribute key, event name or log source the signal refers to, e.g. \"run_sql\", \"http.response.status_code\", \"exception\".",
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 200
                      },
                      "value": {
                        "description": "What was observed there, redacted: an attribute value, a status code and message, an event's key field, or a count (\"15 calls\").",
                        "type": ["string", "number", "boolean"],
                        "maxLength": 200
                      },
                      "span_id": {
                        "description": "Optional: the span the signal was read from (16 lowercase hex characters), so a reviewer can jump to it.",
                        "type": "string",
                        "pattern": "^[0-9a-f]{16}$"
                      }
                    }
                  }
                },
                "excerpts": {
                  "description": "Short redacted quotes from the trace (prompts, outputs, error messages); may be empty.",
                  "type": "array",
                  "maxItems": 10,
                  "items": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200
                  }
                }
              }
            },
            "recommended_actions": {
              "description": "Concrete next steps for the team that owns the application, most useful first.",
              "type": "array",
              "minItems": 1,
              "maxItems": 10,
              "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": 300
              }
            },
            "reproduction_context": {
              "description": "What someone needs to reproduce the failure: service, model and parameters, the kind of input, tool or index state. Redacted; may be empty when the trace does not say.",
              "type": "string",
              "maxLength": 1000
            },
            "severity": {
              "description": "Impact of this failure; levels are defined in docs/FAILURE_TAXONOMY.md.",
              "type": "string",
              "enum": ["low", "medium", "high", "critical"]
            },
            "confidence": {
              "description": "How sure the extraction is of failure_type and root cause, from 0 (guess) to 1 (certain).",
              "type": "number",
              "minimum": 0,
              "maximum": 1
            },
            "confidence_rationale": {
              "description": "Why the confidence is what it is, e.g. an explicit error status versus an inference from output text alone.",
              "type": "string",
              "minLength": 1,
              "maxLength": 500
            },
            "extracted_at": {
              "description": "When Assay extracted the pattern (RFC 3339, UTC).",
              "type": "string",
              "format": "date-time"
            },
            "notes": {
              "description": "Processing notes from Assay, e.g. \"payload truncated to last 100 KB\", \"3 values redacted\"; empty when there is nothing to say.",
              "type": "array",
              "maxItems": 20,
              "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": 300
              }
            }
          }
        }
        """#
}
