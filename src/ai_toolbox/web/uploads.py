"""Reading uploaded files in pages: size limit and empty files, as errors a user can act on."""

from __future__ import annotations

from fastapi import UploadFile

from ai_toolbox.config import get_settings
from ai_toolbox.errors import InvalidInput, TooLarge

CHUNK = 1024 * 1024


async def read_upload(upload: UploadFile | None) -> tuple[bytes, str]:
    """The file's bytes and name; refuses a missing, empty or too-large file."""
    if upload is None or not upload.filename:
        raise InvalidInput("Choose a file to upload.", hint="Use the file field, then press the button again.")
    limit = get_settings().max_upload_mb * 1024 * 1024
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The file is larger than the {get_settings().max_upload_mb} MB limit.",
                           hint="Split the file into smaller parts, or ask the administrator to raise the limit.")
        parts.append(chunk)
    if size == 0:
        raise InvalidInput(f"The file {upload.filename} is empty.", hint="Check that you chose the right file.")
    return b"".join(parts), upload.filename
