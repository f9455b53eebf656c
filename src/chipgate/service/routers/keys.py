"""API keys (admin): create (the key is shown once), list, revoke."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from chipgate.service import keys
from chipgate.service.deps import Admin, documented, state_of
from chipgate.service.schemas import KeyCreate, KeyCreated, KeyOut

router = APIRouter(prefix="/v1/keys", tags=["keys"])

KEY = {
    "key_id": "3fa9c1d2e4b5",
    "name": "order desk",
    "role": "analyst",
    "created_at": "2026-12-02T10:00:00.000000+00:00",
    "created_by": "admin (key 0a1b2c3d4e5f)",
    "revoked_at": None,
}
KeyId = Annotated[str, Path(min_length=1, max_length=32)]


@router.get("", response_model=list[KeyOut], responses=documented([KEY]))
def list_keys(request: Request, who: Admin) -> list[dict[str, Any]]:
    """Every key (never its secret), revoked ones included."""
    return [asdict(k) for k in keys.list_keys(state_of(request).store)]


@router.post(
    "",
    response_model=KeyCreated,
    status_code=201,
    responses=documented({**KEY, "key": "cg_3fa9c1d2e4b5_..."}, status=201),
)
def create_key(body: KeyCreate, request: Request, who: Admin) -> dict[str, Any]:
    """Create a key; the response is the only time the key itself is shown."""
    secret, info = keys.create_key(
        state_of(request).store, keys.Role(body.role), body.name, who.who
    )
    return {**asdict(info), "key": secret}


@router.delete(
    "/{key_id}",
    response_model=KeyOut,
    responses=documented({**KEY, "revoked_at": "..."}, 404),
)
def revoke_key(key_id: KeyId, request: Request, who: Admin) -> dict[str, Any]:
    """Revoke a key at once (its next request is refused)."""
    store = state_of(request).store
    keys.revoke_key(store, key_id, who.who)
    found = next(k for k in keys.list_keys(store) if k.key_id == key_id)
    return asdict(found)
