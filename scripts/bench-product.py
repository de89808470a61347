"""The Python side of scripts/bench-product.sh: a bare aiohttp load replaying captured request
bodies, and the same extraction as Assay's bench codebook with instructor and with langextract,
all against the mock model at a given concurrency. Each mode prints one line:

    requests=N documents=N ok=N seconds=S

Run it with the venv bench-product.sh makes (instructor, langextract, openai, aiohttp from PyPI).
"""
import argparse
import asyncio
import json
import sys
import time


def read_documents(path, limit=None):
    with open(path) as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return docs[:limit] if limit else docs


async def bare(url, bodies_path, concurrency):
    """The ceiling: the captured bodies posted at the concurrency, nothing else."""
    import aiohttp
    with open(bodies_path, "rb") as f:
        bodies = [line.rstrip(b"\n") for line in f if line.strip()]
    queue = iter(bodies)
    ok = 0

    async def worker(session):
        nonlocal ok
        for body in queue:
            async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
                await response.read()
                ok += response.status == 200

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    print(f"requests={len(bodies)} documents={len(bodies)} ok={ok} seconds={seconds:.3f}")


SYSTEM = ("You code news documents for a research dataset. For each variable give the value, the exact "
          "evidence from the text, a short rationale and your confidence (0 to 1).\n"
          "city: The city of the protest.\n"
          "participants: How many people took part.\n"
          "violence: Whether there was violence.")


async def with_instructor(base_url, documents, concurrency):
    """instructor's documented way: a pydantic model as response_model (default mode: tools),
    AsyncOpenAI, and an asyncio semaphore bounding the requests in flight."""
    import instructor
    import openai
    from pydantic import BaseModel, Field

    class Text(BaseModel):
        value: str
        evidence: str
        rationale: str
        confidence: float = Field(ge=0, le=1)

    class Number(BaseModel):
        value: float
        evidence: str
        rationale: str
        confidence: float = Field(ge=0, le=1)

    class Boolean(BaseModel):
        value: bool
        evidence: str
        rationale: str
        confidence: float = Field(ge=0, le=1)

    class Protest(BaseModel):
        city: Text
        participants: Number
        violence: Boolean

    client = instructor.from_openai(openai.AsyncOpenAI(base_url=base_url, api_key="mock", max_retries=3))
    semaphore = asyncio.Semaphore(concurrency)
    results = []

    async def one(doc):
        async with semaphore:
            try:
                answer = await client.chat.completions.create(
                    model="mock", response_model=Protest, temperature=0, max_retries=1,
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": doc["text"]}])
                results.append((doc["id"], answer.model_dump()))
            except Exception as error:  # a failed document counts as not ok
                results.append((doc["id"], None))

    start = time.perf_counter()
    await asyncio.gather(*(one(doc) for doc in documents))
    seconds = time.perf_counter() - start
    ok = sum(1 for _, r in results if r is not None)
    print(f"requests={len(documents)} documents={len(documents)} ok={ok} seconds={seconds:.3f}")


def with_langextract(base_url, documents, concurrency):
    """langextract's documented way: lx.extract over Documents with one few-shot example,
    an OpenAI model (JSON mode), max_workers threads; batch_length spans all documents so the
    thread pool is never drained between batches."""
    import langextract as lx
    example = lx.data.ExampleData(
        text="Protest in Lisbon. About 300 people came. It was peaceful. The march ended at the main square.",
        extractions=[
            lx.data.Extraction(extraction_class="city", extraction_text="Lisbon", attributes={"value": "Lisbon"}),
            lx.data.Extraction(extraction_class="participants", extraction_text="About 300 people came",
                               attributes={"value": "300"}),
            lx.data.Extraction(extraction_class="violence", extraction_text="It was peaceful.",
                               attributes={"value": "false"}),
        ])
    docs = [lx.data.Document(text=d["text"], document_id=d["id"]) for d in documents]
    start = time.perf_counter()
    annotated = list(lx.extract(
        text_or_documents=docs, prompt_description=SYSTEM, examples=[example], model_id="gpt-4o-mini",
        api_key="mock", language_model_params={"base_url": base_url}, max_workers=concurrency,
        batch_length=len(docs), show_progress=False, max_char_buffer=4000))
    seconds = time.perf_counter() - start
    ok = sum(1 for a in annotated if a.extractions and len(a.extractions) == 3)
    print(f"requests={len(documents)} documents={len(documents)} ok={ok} seconds={seconds:.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["bare", "instructor", "langextract"])
    parser.add_argument("--base-url", required=True, help="the mock's /v1 URL")
    parser.add_argument("--documents", help="JSONL documents (id, text)")
    parser.add_argument("--bodies", help="captured request bodies, one per line (bare)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.mode == "bare":
        asyncio.run(bare(args.base_url.rstrip("/") + "/chat/completions", args.bodies, args.concurrency))
    elif args.mode == "instructor":
        asyncio.run(with_instructor(args.base_url, read_documents(args.documents, args.limit), args.concurrency))
    else:
        with_langextract(args.base_url, read_documents(args.documents, args.limit), args.concurrency)


if __name__ == "__main__":
    sys.exit(main())
