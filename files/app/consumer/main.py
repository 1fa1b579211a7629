# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The consumer tier of the lattice stack: the public users API behind the consumer ALB, forwarded over VPC Lattice.

Run from this directory with ``uvicorn main:app --host 0.0.0.0 --port "$APP_PORT" --no-access-log``.
Every setting comes from the environment; see README.md.
"""

import asyncio
import contextlib
import json
import logging
import os
import random
import re
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from fastapi import APIRouter, FastAPI, Request, Response, status
from fastapi.responses import JSONResponse

SERVICE_NAME = "consumer-app"
VERSION = "1.0.0"
LOG = logging.getLogger(SERVICE_NAME)

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Only calls that may safely run twice are retried: a POST that timed out may have created the user already.
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
FORWARDED_REQUEST_HEADERS = ("accept", "content-type", "x-forwarded-for", "x-forwarded-proto")
PASSED_RESPONSE_HEADERS = ("content-type", "location")
# The health probe must answer well within a load balancer's health check timeout.
PROBE_TIMEOUT_SECONDS = 2.0
MAX_BODY_BYTES = 64 * 1024


# --- configuration -------------------------------------------------------------------------------------------------


def _env_number(environ: Mapping[str, str], name: str, default: float, minimum: float, kind: type = float) -> Any:
    """Read a number of at least ``minimum`` from the environment, naming the variable when it is wrong."""
    raw = environ.get(name, "")
    try:
        value = kind(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"{name} must be {'an integer' if kind is int else 'a number'}, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """What the service reads from its environment, once, at start-up."""

    app_service_url: str
    timeout: float = 5.0
    connect_timeout: float = 2.0
    retries: int = 2
    retry_backoff: float = 0.2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Build the settings, failing with a message that names the variable at fault."""
        env = os.environ if environ is None else environ
        url = env.get("APP_SERVICE_URL", "").strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"APP_SERVICE_URL must be an http(s) URL such as http://<lattice service dns>:80, got {url!r}"
            )
        timeout = _env_number(env, "UPSTREAM_TIMEOUT_SECONDS", 5.0, minimum=0.01)
        return cls(
            app_service_url=url,
            timeout=timeout,
            connect_timeout=min(timeout, _env_number(env, "UPSTREAM_CONNECT_TIMEOUT_SECONDS", 2.0, minimum=0.01)),
            retries=_env_number(env, "UPSTREAM_RETRIES", 2, minimum=0, kind=int),
            retry_backoff=_env_number(env, "UPSTREAM_RETRY_BACKOFF_SECONDS", 0.2, minimum=0.0),
        )


# --- logging -------------------------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so journald keeps each record whole and tools can parse it."""

    EXTRA_FIELDS = (
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "attempts",
        "upstream_status",
        "attempt",
        "error",
        "upstream",
    )

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging() -> None:
    """Send this service's records to stdout as JSON, and silence uvicorn's own access log (ours replaces it)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    LOG.handlers[:] = [handler]
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


# --- forwarding ----------------------------------------------------------------------------------------------------


def _error(status_code: int, error: str, detail: str, request_id: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, "error": error, "request_id": request_id, **extra}, status_code=status_code)


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def relay(upstream: httpx.Response, request_id: str) -> Response:
    """Hand the app's answer to the client: success and 4xx as they are, 503/504 kept, any other 5xx as 502."""
    code = upstream.status_code
    if code < 500 or (code in (503, 504) and _is_json(upstream)):
        headers = {name: upstream.headers[name] for name in PASSED_RESPONSE_HEADERS if name in upstream.headers}
        if code == status.HTTP_204_NO_CONTENT:
            headers.pop("content-type", None)
            return Response(status_code=code, headers=headers)
        return Response(content=upstream.content, status_code=code, headers=headers)
    if code in (503, 504):
        return _error(
            code, "upstream_unavailable", f"the app service answered {code}", request_id, upstream_status=code
        )
    return _error(
        status.HTTP_502_BAD_GATEWAY,
        "upstream_error",
        f"the app service answered {code}",
        request_id,
        upstream_status=code,
    )


async def forward(request: Request, method: str, path: str, params: Any = None) -> Response:
    """Send the call to the app service, retrying idempotent ones on connection errors, timeouts and 502/503/504."""
    settings: Settings = request.app.state.settings
    client: httpx.AsyncClient = request.app.state.client
    request_id: str = request.state.request_id
    headers = {name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers}
    headers["x-request-id"] = request_id
    body = await request.body() if method in ("POST", "PUT") else None
    attempts = 1 + (settings.retries if method in IDEMPOTENT_METHODS else 0)
    for attempt in range(1, attempts + 1):
        request.state.attempts = attempt
        try:
            upstream = await client.request(method, path, params=params, content=body, headers=headers)
        except RETRY_ERRORS as exc:
            failure: httpx.HTTPError | None = exc
            upstream = None
        else:
            failure = None
            request.state.upstream_status = upstream.status_code
            if upstream.status_code not in RETRY_STATUSES:
                return relay(upstream, request_id)
        if attempt < attempts:
            reason = type(failure).__name__ if failure else f"HTTP {upstream.status_code}"
            LOG.warning(
                "retrying the app service", extra={"request_id": request_id, "attempt": attempt, "error": reason}
            )
            await asyncio.sleep(settings.retry_backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.0))
    if upstream is not None:
        return relay(upstream, request_id)
    if isinstance(failure, httpx.TimeoutException):
        return _error(
            status.HTTP_504_GATEWAY_TIMEOUT, "upstream_timeout", "the app service did not answer in time", request_id
        )
    return _error(status.HTTP_502_BAD_GATEWAY, "upstream_unreachable", "the app service cannot be reached", request_id)


