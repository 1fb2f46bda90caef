"""The e-platform's library: documents, maps and videos that municipalities share.

This first piece checks what is uploaded and keeps the files: :func:`check_upload` decides a
file's type from its content (never from its name) and applies the size limit of its kind;
:class:`FileStore` keeps the accepted bytes under their SHA-256, written atomically, so nothing
half-uploaded is ever listed. Metadata, publishing and roles (in the suite's store) come next.
"""

from .checks import KINDS, LIMITS_MB, Upload, UploadError, check_upload, sniff
from .filestore import FileStore

__all__ = ["KINDS", "LIMITS_MB", "FileStore", "Upload", "UploadError", "check_upload", "sniff"]
