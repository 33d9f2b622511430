"""A GitHub REST API stand-in for the Action's tests: issue comments in memory, every request recorded."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LIST = re.compile(r"^/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments$")
ONE = re.compile(r"^/repos/(?P<repo>[^/]+/[^/]+)/issues/comments/(?P<id>\d+)$")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeGitHub:
    """``fail[method] = status`` makes every request of that method answer ``status``."""

    repo: str = "acme/pets"
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    next_id: int = 1000
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, number: int, body: str, login: str = "someone") -> dict[str, Any]:
        with self.lock:
            self.next_id += 1
            comment = {"id": self.next_id, "issue": number, "body": body, "user": {"login": login},
                       "html_url": f"https://github.com/{self.repo}/pull/{number}#issuecomment-{self.next_id}"}
            self.comments[self.next_id] = comment
            return comment

    def of(self, method: str) -> list[Request]:
        return [r for r in self.requests if r.method == method]

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body: Any = json.loads(raw) if raw else {}
                with fake.lock:
                    fake.requests.append(Request(self.command, parts.path, parse_qs(parts.query),
                                                 {k.lower(): v for k, v in self.headers.items()}, body))
                if self.command in fake.fail:
                    self._reply(fake.fail[self.command], {"message": "Resource not accessible by integration"})
                    return
                listing, one = LIST.match(parts.path), ONE.match(parts.path)
                if (listing and listing["repo"] != fake.repo) or (one and one["repo"] != fake.repo):
                    self._reply(404, {"message": "Not Found"})
                elif listing and self.command == "GET":
                    self._list(int(listing["number"]), parse_qs(parts.query), parts.path)
                elif listing and self.command == "POST":
                    self._reply(201, fake.add(int(listing["number"]), body["body"], "github-actions[bot]"))
                elif one and int(one["id"]) in fake.comments and self.command == "PATCH":
                    with fake.lock:
                        fake.comments[int(one["id"])]["body"] = body["body"]
                    self._reply(200, fake.comments[int(one["id"])])
                elif one and int(one["id"]) in fake.comments and self.command == "DELETE":
                    with fake.lock:
                        del fake.comments[int(one["id"])]
                    self.send_response(204)
                    self.end_headers()
                else:
                    self._reply(404, {"message": "Not Found"})

            def _list(self, number: int, query: dict[str, list[str]], path: str) -> None:
                per_page = int(query.get("per_page", ["30"])[0])
                page = int(query.get("page", ["1"])[0])
                with fake.lock:
                    items = sorted((c for c in fake.comments.values() if c["issue"] == number), key=lambda c: c["id"])
                pages = max(1, -(-len(items) // per_page))
                links = []
                if page < pages:
                    links.append(f'<{fake.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"')
                    links.append(f'<{fake.url}{path}?per_page={per_page}&page={pages}>; rel="last"')
                self._reply(200, items[(page - 1) * per_page:page * per_page],
                            {"Link": ", ".join(links)} if links else None)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
