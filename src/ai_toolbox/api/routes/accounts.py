"""Users, departments and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ai_toolbox import accounts
from ai_toolbox.accounts import DepartmentOut, NewToken, Principal, TokenOut, UserOut
from ai_toolbox.api.deps import ObjectId, current_principal
from ai_toolbox.storage.db import session_scope

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class MeOut(BaseModel):
    username: str
    department: str
    role: str


@router.get("/me", response_model=MeOut, summary="Who am I")
def me(p: Principal = Depends(current_principal)) -> MeOut:
    return MeOut(username=p.username, department=p.department_code, role=p.role.value)


@router.get("/users", response_model=list[UserOut])
def list_users(p: Principal = Depends(current_principal)) -> list[UserOut]:
    with session_scope() as s:
        return accounts.list_users(s, p)


class UserIn(BaseModel):
    username: str = Field(examples=["chan.tai.man"])
    password: str = Field(examples=["a long passphrase"])
    department: str = Field("default", examples=["housing"])
    role: accounts.Role = accounts.Role.OFFICER
    display_name: str = ""


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, p: Principal = Depends(current_principal)) -> UserOut:
    with session_scope() as s:
        return accounts.create_user(s, p, body.username, body.password, department=body.department,
                                    role=body.role, display_name=body.display_name)


@router.get("/departments", response_model=list[DepartmentOut])
def list_departments(p: Principal = Depends(current_principal)) -> list[DepartmentOut]:
    with session_scope() as s:
        return accounts.list_departments(s, p)


class DepartmentIn(BaseModel):
    code: str = Field(examples=["housing"])
    name: str = Field(examples=["Housing Department"])


@router.post("/departments", response_model=DepartmentOut, status_code=201)
def create_department(body: DepartmentIn, p: Principal = Depends(current_principal)) -> DepartmentOut:
    with session_scope() as s:
        return accounts.create_department(s, p, body.code, body.name)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(p: Principal = Depends(current_principal)) -> list[TokenOut]:
    with session_scope() as s:
        return accounts.list_tokens(s, p)


class TokenIn(BaseModel):
    name: str = Field(examples=["reporting script"])
    username: str | None = Field(None, description="Owner; default yourself")
    expires_days: int | None = Field(90, ge=1, le=3650)


@router.post("/tokens", response_model=NewToken, status_code=201,
             summary="Create an API token (the token is shown once)")
def create_token(body: TokenIn, p: Principal = Depends(current_principal)) -> NewToken:
    with session_scope() as s:
        return accounts.create_token(s, p, body.username or p.username, body.name, expires_days=body.expires_days)


@router.delete("/tokens/{token_id}", response_model=TokenOut, summary="Revoke an API token")
def revoke_token(token_id: ObjectId, p: Principal = Depends(current_principal)) -> TokenOut:
    with session_scope() as s:
        return accounts.revoke_token(s, p, token_id)
