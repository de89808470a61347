// The OpenAPI description of the whole API, served at /openapi.json. Kept equal to docs/openapi.json
// (the readable copy) and checked against the router's routes by OpenAPITests.
// Edit docs/openapi.json, then run scripts/sync-openapi.py.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Assay",
    "version": "0.1.0",
    "description": "Assay as a service: projects, documents, codebooks, jobs with live progress, values with evidence, feedback, exports and failure patterns. Every error is an RFC 7807 problem document (application/problem+json); validation errors name the field. Every data route needs a bearer access token or an API key; another user's project, document, job or value answers 404. A request that is not well-formed HTTP/1.1 (a bad request line, an invalid Content-Length, Content-Length with Transfer-Encoding) gets 400, a URL that is too long 414, headers over 80 KB 431, headers that do not arrive within 15 s 408; each is a problem document and the connection is closed."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "security": [
    {
      "bearer": []
    },
    {
      "apiKey": []
    }
  ],
  "paths": {
    "/health/live": {
      "get": {
        "summary": "The process answers",
        "tags": [
          "operations"
        ],
        "responses": {
          "200": {
            "description": "Alive",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/health/ready": {
      "get": {
        "summary": "The store and the model answer",
        "tags": [
          "operations"
        ],
        "responses": {
          "200": {
            "description": "Ready",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          },
          "503": {
            "description": "Not ready",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics: requests, latencies, jobs, documents, tokens, provider errors",
        "tags": [
          "operations"
        ],
        "responses": {
          "200": {
            "description": "Exposition format",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This description",
        "tags": [
          "operations"
        ],
        "responses": {
          "200": {
            "description": "OpenAPI 3.1",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/auth/register": {
      "post": {
        "summary": "Create an account (password hashed with bcrypt); then sign in with /auth/login",
        "tags": [
          "accounts"
        ],
        "responses": {
          "202": {
            "description": "Registered (or already registered): sign in next",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Registration"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Credentials"
              }
            }
          }
        },
        "security": [],
        "description": "Answers 202 with the same body whether or not the email already had an account, so the answer does not tell which emails are registered; a taken email keeps its password. Counted against the client address's sign-in attempts."
      }
    },
    "/auth/login": {
      "post": {
        "summary": "Sign in: a 15-minute access token and a 7-day refresh token",
        "tags": [
          "accounts"
        ],
        "responses": {
          "200": {
            "description": "Signed in",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Credentials"
              }
            }
          }
        },
        "security": [],
        "description": "A wrong password and an unknown email get the same 401 after the same work. After 10 wrong passwords for one email within 15 minutes, or 30 attempts from one client address within a minute, the answer is 429 with Retry-After."
      }
    },
    "/auth/refresh": {
      "post": {
        "summary": "Exchange a refresh token for a new pair (the old one stops working)",
        "tags": [
          "accounts"
        ],
        "responses": {
          "200": {
            "description": "New tokens",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "refresh_token": {
                    "type": "string"
                  }
                },
                "required": [
                  "refresh_token"
                ]
              }
            }
          }
        },
        "security": []
      }
    },
    "/auth/logout": {
      "post": {
        "summary": "Sign out: with a refresh token, that session; without, every session of the user",
        "tags": [
          "accounts"
        ],
        "responses": {
          "204": {
            "description": "Signed out"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "refresh_token": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "description": "The access token used for the call stops working at once (its id is revoked until it would have expired; without a refresh token every access token of the user is)."
      }
    },
    "/auth/me": {
      "get": {
        "summary": "The signed-in account",
        "tags": [
          "accounts"
        ],
        "responses": {
          "200": {
            "description": "The account",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/auth/api-keys": {
      "get": {
        "summary": "The user's API keys (without secrets)",
        "tags": [
          "accounts"
        ],
        "responses": {
          "200": {
            "description": "Keys",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/APIKey"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "summary": "Create an API key for a service; the secret is shown once",
        "tags": [
          "accounts"
        ],
        "responses": {
          "201": {
            "description": "The key and its secret",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NewAPIKey"
                }
              }
            }
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "name": {
                    "type": "string"
                  }
                },
                "required": [
                  "name"
                ]
              }
            }
          }
        }
      }
    },
    "/auth/api-keys/{id}": {
      "delete": {
        "summary": "Delete an API key",
        "tags": [
          "accounts"
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "API key id"
          }
        ]
      }
    },
    "/projects": {
      "get": {
        "summary": "The user's projects",
        "tags": [
          "projects"
        ],
        "responses": {
          "200": {
            "description": "Projects",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Project"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "summary": "Create a project",
        "tags": [
          "projects"
        ],
        "responses": {
          "201": {
            "description": "Created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Project"
                }
              }
            }
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ProjectInput"
              }
            }
          }
        }
      }
    },
    "/projects/{id}": {
      "get": {
        "summary": "One project",
        "tags": [
          "projects"
        ],
        "responses": {
          "200": {
            "description": "The project",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Project"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      },
      "patch": {
        "summary": "Rename or describe a project",
        "tags": [
          "projects"
        ],
        "responses": {
          "200": {
            "description": "Updated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Project"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ProjectPatch"
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Delete a project with everything in it",
        "tags": [
          "projects"
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      }
    },
    "/projects/{id}/documents": {
      "get": {
        "summary": "The project's documents with their status",
        "tags": [
          "documents"
        ],
        "responses": {
          "200": {
            "description": "Documents",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Document"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "uploaded",
                "parsed",
                "ready",
                "failed"
              ]
            },
            "description": ""
          }
        ]
      },
      "post": {
        "summary": "Upload one or more files (multipart/form-data, field 'files'); size-limited",
        "tags": [
          "documents"
        ],
        "responses": {
          "201": {
            "description": "What happened to each",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Upload"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {
                "type": "object",
                "properties": {
                  "files": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "format": "binary"
                    }
                  }
                }
              }
            }
          }
        },
        "description": "Parsed as it streams in: an upload over the total limit (--max-upload-mb) or a file over the per-file limit (--max-file-mb) is answered 413 as soon as the limit is passed, nothing of the upload is stored, and the connection is closed."
      }
    },
    "/documents/{id}": {
      "get": {
        "summary": "One document with its text and metadata",
        "tags": [
          "documents"
        ],
        "responses": {
          "200": {
            "description": "The document",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Document"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Document id"
          }
        ]
      },
      "delete": {
        "summary": "Delete a document and its values",
        "tags": [
          "documents"
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Document id"
          }
        ]
      }
    },
    "/projects/{id}/codebook": {
      "get": {
        "summary": "The codebook in force",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "The current version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookVersion"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      },
      "put": {
        "summary": "Import a codebook (YAML or JSON); a change makes a new version",
        "tags": [
          "codebook"
        ],
        "responses": {
          "201": {
            "description": "New version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookVersion"
                }
              }
            }
          },
          "200": {
            "description": "Unchanged",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookVersion"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/yaml": {
              "schema": {
                "type": "string"
              }
            },
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Codebook"
              }
            }
          }
        }
      }
    },
    "/projects/{id}/codebook/export": {
      "get": {
        "summary": "The codebook as YAML",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "YAML",
            "content": {
              "application/yaml": {
                "schema": {
                  "type": "object",
                  "description": "The codebook, as YAML (the same fields as the Codebook schema)"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      }
    },
    "/projects/{id}/codebook/versions": {
      "get": {
        "summary": "Every codebook version",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "Versions",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/CodebookVersion"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      }
    },
    "/projects/{id}/codebook/prompt": {
      "get": {
        "summary": "The prompt and response schema the codebook generates",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "Prompt",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Prompt"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      }
    },
    "/projects/{id}/codebook/variables": {
      "get": {
        "summary": "The variables in force",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "Variables",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Variable"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      },
      "post": {
        "summary": "Add a variable (a new codebook version)",
        "tags": [
          "codebook"
        ],
        "responses": {
          "201": {
            "description": "New version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookChange"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Variable"
              }
            }
          }
        }
      }
    },
    "/projects/{id}/codebook/variables/{name}": {
      "get": {
        "summary": "One variable",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "The variable",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Variable"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      },
      "put": {
        "summary": "Replace (or rename) a variable (a new version)",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "New version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookChange"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Variable"
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Remove a variable (a new version); the last one cannot go",
        "tags": [
          "codebook"
        ],
        "responses": {
          "200": {
            "description": "New version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodebookChange"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/projects/{id}/jobs": {
      "get": {
        "summary": "The project's jobs, newest first",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "Jobs",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Job"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ]
      },
      "post": {
        "summary": "Start a sample (sample_size or document_ids) or a full run",
        "tags": [
          "jobs"
        ],
        "responses": {
          "202": {
            "description": "Started",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/JobStart"
              }
            }
          }
        }
      }
    },
    "/jobs/{id}": {
      "get": {
        "summary": "A job with its progress, processed, failed and flagged counts",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "The job",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          }
        ]
      }
    },
    "/jobs/{id}/events": {
      "get": {
        "summary": "The job's stored events",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "Events",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/JobEvent"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          }
        ]
      }
    },
    "/jobs/{id}/pause": {
      "post": {
        "summary": "Pause: documents in flight finish, no new one starts",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "Paused",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          }
        ]
      }
    },
    "/jobs/{id}/resume": {
      "post": {
        "summary": "Resume; a job paused by a stopped service continues as a new job (202)",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "Running again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "202": {
            "description": "Continued as a new job",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          }
        ]
      }
    },
    "/jobs/{id}/cancel": {
      "post": {
        "summary": "Cancel: documents in flight are dropped whole",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "Cancelled",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          }
        ]
      }
    },
    "/jobs/{id}/stream": {
      "get": {
        "summary": "Live progress as Server-Sent Events (token in the Authorization header or ?token=)",
        "tags": [
          "jobs"
        ],
        "responses": {
          "200": {
            "description": "event: TYPE / data: JobUpdate, until the job ends",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "object",
                  "description": "One Server-Sent Event: its name is the update's type, its data a JobUpdate as JSON",
                  "properties": {
                    "event": {
                      "type": "string"
                    },
                    "data": {
                      "type": "string",
                      "description": "A JobUpdate, JSON-encoded"
                    }
                  },
                  "required": [
                    "event",
                    "data"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          },
          {
            "name": "token",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Access token, for EventSource"
          }
        ]
      }
    },
    "/ws/jobs/{id}": {
      "get": {
        "summary": "Live progress over a WebSocket: one JobUpdate (JSON text) per message until the job ends",
        "tags": [
          "jobs"
        ],
        "responses": {
          "101": {
            "description": "Switching protocols"
          },
          "404": {
            "description": "Not a WebSocket upgrade request: there is no such HTTP route (a problem document)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "400": {
            "description": "The upgrade was refused: no or invalid token, or not the user's job (a problem document)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Job id"
          },
          {
            "name": "token",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Access token or API key"
          }
        ],
        "security": []
      }
    },
    "/projects/{id}/extractions": {
      "get": {
        "summary": "The project's values, paged and filtered",
        "tags": [
          "extractions"
        ],
        "responses": {
          "200": {
            "description": "A page",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExtractionPage"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "variable",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": ""
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "extracted",
                "validated",
                "flagged",
                "failed"
              ]
            },
            "description": ""
          },
          {
            "name": "document",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": "Document id"
          },
          {
            "name": "job",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": "Job id"
          },
          {
            "name": "confidence_below",
            "in": "query",
            "required": false,
            "schema": {
              "type": "number"
            },
            "description": "Only values with a confidence below this"
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": "1 to 500, default 50"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": "Default 0"
          }
        ]
      }
    },
    "/extractions/{id}": {
      "get": {
        "summary": "One value with its evidence offsets (Unicode scalars into the document text)",
        "tags": [
          "extractions"
        ],
        "responses": {
          "200": {
            "description": "The value",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Extraction"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Extraction id"
          }
        ]
      }
    },
    "/extractions/{id}/feedback": {
      "post": {
        "summary": "A reviewer's verdict on a value",
        "tags": [
          "feedback"
        ],
        "responses": {
          "201": {
            "description": "Stored",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Feedback"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Extraction id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FeedbackInput"
              }
            }
          }
        }
      }
    },
    "/projects/{id}/feedback": {
      "get": {
        "summary": "Feedback on the project's values, for one variable or all",
        "tags": [
          "feedback"
        ],
        "responses": {
          "200": {
            "description": "Feedback",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Feedback"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "variable",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": ""
          }
        ]
      }
    },
    "/projects/{id}/export": {
      "get": {
        "summary": "Download the dataset: CSV wide or long, or JSONL",
        "tags": [
          "export"
        ],
        "responses": {
          "200": {
            "description": "The file (Content-Disposition: attachment)",
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              },
              "application/x-ndjson": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64"
            },
            "description": "Project id"
          },
          {
            "name": "format",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "csv",
                "jsonl"
              ]
            },
            "description": ""
          },
          {
            "name": "layout",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "wide",
                "long"
              ]
            },
            "description": ""
          }
        ]
      }
    },
    "/extraction/run-once": {
      "post": {
        "summary": "Start failure-pattern extraction over unprocessed traces as a background job (pattern role only)",
        "tags": [
          "failure-patterns"
        ],
        "responses": {
          "202": {
            "description": "The trace run's job, stored and running in the background: follow it with GET /jobs/{id} (or its stream); its summary is stored under /failure-patterns/runs when it ends",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RunOnce"
                }
              }
            }
          },
          "200": {
            "description": "Nothing to do",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RunOnce"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/failure-patterns/runs": {
      "get": {
        "summary": "Trace runs with their summaries (pattern role only)",
        "tags": [
          "failure-patterns"
        ],
        "responses": {
          "200": {
            "description": "Summaries",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/failure-patterns": {
      "get": {
        "summary": "Stored failure patterns (pattern role only)",
        "tags": [
          "failure-patterns"
        ],
        "responses": {
          "200": {
            "description": "Patterns (schemas/failure-pattern.schema.json)",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "parameters": [
          {
            "name": "failure_type",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": ""
          },
          {
            "name": "trigger_condition",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": ""
          },
          {
            "name": "min_confidence",
            "in": "query",
            "required": false,
            "schema": {
              "type": "number"
            },
            "description": ""
          },
          {
            "name": "job",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": ""
          }
        ]
      }
    },
    "/auth/password": {
      "post": {
        "summary": "Change the password; every session ends and a new token pair is returned",
        "tags": [
          "accounts"
        ],
        "description": "Access and refresh tokens issued before stop working. A wrong current password counts like a wrong login (429 past the limit).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PasswordChange"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Changed; signed in again",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT or API key"
      },
      "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key"
      }
    },
    "responses": {
      "Problem": {
        "description": "An RFC 7807 problem document",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooManyRequests": {
        "description": "Too many attempts (per account or per client address); a problem document. Retry-After says when to try again.",
        "headers": {
          "Retry-After": {
            "description": "Seconds to wait",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Busy": {
        "description": "Too many passwords being checked at once; a problem document. Retry-After says when to try again.",
        "headers": {
          "Retry-After": {
            "description": "Seconds to wait",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "description": "RFC 7807",
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "field": {
            "type": "string",
            "description": "The request field a validation error is about"
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "field": {
                  "type": "string"
                },
                "detail": {
                  "type": "string"
                }
              }
            }
          }
        },
        "required": [
          "type",
          "title",
          "status",
          "detail"
        ]
      },
      "Readiness": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string"
          },
          "store": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          }
        }
      },
      "Credentials": {
        "type": "object",
        "properties": {
          "email": {
            "type": "string",
            "format": "email"
          },
          "password": {
            "type": "string",
            "minLength": 8,
            "maxLength": 256,
            "description": "At least 8 characters (Unicode code points), at most 256; not one of the most common passwords, not one character repeated or a run such as 12345678, not the email or its name part. No rules about digits, capitals or symbols (NIST SP 800-63B)."
          }
        },
        "required": [
          "email",
          "password"
        ]
      },
      "User": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "email": {
            "type": "string"
          },
          "role": {
            "type": "string"
          },
          "can_see_patterns": {
            "type": "boolean"
          }
        }
      },
      "Tokens": {
        "type": "object",
        "properties": {
          "access_token": {
            "type": "string"
          },
          "refresh_token": {
            "type": "string"
          },
          "expires_in": {
            "type": "integer"
          },
          "token_type": {
            "type": "string"
          },
          "user": {
            "$ref": "#/components/schemas/User"
          }
        }
      },
      "APIKey": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "name": {
            "type": "string"
          },
          "prefix": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "NewAPIKey": {
        "type": "object",
        "properties": {
          "key": {
            "$ref": "#/components/schemas/APIKey"
          },
          "secret": {
            "type": "string",
            "description": "Send as Authorization: Bearer SECRET or X-API-Key: SECRET"
          }
        }
      },
      "ProjectInput": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          }
        },
        "required": [
          "name"
        ]
      },
      "ProjectPatch": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          }
        }
      },
      "Project": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "created",
              "schema_defined",
              "sample_complete",
              "processing",
              "complete"
            ]
          },
          "unit": {
            "type": "string",
            "enum": [
              "document",
              "entity"
            ]
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Document": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "project_id": {
            "type": "integer",
            "format": "int64"
          },
          "external_id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "media_type": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "uploaded",
              "parsed",
              "ready",
              "failed"
            ]
          },
          "error": {
            "type": "string"
          },
          "word_count": {
            "type": "integer"
          },
          "token_count": {
            "type": "integer"
          },
          "content_hash": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "outcome": {
            "type": "string",
            "enum": [
              "succeeded",
              "flagged",
              "failed"
            ]
          },
          "text": {
            "type": "string",
            "description": "GET /documents/{id} only"
          },
          "metadata": {
            "description": "GET /documents/{id} only"
          }
        }
      },
      "Upload": {
        "type": "object",
        "properties": {
          "document": {
            "$ref": "#/components/schemas/Document"
          },
          "outcome": {
            "type": "string",
            "enum": [
              "inserted",
              "unchanged",
              "updated"
            ]
          }
        }
      },
      "Codebook": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "instructions": {
            "type": "string"
          },
          "variables": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Variable"
            }
          }
        },
        "required": [
          "variables"
        ]
      },
      "Variable": {
        "type": "object",
        "description": "Every field of the codebook format",
        "properties": {
          "name": {
            "type": "string"
          },
          "display_name": {
            "type": "string"
          },
          "type": {
            "type": "string",
            "enum": [
              "boolean",
              "category",
              "date",
              "number",
              "text"
            ]
          },
          "instructions": {
            "type": "string"
          },
          "categories": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "code": {
                  "type": "string"
                },
                "label": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                }
              },
              "required": [
                "code"
              ]
            }
          },
          "required": {
            "type": "boolean"
          },
          "confidence_threshold": {
            "type": "number",
            "default": 0.7
          },
          "if_uncertain": {
            "type": "string",
            "enum": [
              "null",
              "skip",
              "flag"
            ]
          },
          "if_multiple_values": {
            "type": "string",
            "enum": [
              "first",
              "last",
              "all",
              "summarize"
            ]
          },
          "max_values": {
            "type": "integer"
          },
          "default": {},
          "validation": {
            "type": "object",
            "properties": {
              "min": {
                "type": "number"
              },
              "max": {
                "type": "number"
              },
              "pattern": {
                "type": "string"
              },
              "min_length": {
                "type": "integer"
              },
              "max_length": {
                "type": "integer"
              },
              "min_date": {
                "type": "string"
              },
              "max_date": {
                "type": "string"
              }
            }
          },
          "depends_on": {
            "type": "object"
          },
          "examples": {
            "type": "array",
            "items": {
              "type": "object"
            }
          }
        },
        "required": [
          "name",
          "type"
        ]
      },
      "CodebookVersion": {
        "type": "object",
        "properties": {
          "version": {
            "type": "integer"
          },
          "prompt_hash": {
            "type": "string"
          },
          "codebook_hash": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "variables": {
            "type": "integer"
          },
          "codebook": {
            "$ref": "#/components/schemas/Codebook"
          }
        }
      },
      "CodebookChange": {
        "type": "object",
        "properties": {
          "version": {
            "$ref": "#/components/schemas/CodebookVersion"
          },
          "variable": {
            "$ref": "#/components/schemas/Variable"
          }
        }
      },
      "Prompt": {
        "type": "object",
        "properties": {
          "version": {
            "type": "integer"
          },
          "prompt_hash": {
            "type": "string"
          },
          "messages": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "role": {
                  "type": "string"
                },
                "content": {
                  "type": "string"
                }
              }
            }
          },
          "schema": {
            "type": "object"
          }
        }
      },
      "JobStart": {
        "type": "object",
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "sample",
              "full"
            ]
          },
          "sample_size": {
            "type": "integer",
            "minimum": 1
          },
          "document_ids": {
            "type": "array",
            "items": {
              "type": "integer",
              "format": "int64"
            }
          },
          "seed": {
            "type": "integer"
          }
        },
        "required": [
          "kind"
        ]
      },
      "Job": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "project_id": {
            "type": "integer",
            "format": "int64"
          },
          "kind": {
            "type": "string",
            "enum": [
              "sample",
              "full"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "running",
              "paused",
              "completed",
              "failed",
              "cancelled"
            ]
          },
          "codebook_version": {
            "type": "integer"
          },
          "model": {
            "type": "string"
          },
          "total": {
            "type": "integer"
          },
          "processed": {
            "type": "integer"
          },
          "succeeded": {
            "type": "integer"
          },
          "flagged": {
            "type": "integer"
          },
          "failed": {
            "type": "integer"
          },
          "progress": {
            "type": "number"
          },
          "tokens_in": {
            "type": "integer"
          },
          "tokens_out": {
            "type": "integer"
          },
          "error": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "started_at": {
            "type": "string",
            "format": "date-time"
          },
          "finished_at": {
            "type": "string",
            "format": "date-time"
          },
          "selection": {
            "type": "object",
            "properties": {
              "sample_size": {
                "type": "integer"
              },
              "document_ids": {
                "type": "array",
                "items": {
                  "type": "integer",
                  "format": "int64"
                }
              },
              "seed": {
                "type": "integer"
              }
            }
          }
        }
      },
      "JobEvent": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "kind": {
            "type": "string"
          },
          "document_id": {
            "type": "integer",
            "format": "int64"
          },
          "message": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "JobUpdate": {
        "type": "object",
        "description": "A live progress message (SSE data, WebSocket text)",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "job_started",
              "progress",
              "document_completed",
              "document_failed",
              "job_paused",
              "job_resumed",
              "job_completed",
              "job_failed",
              "job_cancelled"
            ]
          },
          "job_id": {
            "type": "integer",
            "format": "int64"
          },
          "status": {
            "type": "string"
          },
          "total": {
            "type": "integer"
          },
          "processed": {
            "type": "integer"
          },
          "succeeded": {
            "type": "integer"
          },
          "flagged": {
            "type": "integer"
          },
          "failed": {
            "type": "integer"
          },
          "tokens_in": {
            "type": "integer"
          },
          "tokens_out": {
            "type": "integer"
          },
          "document_id": {
            "type": "integer",
            "format": "int64"
          },
          "external_id": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          }
        }
      },
      "Extraction": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "document_id": {
            "type": "integer",
            "format": "int64"
          },
          "variable": {
            "type": "string"
          },
          "entity_index": {
            "type": "integer"
          },
          "entity_text": {
            "type": "string"
          },
          "value": {},
          "confidence": {
            "type": "number"
          },
          "evidence": {
            "type": "object",
            "properties": {
              "quote": {
                "type": "string"
              },
              "start": {
                "type": "integer"
              },
              "end": {
                "type": "integer"
              },
              "match": {
                "type": "string",
                "enum": [
                  "exact",
                  "normalized",
                  "fuzzy",
                  "not_found"
                ]
              }
            }
          },
          "rationale": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "extracted",
              "validated",
              "flagged",
              "failed"
            ]
          },
          "error": {
            "type": "string"
          },
          "codebook_version": {
            "type": "integer"
          },
          "model": {
            "type": "string"
          },
          "job_id": {
            "type": "integer",
            "format": "int64"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "ExtractionPage": {
        "type": "object",
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Extraction"
            }
          },
          "total": {
            "type": "integer"
          },
          "limit": {
            "type": "integer"
          },
          "offset": {
            "type": "integer"
          },
          "next_offset": {
            "type": "integer"
          }
        }
      },
      "FeedbackInput": {
        "type": "object",
        "properties": {
          "verdict": {
            "type": "string",
            "enum": [
              "correct",
              "incorrect",
              "partially_correct"
            ]
          },
          "corrected_value": {},
          "note": {
            "type": "string"
          }
        },
        "required": [
          "verdict"
        ]
      },
      "Feedback": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "extraction_id": {
            "type": "integer",
            "format": "int64"
          },
          "variable": {
            "type": "string"
          },
          "verdict": {
            "type": "string"
          },
          "corrected_value": {},
          "note": {
            "type": "string"
          },
          "author": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "RunOnce": {
        "type": "object",
        "properties": {
          "job": {
            "$ref": "#/components/schemas/Job"
          },
          "detail": {
            "type": "string"
          }
        },
        "required": [
          "detail"
        ]
      },
      "Registration": {
        "type": "object",
        "description": "The same answer whether or not the email already had an account (no probing for accounts); sign in next.",
        "properties": {
          "email": {
            "type": "string"
          },
          "detail": {
            "type": "string"
          }
        },
        "required": [
          "email",
          "detail"
        ]
      },
      "PasswordChange": {
        "type": "object",
        "properties": {
          "current_password": {
            "type": "string"
          },
          "new_password": {
            "type": "string",
            "minLength": 8,
            "maxLength": 256,
            "description": "The same rules as a new account's password"
          }
        },
        "required": [
          "current_password",
          "new_password"
        ]
      }
    }
  }
}
"""#
}
