"""A TCP relay that adds a fixed delay in each direction: a stand-in for network distance
where the kernel has no netem.

    python -m gatewaylab.relay --port 9000 --target 127.0.0.1:8102 --delay-ms 10

Every chunk read on one side is written to the other side `delay-ms` later, in order, so a
request/response round trip through the relay costs twice the delay more than without it.
Bandwidth is not limited.
"""

from __future__ import annotations

import argparse
import asyncio
import time


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, data = await queue.get()
            if not data:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        # The far side closed: pass the end on, after the same delay.
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if writer.can_write_eof():
            writer.write_eof()

    sender = asyncio.create_task(deliver())
    try:
        while data := await reader.read(65536):
            queue.put_nowait((time.monotonic() + delay, data))
    except (ConnectionError, OSError):
        pass
    finally:
        queue.put_nowait((time.monotonic() + delay, b""))
        try:
            await sender
        except (ConnectionError, OSError):
            pass


async def serve(port: int, target_host: str, target_port: int, delay: float, host: str = "127.0.0.1") -> None:
    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(
                _pump(client_reader, upstream_writer, delay), _pump(upstream_reader, client_writer, delay)
            )
        finally:
            for writer in (client_writer, upstream_writer):
                writer.close()

    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--target", required=True, help="host:port to forward to")
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay added in each direction")
    args = parser.parse_args(argv)
    host, port = args.target.rsplit(":", 1)
    asyncio.run(serve(args.port, host, int(port), args.delay_ms / 1000))


if __name__ == "__main__":
    main()
