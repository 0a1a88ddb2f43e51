"""A plain REST service (no MCP): the kind of API ContextForge can turn into an MCP tool.

GET /convert?celsius=21.5  ->  {"celsius": 21.5, "fahrenheit": 70.7}
GET /health                ->  {"status": "ok"}

python -m gatewaylab.rest_service --port 8103
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def convert(request: Request) -> JSONResponse:
    try:
        celsius = float(request.query_params["celsius"])
    except (KeyError, ValueError):
        return JSONResponse({"error": "give celsius as a number, e.g. ?celsius=21.5"}, status_code=400)
    return JSONResponse({"celsius": celsius, "fahrenheit": round(celsius * 9 / 5 + 32, 2)})


async def health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/convert", convert), Route("/health", health)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
