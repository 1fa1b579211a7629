# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app tier of the lattice stack: CRUD on the DynamoDB users table, reached through VPC Lattice.

Run from this directory with ``uvicorn main:app --host 0.0.0.0 --port "$APP_PORT" --no-access-log``.
Every setting comes from the environment; see README.md.
"""

import base64
import binascii
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Annotated, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoRegionError
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

SERVICE_NAME = "app-server"
VERSION = "1.0.0"
LOG = logging.getLogger(SERVICE_NAME)

USER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Error codes that mean "DynamoDB cannot serve this now", not "this request is wrong": answered with 503.
UNAVAILABLE_CODES = frozenset(
    {
        "InternalServerError",
        "LimitExceededException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ResourceNotFoundException",
        "ServiceUnavailable",
        "ThrottlingException",
    }
)
HEALTHY_TABLE_STATUSES = frozenset({"ACTIVE", "UPDATING"})
MAX_BODY_BYTES = 64 * 1024


# --- configuration -------------------------------------------------------------------------------------------------


def _env_float(environ: Mapping[str, str], name: str, default: float) -> float:
    """Read a positive number of seconds from the environment."""
    raw = environ.get(name, "")
    try:
        value = float(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


def _env_int(environ: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """Read an integer of at least ``minimum`` from the environment."""
    raw = environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """What the service reads from its environment, once, at start-up."""

    users_table: str
    region: str | None
    connect_timeout: float
    read_timeout: float
    max_attempts: int
    retry_mode: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Build the settings, failing with a message that names the variable at fault."""
        env = os.environ if environ is None else environ
        table = env.get("USERS_TABLE", "").strip()
        if not table:
            raise ValueError("USERS_TABLE is required: the name of the DynamoDB users table")
        retry_mode = env.get("AWS_RETRY_MODE", "standard")
        if retry_mode not in ("legacy", "standard", "adaptive"):
            raise ValueError(f"AWS_RETRY_MODE must be legacy, standard or adaptive, got {retry_mode!r}")
        return cls(
            users_table=table,
            # boto3 itself reads AWS_DEFAULT_REGION (and AWS_ENDPOINT_URL); AWS_REGION is the newer spelling.
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            connect_timeout=_env_float(env, "DYNAMODB_CONNECT_TIMEOUT_SECONDS", 2.0),
            read_timeout=_env_float(env, "DYNAMODB_READ_TIMEOUT_SECONDS", 3.0),
            max_attempts=_env_int(env, "AWS_MAX_ATTEMPTS", 2, minimum=1),
            retry_mode=retry_mode,
        )


# --- logging -------------------------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so journald keeps each record whole and tools can parse it."""

    EXTRA_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "error", "table", "region")

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


# --- models --------------------------------------------------------------------------------------------------------

