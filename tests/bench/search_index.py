"""Benchmark: build the search index from 100,000 generated comments, then query latency percentiles.

Run with `make bench BENCH=search_index` (or `.venv/bin/python -m tests.bench.search_index [--comments N]`).

The comments are seeded (`--seed`) and meant to read, statistically, like a consultation's discussion:
- length: a log-normal number of words (median ~45, mean ~60, a long tail capped at 600), cut into sentences;
- words: drawn from a Zipf law (frequency ~ 1 / rank**1.05) over a ranked vocabulary: ~75 English function
  words first ("the" is ~10% of words and in ~96% of comments), then ~70 everyday content words, then ~150
  policy words of the subject ("data" in ~14% of comments, "sharing" ~9%, "minimisation" ~2%), then
  20,000 made-up words as the long tail;
- set phrases: with probability 1% per word a phrase of the subject ("data sharing", "social tariff", ...) is
  written instead, so each phrase is in ~5% of comments and phrase queries have real matches.
Threads (one per 100 comments) get a generated title. The query set is fixed: rare and common words, a
word in nearly every comment ("the"), phrases, a prefix, OR, NOT and a misspelling.

The build is `search reindex`'s own code (read from SQLite, analyse, write, swap). It prints figures and
asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from consult import create_app
from consult.db import get_session, utcnow
from consult.migrations import upgrade
from consult.search import queue, ranking, services
from consult.search.querying import SearchRequest, search
from consult.search.store import searcher

# The commonest English words, most frequent first: they take the top Zipf ranks, as in any English text
# ("the" ~6% of words, so in nearly every comment).
FUNCTION_WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a long list
    "the of and to a in is that for it be as with on not this are by or we should would have will can which "
    "an at from they there but their our i if has more been all these so would also was any who no what than "
    "other must only about such some do may how when its into could very where them were need being those"
).split()

# Everyday content words of discussion: next in frequency.
COMMON_WORDS = (  # noqa: SIM905
    "people time think make way work new use important need support clear well made many case information "
    "current system approach issue issues already likely help point example concern concerns right change "
    "question view agree believe process place given however particular provide ensure set part good long"
).split()

# The consultation's subject: frequent, behind the function and common words (ranks ~140 to ~300).
POLICY_WORDS = (  # noqa: SIM905
    "data sharing safeguards household households tariff tariffs water poverty council councils consent privacy "
    "retention eligibility threshold thresholds benefit benefits energy fuel debt vulnerable customers register "
    "priority services department departments public authority authorities objective objectives purpose wellbeing "
    "function functions schedule specified persons disclose disclosure receive recipients legislation regulations "
    "code practice impact assessment evidence pilot pilots evaluation trust transparency accountability oversight "
    "board review minister parliament consultation response civil society local government health education "
    "housing homelessness families children adults older disability carers income payment payments social "
    "identity verification matching accuracy error errors appeal appeals complaint complaints independent audit "
    "storage deletion security breach breaches encryption access control logging processing lawful basis necessary "
    "proportionate minimum minimise minimisation fairness discrimination automated decision decisions human personal"
).split()

# Set phrases of the subject: now and then one is written as a unit, so phrase queries have real matches.
COLLOCATIONS = (
    "data sharing",
    "social tariff",
    "public authorities",
    "priority services register",
    "fuel poverty",
    "water poverty",
    "impact assessment",
    "code of practice",
    "civil society",
    "local government",
    "personal data",
    "vulnerable customers",
)
ZIPF_EXPONENT = 1.05  # word frequency falls as 1 / rank**1.05 (English is close to 1)
COLLOCATION_RATE = 0.01  # chance, per word written, that a set phrase is written instead

QUERIES = [
    "water",
    "data sharing",
    '"data sharing"',
    "safeguards households",
    "tariff eligibility",
    "consultation response",
    "retent*",
    "vulnerable customers priority",
    "privacy OR security",
    "fuel NOT energy",
    "independent audit appeals",
    "minimisation",
    "watr povrty",
    "parliament regulations code",
    '"social tariff"',
    "the",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Words in rank order: function words, common words, policy words, then `size` made-up words (the long tail).

    The made-up words are shuffled so their rank does not follow their spelling.
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    known = set(FUNCTION_WORDS + COMMON_WORDS + POLICY_WORDS)
    made = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(size)} - known)
    rng.shuffle(made)
    ranked = list(dict.fromkeys(FUNCTION_WORDS + COMMON_WORDS + POLICY_WORDS))
    return ranked + made


def comment_text(rng: random.Random, words: list[str], weights: list[float]) -> str:
    length = max(3, min(600, int(rng.lognormvariate(3.8, 0.8))))
    chosen = rng.choices(words, weights=weights, k=length)
    for i in range(length):
        if rng.random() < COLLOCATION_RATE:
            chosen[i] = rng.choice(COLLOCATIONS)
    sentences, i = [], 0
    while i < len(chosen):
        n = rng.randint(6, 20)
        sentences.append(" ".join(chosen[i : i + n]).capitalize() + ".")
        i += n
    return " ".join(sentences)


def seed_comments(engine: sa.Engine, count: int, seed: int) -> None:
    """Insert processes, groups, threads and comments with Core (no ORM events: the rebuild reads them all)."""
    rng = random.Random(seed)
    words = vocabulary(rng, 20_000)
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(words))]
    now = utcnow()
    with engine.begin() as conn:
        meta = sa.MetaData()
        meta.reflect(conn, only=["processes", "working_groups", "threads", "comments"])
        t = meta.tables
        conn.execute(
            t["processes"].insert(),
            [
                {
                    "id": p,
                    "slug": f"p{p}",
                    "title": f"Process {p}",
                    "summary": "s",
                    "principles": "",
                    "objectives_concerned": "",
                    "created_at": now,
                }
                for p in range(1, 6)
            ],
        )
        conn.execute(
            t["working_groups"].insert(),
            [
                {
                    "id": g,
                    "process_id": 1 + g % 5,
                    "slug": f"g{g}",
                    "name": f"Group {g}",
                    "remit": "r",
                    "join_policy": "open",
                    "created_at": now,
                }
                for g in range(1, 21)
            ],
        )
        threads = max(1, count // 100)
        conn.execute(
            t["threads"].insert(),
            [
                {
                    "id": i,
                    "group_id": 1 + i % 20,
                    "kind": "discussion",
                    "title": comment_text(rng, words, weights)[:150],
                    "created_at": now,
                    "last_activity_at": now,
                    "summary": "",
                    "summary_version": 0,
                }
                for i in range(1, threads + 1)
            ],
        )
        batch = []
        for n in range(1, count + 1):
            batch.append(
                {
                    "id": n,
                    "thread_id": 1 + n % threads,
                    "body": comment_text(rng, words, weights),
                    "depth": 0,
                    "created_at": now - timedelta(minutes=count - n),
                }
            )
            if len(batch) == 5000:
                conn.execute(t["comments"].insert(), batch)
                batch = []
        if batch:
            conn.execute(t["comments"].insert(), batch)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="times each query is run after its cold run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="search-bench-"))
    url = "sqlite:///" + str(tmp / "bench.sqlite3")
    upgrade(url)
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
            "SEARCH_INDEX": str(tmp / "index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    started = time.perf_counter()
    seed_comments(app.extensions["consult.engine"], args.comments, args.seed)
    print(f"seeded {args.comments:,} comments in {time.perf_counter() - started:.1f} s (SQLite, {tmp})")

    with app.app_context():
        db = get_session(write=True)
        started = time.perf_counter()
        total = queue.rebuild(db, services.store())
        build = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (tmp / "index").rglob("*") if f.is_file())
        print(
            f"rebuild: {total:,} documents in {build:.1f} s ({total / build:,.0f} docs/s), index {size / 2**20:.0f} MiB"
        )

        store = services.store()
        tokens = frozenset({"public"})
        timings: dict[str, list[float]] = {}
        cold: dict[str, float] = {}
        for q in QUERIES:
            # Cold: nothing of this query's decoded yet (the first search after a rebuild, in a new process).
            ranking.CACHE.clear()
            t0 = time.perf_counter()
            search(searcher(store), SearchRequest(text=q), tokens)
            cold[q] = (time.perf_counter() - t0) * 1000
        for q in QUERIES:
            for _ in range(args.runs):
                t0 = time.perf_counter()
                outcome = search(searcher(store), SearchRequest(text=q), tokens)
                timings.setdefault(q, []).append((time.perf_counter() - t0) * 1000)
            timings[q + " [hits]"] = [outcome.total]
        every = [v for k, vs in timings.items() if not k.endswith("[hits]") for v in vs]
        print(f"\n{'query':32} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} {'cold ms':>8}")
        for q in QUERIES:
            hits, runs = timings[q + " [hits]"][0], timings[q]
            print(f"{q:32} {hits:>8,} {statistics.median(runs):>8.1f} {percentile(runs, 95):>8.1f} {cold[q]:>8.1f}")
        print(
            f"\nall queries ({len(every)} runs): p50 {percentile(every, 50):.1f} ms, "
            f"p95 {percentile(every, 95):.1f} ms, p99 {percentile(every, 99):.1f} ms, max {max(every):.1f} ms"
        )
        coldest = list(cold.values())
        print(
            f"cold, each query once with no decoded lists cached ({len(coldest)} runs): "
            f"p50 {percentile(coldest, 50):.1f} ms, max {max(coldest):.1f} ms; "
            f"decoded-list cache after all queries: {ranking.CACHE.size / 2**20:.1f} MiB"
        )

        client = app.test_client()
        page_times = []
        for q in QUERIES:
            for _ in range(3):
                t0 = time.perf_counter()
                client.get("/search", query_string={"q": q})
                page_times.append((time.perf_counter() - t0) * 1000)
        print(
            f"whole search page (test client, {len(page_times)} requests): p50 {percentile(page_times, 50):.1f} ms, "
            f"p95 {percentile(page_times, 95):.1f} ms"
        )
    if not os.environ.get("BENCH_KEEP"):
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
