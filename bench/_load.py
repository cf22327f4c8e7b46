"""The load generator for bench/intake.py, run as its own process so its CPU use can be
measured apart from the server's.

`--client raw` (default) is a minimal HTTP/1.1 keep-alive client on asyncio streams: one
connection per simulated client, each sending its next report as soon as the previous
answer arrives (closed loop). `--client httpx` does the same with httpx.AsyncClient, which
costs several times more CPU per request. Prints one JSON object on stdout; `--keys FILE`
also writes the Idempotency-Key of every 201 answer to FILE, one a line, so the caller can
check that each acknowledged report was stored exactly once.
"""

import argparse
import asyncio
import itertools
import json
import os
import resource
import sys
import time
import uuid

TITLES = ["楼道灯不亮", "楼道堆放杂物", "单元门禁打不开", "垃圾站满溢", "路灯不亮", "飞线充电"]


class Reporter:
    """What one simulated client sends: its token, its place, a rotating category."""

    def __init__(self, spec: dict, categories: list[str], index: int):
        self.token = spec["token"]
        self.area_id = spec["area_id"]
        self.categories = categories
        self.counter = itertools.count()
        self.tag = f"{os.getpid()}-{index}"

    def next_body(self) -> tuple[bytes, str]:
        n = next(self.counter)
        k = n % len(self.categories)
        body = {"category": self.categories[k], "area_id": self.area_id,
                "title": TITLES[k % len(TITLES)],
                "description": f"压力测试上报 {self.tag} 第{n}条：{TITLES[k % len(TITLES)]}，请尽快处理。"}
        return json.dumps(body, ensure_ascii=False).encode(), f"bench-{self.tag}-{n}-{uuid.uuid4().hex[:8]}"


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.acknowledged: list[str] = []  # the Idempotency-Keys answered 201

    def add(self, status: int, seconds: float, key: str) -> None:
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if status == 201:
            self.latencies.append(seconds)
            self.acknowledged.append(key)

    def fail(self, exc: BaseException) -> None:
        name = type(exc).__name__
        self.errors[name] = self.errors.get(name, 0) + 1


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    keep = b"connection: close" not in lower
    marker = lower.find(b"content-length:")
    if marker >= 0:
        end = lower.find(b"\r\n", marker)
        await reader.readexactly(int(lower[marker + 15:end]))
        return status, keep
    if b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return status, keep
    return status, False


async def _raw_client(host, port, path, reporter, deadline, stats) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            body, key = reporter.next_body()
            request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                       f"Authorization: Bearer {reporter.token}\r\n"
                       f"Content-Type: application/json\r\nIdempotency-Key: {key}\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body
            started = time.perf_counter()
            writer.write(request)
            status, keep = await _read_response(reader)
            stats.add(status, time.perf_counter() - started, key)
            if not keep:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.fail(exc)
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def _httpx_client(client, base, path, reporter, deadline, stats) -> None:
    import httpx

    while time.perf_counter() < deadline:
        body, key = reporter.next_body()
        headers = {"Authorization": f"Bearer {reporter.token}", "Idempotency-Key": key,
                   "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            response = await client.post(base + path, content=body, headers=headers)
            stats.add(response.status_code, time.perf_counter() - started, key)
        except httpx.HTTPError as exc:
            stats.fail(exc)


async def _phase(args, reporters, seconds: float) -> tuple[Stats, float]:
    stats = Stats()
    started = time.perf_counter()
    deadline = started + seconds
    if args.client == "httpx":
        import httpx

        limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            base = f"http://{args.host}:{args.port}"
            await asyncio.gather(*(_httpx_client(client, base, args.path, r, deadline, stats)
                                   for r in reporters))
    else:
        await asyncio.gather(*(_raw_client(args.host, args.port, args.path, r, deadline, stats)
                               for r in reporters))
    return stats, time.perf_counter() - started


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _main(args) -> dict:
    with open(args.fixture) as handle:
        spec = json.load(handle)
    reporters = [Reporter(spec["reporters"][i % len(spec["reporters"])], spec["categories"], i)
                 for i in range(args.clients)]
    warm, _ = await _phase(args, reporters, args.warmup) if args.warmup else (Stats(), 0)
    cpu = _cpu()
    stats, elapsed = await _phase(args, reporters, args.seconds)
    if args.keys:
        with open(args.keys, "w") as handle:
            handle.writelines(f"{key}\n" for key in warm.acknowledged + stats.acknowledged)
    return {"client": args.client, "clients": args.clients, "elapsed": elapsed,
            "client_cpu": _cpu() - cpu, "statuses": stats.statuses, "errors": stats.errors,
            "latencies": stats.latencies, "warmup_statuses": warm.statuses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/cases")
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--keys", help="write the Idempotency-Keys answered 201 here")
    args = parser.parse_args()
    json.dump(asyncio.run(_main(args)), sys.stdout)


if __name__ == "__main__":
    main()