async def probe(request: Request, path: str) -> tuple[int | None, dict[str, Any]]:
    """One quick GET to the app service, never retried; the status (None when no answer came) and a summary."""
    client: httpx.AsyncClient = request.app.state.client
    timeout = min(PROBE_TIMEOUT_SECONDS, request.app.state.settings.timeout)
    try:
        upstream = await client.get(path, headers={"x-request-id": request.state.request_id}, timeout=timeout)
    except httpx.TimeoutException:
        return None, {"status": "timeout"}
    except httpx.HTTPError as exc:
        return None, {"status": "unreachable", "error": type(exc).__name__}
    summary: dict[str, Any] = {
        "status": "ok" if upstream.status_code == 200 else "unhealthy",
        "http_status": upstream.status_code,
    }
    if _is_json(upstream):
        with contextlib.suppress(ValueError):
            summary["body"] = upstream.json()
    return upstream.status_code, summary


# --- HTTP ----------------------------------------------------------------------------------------------------------

router = APIRouter()


def _user_path(user_id: str) -> str:
    return "/users/" + quote(user_id, safe="")


@router.get("/")
async def service_info(request: Request) -> dict[str, Any]:
    """What this service is, where it forwards to, and what the app service says about itself."""
    upstream = (await probe(request, "/"))[1]
    return {
        "service": SERVICE_NAME,
        "version": VERSION,
        "upstream_url": request.app.state.settings.app_service_url,
        "upstream": upstream,
    }


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Always 200 while this process serves: the app tier's state is reported, never made the consumer's own.

    The consumer ALB health check and the Auto Scaling group behind it act on this answer; pulling or replacing
    every consumer because the app tier is down would not bring the app tier back, and would turn clean 502/503
    answers into the ALB's own 503 page. Monitoring that wants the app tier's state reads /health/upstream.
    """
    upstream = (await probe(request, "/health"))[1]
    return {"status": "ok" if upstream["status"] == "ok" else "degraded", "service": SERVICE_NAME, "upstream": upstream}


@router.get("/health/upstream")
async def upstream_health(request: Request) -> JSONResponse:
    """The app service's health as its own status: 200, 503 when unhealthy, 502 unreachable, 504 timed out."""
    code, upstream = await probe(request, "/health")
    if code is None:
        code = status.HTTP_504_GATEWAY_TIMEOUT if upstream["status"] == "timeout" else status.HTTP_502_BAD_GATEWAY
    elif code != status.HTTP_200_OK:
        code = status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse({"upstream_url": request.app.state.settings.app_service_url, **upstream}, status_code=code)


@router.get("/users")
async def list_users(request: Request) -> Response:
    """Every user, or a page of them with ``limit`` and ``next_token``, as the app service answers."""
    return await forward(request, "GET", "/users", params=request.query_params.multi_items())


@router.get("/users/{user_id}")
async def get_user(user_id: str, request: Request) -> Response:
    """One user."""
    return await forward(request, "GET", _user_path(user_id))


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(request: Request) -> Response:
    """Create a user (sent once: never retried)."""
    return await forward(request, "POST", "/users")


@router.put("/users/{user_id}")
async def update_user(user_id: str, request: Request) -> Response:
    """Change some fields of a user."""
    return await forward(request, "PUT", _user_path(user_id))


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: str, request: Request) -> Response:
    """Delete a user."""
    return await forward(request, "DELETE", _user_path(user_id))


async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Keep or give the request an X-Request-ID, and log one line per request."""
    incoming = request.headers.get("x-request-id", "")
    request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    request.state.request_id = request_id
    started = time.perf_counter()
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    try:
        response = await call_next(request)
        status_code = response.status_code
    finally:
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": request.url.path,
            "status": status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        for name in ("attempts", "upstream_status"):
            if hasattr(request.state, name):
                fields[name] = getattr(request.state, name)
        LOG.info("request", extra=fields)
    response.headers["X-Request-ID"] = request_id
    return response


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI application; settings default to the environment, read when the application starts."""

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        current = settings or Settings.from_env()
        application.state.settings = current
        timeout = httpx.Timeout(current.timeout, connect=current.connect_timeout)
        # Idle connections are dropped before a server's 5 s keep-alive (uvicorn's default) can close them under us.
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=4.0)
        async with httpx.AsyncClient(base_url=current.app_service_url, timeout=timeout, limits=limits) as client:
            application.state.client = client
            LOG.info("started", extra={"upstream": current.app_service_url})
            yield

    application = FastAPI(
        title="blueprint.aws lattice consumer service",
        version=VERSION,
        lifespan=lifespan,
        max_body_size=MAX_BODY_BYTES,
    )
    application.include_router(router)
    application.middleware("http")(access_log)
    return application


app = create_app()

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        app, host=os.environ.get("APP_HOST", "0.0.0.0"), port=int(os.environ.get("APP_PORT", "8000")), access_log=False
    )
