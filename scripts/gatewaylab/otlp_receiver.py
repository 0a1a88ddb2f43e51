"""A small OTLP/HTTP trace receiver: what a tracing backend (Jaeger, Tempo...) does first, and no more.

    POST /v1/traces   body: an OTLP ExportTraceServiceRequest (protobuf, as OTEL_EXPORTER_OTLP_PROTOCOL=http sends)
    GET  /spans       every span received so far, as JSON: service, name, trace_id, attributes
    GET  /health      {"status": "ok"}

It runs in ContextForge's environment, which has the OpenTelemetry protobuf classes:
    ~/contextforge/bin/python -m gatewaylab.otlp_receiver --port 4318
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

SPANS: list[dict] = []


def _value(any_value) -> object:
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def decode(body: bytes) -> list[dict]:
    request = ExportTraceServiceRequest.FromString(body)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    {
                        "service": resource.get("service.name"),
                        "name": span.name,
                        "trace_id": span.trace_id.hex(),
                        "attributes": {a.key: _value(a.value) for a in span.attributes},
                    }
                )
    return spans


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path != "/v1/traces":
            self.send_error(404)
            return
        SPANS.extend(decode(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
        self._reply(ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/spans":
            self._reply(json.dumps(SPANS).encode(), "application/json")
        elif self.path == "/health":
            self._reply(b'{"status": "ok"}', "application/json")
        else:
            self.send_error(404)

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
