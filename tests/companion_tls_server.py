"""Our text-tools MCP server behind HTTPS with a self-signed certificate (for pflow-gateway's TLS checks).

python tests/companion_tls_server.py --port PORT --cert cert.pem --key key.pem
"""

import argparse

import uvicorn
from gatewaylab.backends import text_tools
from starlette.requests import Request
from starlette.responses import JSONResponse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    server = text_tools("127.0.0.1", args.port)

    @server.custom_route("/health", methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    uvicorn.run(
        server.streamable_http_app(),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        ssl_certfile=args.cert,
        ssl_keyfile=args.key,
    )


if __name__ == "__main__":
    main()