UserId = Annotated[str, Field(pattern=USER_ID_PATTERN, description="Letters, digits, '.', '_' or '-'; at most 64")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Age = Annotated[int, Field(ge=0, le=150, strict=True)]


class UserCreate(BaseModel):
    """A new user; the server picks a UUID when ``user_id`` is left out."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    user_id: UserId | None = None
    name: Name
    email: EmailStr
    age: Age | None = None


class UserUpdate(BaseModel):
    """The fields to change; ``"age": null`` clears the age."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name | None = None
    email: EmailStr | None = None
    age: Age | None = None

    @field_validator("name", "email")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> "UserUpdate":
        if not self.model_fields_set:
            raise ValueError("give at least one of name, email, age")
        return self


class User(BaseModel):
    """A stored user."""

    user_id: str
    name: str
    email: str
    age: int | None = None
    created_at: datetime
    updated_at: datetime


class UserPage(BaseModel):
    """Users in the table's scan order; ``next_token`` is set when another page follows."""

    items: list[User]
    count: int
    next_token: str | None = None


# --- DynamoDB ------------------------------------------------------------------------------------------------------


class UserNotFound(Exception):
    """No user has this id."""


class UserExists(Exception):
    """A user already has this id."""


class InvalidToken(Exception):
    """A ``next_token`` this service did not hand out."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _to_item(user: dict[str, Any]) -> dict[str, dict[str, str]]:
    item = {key: {"S": user[key]} for key in ("user_id", "name", "email", "created_at", "updated_at")}
    if user.get("age") is not None:
        item["age"] = {"N": str(user["age"])}
    return item


def _from_item(item: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    user: dict[str, Any] = {key: item[key]["S"] for key in ("user_id", "name", "email", "created_at", "updated_at")}
    user["age"] = int(item["age"]["N"]) if "age" in item else None
    return user


def encode_token(last_key: Mapping[str, Mapping[str, str]]) -> str:
    """Turn a scan's LastEvaluatedKey into an opaque URL-safe token."""
    return base64.urlsafe_b64encode(json.dumps({"user_id": last_key["user_id"]["S"]}).encode()).decode().rstrip("=")


def decode_token(token: str) -> dict[str, dict[str, str]]:
    """Turn a token back into an ExclusiveStartKey, refusing anything else."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidToken(token) from exc
    if not isinstance(data, dict) or set(data) != {"user_id"} or not isinstance(data["user_id"], str):
        raise InvalidToken(token)
    return {"user_id": {"S": data["user_id"]}}


class UsersRepository:
    """The users table, keyed by the string attribute ``user_id``."""

    def __init__(self, client: Any, probe_client: Any, table: str) -> None:
        self.client = client
        self.probe_client = probe_client
        self.table = table

    @classmethod
    def connect(cls, settings: Settings) -> "UsersRepository":
        """Make the clients: short timeouts and few retries, so a lost DynamoDB answers 503 fast instead of hanging."""
        config = Config(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries={"mode": settings.retry_mode, "max_attempts": settings.max_attempts},
            user_agent_extra=f"blueprint-aws-{SERVICE_NAME}/{VERSION}",
        )
        # The health probe tries once: a load balancer asks again soon enough.
        probe_config = config.merge(Config(retries={"mode": settings.retry_mode, "max_attempts": 1}))
        session = boto3.session.Session(region_name=settings.region)
        try:
            client = session.client("dynamodb", config=config)
            probe_client = session.client("dynamodb", config=probe_config)
        except NoRegionError as exc:
            raise ValueError("no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION)") from exc
        return cls(client, probe_client, settings.users_table)

    def describe(self) -> str:
        """The table's status, as DescribeTable reports it."""
        return self.probe_client.describe_table(TableName=self.table)["Table"]["TableStatus"]

    def get(self, user_id: str) -> dict[str, Any]:
        """One user, read consistently."""
        answer = self.client.get_item(TableName=self.table, Key={"user_id": {"S": user_id}}, ConsistentRead=True)
        item = answer.get("Item")
        if item is None:
            raise UserNotFound(user_id)
        return _from_item(item)

    def page(self, limit: int, start_key: dict[str, dict[str, str]] | None) -> tuple[list[dict[str, Any]], str | None]:
        """Up to ``limit`` users, and the token of the next page if there is one."""
        kwargs: dict[str, Any] = {"TableName": self.table, "Limit": limit}
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        answer = self.client.scan(**kwargs)
        last_key = answer.get("LastEvaluatedKey")
        return [_from_item(item) for item in answer.get("Items", [])], encode_token(last_key) if last_key else None

    def all(self) -> list[dict[str, Any]]:
        """Every user, following the scan from page to page."""
        users: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": self.table}
        while True:
            answer = self.client.scan(**kwargs)
            users.extend(_from_item(item) for item in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                return users
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def create(self, user: dict[str, Any]) -> None:
        """Store a new user; an id already taken raises UserExists."""
        try:
            self.client.put_item(
                TableName=self.table,
                Item=_to_item(user),
                ConditionExpression="attribute_not_exists(#id)",
                ExpressionAttributeNames={"#id": "user_id"},
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                raise UserExists(user["user_id"]) from exc
            raise

    def update(self, user_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given fields of an existing user (a None age is removed) and return the user as stored."""
        names = {"#id": "user_id", "#updated_at": "updated_at"}
        values: dict[str, dict[str, str]] = {":updated_at": {"S": _now()}}
        assignments = ["#updated_at = :updated_at"]
        removals = []
        for field, value in changes.items():
            names[f"#{field}"] = field
            if value is None:
                removals.append(f"#{field}")
            else:
                values[f":{field}"] = {"N": str(value)} if field == "age" else {"S": value}
                assignments.append(f"#{field} = :{field}")
        expression = "SET " + ", ".join(assignments) + (" REMOVE " + ", ".join(removals) if removals else "")
        try:
            answer = self.client.update_item(
                TableName=self.table,
                Key={"user_id": {"S": user_id}},
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(#id)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                raise UserNotFound(user_id) from exc
            raise
        return _from_item(answer["Attributes"])

    def delete(self, user_id: str) -> None:
        """Delete an existing user; a missing one raises UserNotFound."""
        try:
            self.client.delete_item(
                TableName=self.table,
                Key={"user_id": {"S": user_id}},
                ConditionExpression="attribute_exists(#id)",
                ExpressionAttributeNames={"#id": "user_id"},
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                raise UserNotFound(user_id) from exc
            raise


def _error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def dynamodb_failure(exc: Exception) -> tuple[int, str]:
    """The HTTP status and the short reason a DynamoDB failure is answered with."""
    if isinstance(exc, ClientError):
        code = _error_code(exc) or "ClientError"
        server_side = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
        if code in UNAVAILABLE_CODES or server_side:
            return status.HTTP_503_SERVICE_UNAVAILABLE, code
        return status.HTTP_500_INTERNAL_SERVER_ERROR, code
    # Connection refused or timed out, no credentials, retries exhausted: DynamoDB is out of reach.
    return status.HTTP_503_SERVICE_UNAVAILABLE, type(exc).__name__


# --- HTTP ----------------------------------------------------------------------------------------------------------

router = APIRouter()


def get_repository(request: Request) -> UsersRepository:
    """The repository the lifespan made."""
    return request.app.state.repository


Repository = Annotated[UsersRepository, Depends(get_repository)]
UserIdPath = Annotated[str, Path(pattern=USER_ID_PATTERN)]
NOT_FOUND = {404: {"description": "No user has this id"}}


def _not_found(user_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"user {user_id!r} not found")


@router.get("/")
def service_info(repository: Repository) -> dict[str, Any]:
    """What this service is and which table it serves."""
    return {"service": SERVICE_NAME, "version": VERSION, "table": repository.table}


@router.get("/health", responses={503: {"description": "DynamoDB does not answer for the table"}})
def health(repository: Repository) -> JSONResponse:
    """200 when the users table answers DescribeTable and is usable, 503 otherwise."""
    try:
        table_status = repository.describe()
    except (BotoCoreError, ClientError) as exc:
        reason = dynamodb_failure(exc)[1]
        LOG.warning("health check: DynamoDB unreachable", extra={"error": reason, "table": repository.table})
        body = {"status": "unavailable", "dynamodb": {"table": repository.table, "error": reason}}
        return JSONResponse(body, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
    healthy = table_status in HEALTHY_TABLE_STATUSES
    body = {
        "status": "ok" if healthy else "unavailable",
        "dynamodb": {"table": repository.table, "table_status": table_status},
    }
    return JSONResponse(body, status_code=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE)


@router.get("/users", responses={400: {"description": "next_token was not handed out by this service"}})
def list_users(
    repository: Repository,
    limit: Annotated[
        int | None, Query(ge=1, le=1000, description="Page size; leave out (with next_token) for every user")
    ] = None,
    next_token: Annotated[str | None, Query(max_length=1024, description="The next_token of the previous page")] = None,
) -> UserPage:
    """Every user, or one page of ``limit`` users when ``limit`` or ``next_token`` is given."""
    if limit is None and next_token is None:
        users = repository.all()
        return UserPage(items=[User(**user) for user in users], count=len(users))
    try:
        start_key = decode_token(next_token) if next_token else None
    except InvalidToken as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "next_token is not valid") from exc
    users, token = repository.page(limit or 100, start_key)
    return UserPage(items=[User(**user) for user in users], count=len(users), next_token=token)


@router.get("/users/{user_id}", responses=NOT_FOUND)
def get_user(user_id: UserIdPath, repository: Repository) -> User:
    """One user."""
    try:
        return User(**repository.get(user_id))
    except UserNotFound as exc:
        raise _not_found(user_id) from exc


@router.post("/users", status_code=status.HTTP_201_CREATED, responses={409: {"description": "The id is taken"}})
def create_user(body: UserCreate, repository: Repository, response: Response) -> User:
    """Create a user; 409 when the id is already taken."""
    now = _now()
    user = body.model_dump()
    user.update(user_id=body.user_id or str(uuid.uuid4()), created_at=now, updated_at=now)
    try:
        repository.create(user)
    except UserExists as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, f"user {user['user_id']!r} already exists") from exc
    response.headers["Location"] = f"/users/{user['user_id']}"
    return User(**user)


@router.put("/users/{user_id}", responses=NOT_FOUND)
def update_user(user_id: UserIdPath, body: UserUpdate, repository: Repository) -> User:
    """Change some fields of a user; 404 when there is no such user."""
    try:
        return User(**repository.update(user_id, body.model_dump(include=body.model_fields_set)))
    except UserNotFound as exc:
        raise _not_found(user_id) from exc


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=NOT_FOUND)
def delete_user(user_id: UserIdPath, repository: Repository) -> Response:
    """Delete a user; 404 when there is no such user."""
    try:
        repository.delete(user_id)
    except UserNotFound as exc:
        raise _not_found(user_id) from exc
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def dynamodb_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer a failed DynamoDB call with JSON: 503 when DynamoDB is out of reach or throttling, 500 otherwise."""
    code, reason = dynamodb_failure(exc)
    LOG.warning(
        "DynamoDB call failed",
        extra={"request_id": getattr(request.state, "request_id", None), "error": f"{reason}: {exc}"},
    )
    detail = (
        "DynamoDB is unavailable" if code == status.HTTP_503_SERVICE_UNAVAILABLE else "DynamoDB refused the request"
    )
    return JSONResponse({"detail": detail, "error": reason}, status_code=code)


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
        LOG.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.url.path,
                "status": status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    response.headers["X-Request-ID"] = request_id
    return response


def create_app(settings: Settings | None = None) -> FastAPI:
    """The ASGI application; settings default to the environment, read when the application starts."""

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        current = settings or Settings.from_env()
        application.state.repository = UsersRepository.connect(current)
        LOG.info("started", extra={"table": current.users_table, "region": current.region})
        yield

    application = FastAPI(
        title="blueprint.aws lattice app service",
        version=VERSION,
        lifespan=lifespan,
        max_body_size=MAX_BODY_BYTES,
    )
    application.include_router(router)
    application.add_exception_handler(BotoCoreError, dynamodb_error_handler)
    application.add_exception_handler(ClientError, dynamodb_error_handler)
    application.middleware("http")(access_log)
    return application


app = create_app()

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        app, host=os.environ.get("APP_HOST", "0.0.0.0"), port=int(os.environ.get("APP_PORT", "8000")), access_log=False
    )
