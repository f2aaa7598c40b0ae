"""The PII guard: what a remote model may see.

Before messages go to a backend whose capabilities say `remote`, every personal identifier the
text core finds is replaced by a pseudonym (one mapping for the whole conversation, so the same
person keeps the same pseudonym across messages), and the pseudonyms in the reply are turned back
into the originals. A department with `allow_remote_llm = False` cannot use remote backends at all.
Local backends see the text as it is: it never leaves the machine. Whatever the backend,
instruction-like sentences inside user messages (documents, passages) are withheld first
(`ai_toolbox.llm.injection`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ai_toolbox.accounts import Principal
from ai_toolbox.errors import ModelUnavailable, NotPermitted
from ai_toolbox.llm.base import Backend, Message
from ai_toolbox.llm.injection import withhold
from ai_toolbox.storage.db import session_scope
from ai_toolbox.storage.models import Department

# Joins the messages so they are pseudonymised as one text; no identifier contains it.
_SEPARATOR = "\n\n\u241e\u241e\u241e\n\n"


@dataclass
class Guarded:
    """Messages ready to send, and how to undo the pseudonyms in the reply."""

    messages: list[Message]
    mapping: dict[str, str] = field(default_factory=dict)
    withheld: int = 0  # instruction-like sentences taken out of the user's messages

    def restore(self, text: str) -> str:
        if not self.mapping:
            return text
        from ai_toolbox.text.pii import restore

        return restore(text, self.mapping)


def department_allows_remote(principal: Principal) -> bool:
    with session_scope() as s:
        dept = s.get(Department, principal.department_id)
        return bool(dept is None or dept.allow_remote_llm)


def check_allowed(principal: Principal, backend: Backend) -> None:
    """NotPermitted when the backend is remote and the caller's department forbids remote models."""
    if backend.capabilities.remote and not department_allows_remote(principal):
        raise NotPermitted(
            f"Your department does not allow remote language models, and '{backend.name}' is remote.",
            hint="Use a local backend (llamacpp), or ask a system administrator to change the department setting.",
        )


def protect(backend: Backend, messages: list[Message]) -> Guarded:
    """Withhold instruction-like text from user messages; pseudonymise them too if the backend is remote."""
    messages, withheld = _withhold_instructions(messages)
    if not backend.capabilities.remote:
        return Guarded(messages, withheld=withheld)
    try:
        from ai_toolbox.text.pii import pseudonymise
    except ImportError as exc:  # fail closed: never send unguarded text out
        raise ModelUnavailable(
            "The PII guard is not available, so nothing is sent to a remote model.",
            hint="Install the text tools (ai_toolbox.text) or use a local backend.",
        ) from exc
    joined = _SEPARATOR.join(m.content for m in messages)
    masked, mapping = pseudonymise(joined)
    parts = masked.split(_SEPARATOR)
    if len(parts) != len(messages):
        # The separator was disturbed: guard each message alone, never send the original.
        parts, mapping = [], {}
        for m in messages:
            text, one = pseudonymise(m.content)
            for pseudonym, original in one.items():
                if mapping.get(pseudonym, original) != original:
                    raise ModelUnavailable("The PII guard could not pseudonymise this conversation consistently.",
                                           hint="Send one message at a time, or use a local backend.")
                mapping[pseudonym] = original
            parts.append(text)
    guarded = [Message(role=m.role, content=p) for m, p in zip(messages, parts, strict=True)]
    return Guarded(guarded, mapping, withheld)


def _withhold_instructions(messages: list[Message]) -> tuple[list[Message], int]:
    """User messages carry the documents and passages; the system prompt is ours and stays as is."""
    out, total = [], 0
    for m in messages:
        if m.role == "user":
            content, n = withhold(m.content)
            total += n
            m = Message(role=m.role, content=content) if n else m
        out.append(m)
    return out, total
