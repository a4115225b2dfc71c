"""Customer mail: .mbox files, .eml files and folders of them, read with Python's email package.

Each mail becomes one record: its Message-ID, thread (References / In-Reply-To), date
(turned into this computer's wall-clock time, like order dates), sender, first recipient,
subject, the body as text (plain part preferred, else the HTML part turned into text),
and the body without quotes and signature for classification. Attachments are never read.
Bodies in any declared charset are decoded; an unknown or wrong charset is guessed from the
bytes (charset-normalizer) and bad bytes are replaced, never fatal.
"""

from __future__ import annotations

import email
import email.errors
import email.policy
import email.utils
import hashlib
import mailbox
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from merchant_ai.errors import BadInputError
from merchant_ai.ml.mail_text import html_to_text, strip_reply

MAIL_SUFFIXES = {".mbox", ".mbx", ".eml"}
MAX_BODY_CHARS = 20000  # a 5 MB newsletter is not a customer message; keep the store small


@dataclass
class MailSource:
    """What a mail file or folder holds: records, plus what was skipped and why."""

    path: Path
    kind: str                        # mbox | eml
    sha256: str
    records: list[dict] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    files: int = 0


def _is_mbox_bytes(head: bytes) -> bool:
    return head.startswith(b"From ")


def is_mail_source(path: str | Path) -> bool:
    """True for an .mbox/.eml file, an mbox without suffix, or a folder holding mail files."""
    path = Path(path)
    if path.is_dir():
        return any(p.suffix.lower() in MAIL_SUFFIXES for p in path.rglob("*") if p.is_file())
    if not path.is_file():
        return path.suffix.lower() in MAIL_SUFFIXES
    if path.suffix.lower() in MAIL_SUFFIXES:
        return True
    with path.open("rb") as handle:
        return _is_mbox_bytes(handle.read(5))


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(str(p.relative_to(root) if p != root else p.name).encode("utf-8") + b"\0")
        with p.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _decode(part) -> str:
    """A text part's content; charset errors are guessed around, never fatal."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError):
        payload = part.get_payload(decode=True) or b""
        from charset_normalizer import from_bytes

        best = from_bytes(payload).best()
        return str(best) if best is not None else payload.decode("cp1252", errors="replace")


def body_text(message: EmailMessage) -> str:
    """Plain text of the mail: text/plain preferred, else text/html as text; attachments skipped."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decode(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()[:MAX_BODY_CHARS]


def _clean_id(value) -> str | None:
    text = str(value or "").strip()
    return text.strip("<>").strip() or None


def _local_time(value) -> str | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)  # this computer's clock, as order dates are
    return when.strftime("%Y-%m-%d %H:%M:%S")


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name) or "")
    except (ValueError, TypeError, IndexError, AttributeError, email.errors.MessageError):
        # a malformed header: keep the mail, drop the header
        return ""


def mail_record(message: EmailMessage, source: str) -> dict | None:
    """One mail as a record, or None when it is no mail at all (no sender, no date, no text)."""
    sender_name, sender = email.utils.parseaddr(_header(message, "From"))
    recipients = email.utils.getaddresses([_header(message, "To")])
    subject = " ".join(_header(message, "Subject").split())
    try:
        body = body_text(message)
    except (KeyError, LookupError, ValueError, TypeError, AttributeError, email.errors.MessageError):
        # a body the email package cannot walk: the headers still say who and when
        body = ""
    received = _local_time(_header(message, "Date"))
    if not sender and not received and not body:
        return None
    references = [_clean_id(r) for r in _header(message, "References").split()]
    references = [r for r in references if r]
    in_reply_to = _clean_id(_header(message, "In-Reply-To").split(" ")[0]) if _header(message, "In-Reply-To") else None
    message_id = _clean_id(_header(message, "Message-ID"))
    if not message_id:  # stable across re-imports of the same mail
        key = "\x1f".join([received or "", sender, subject, body[:2000]])
        message_id = "h-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return {
        "message_id": message_id,
        "thread_id": references[0] if references else (in_reply_to or message_id),
        "in_reply_to": in_reply_to,
        "received_at": received,
        "sender_email": sender.strip().lower() or None,
        "sender_name": sender_name.strip() or None,
        "recipient_email": recipients[0][1].strip().lower() if recipients and recipients[0][1] else None,
        "subject": subject or None,
        "body": body,
        "clean_text": strip_reply(body),
        "order_ref": None,
        "source": source,
    }


def _parse_bytes(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _add(source: MailSource, raw: bytes, where: str) -> None:
    if b"\x00" in raw[:4096]:
        source.skipped.setdefault("not a mail (binary content)", []).append(where)
        return
    record = mail_record(_parse_bytes(raw), source.kind)
    if record is None:
        source.skipped.setdefault("no sender, date or text", []).append(where)
    else:
        source.records.append(record)


def read_mail(path: str | Path) -> MailSource:
    """Every mail in an .mbox file, an .eml file or a folder of them (sub-folders included)."""
    path = Path(path)
    if not path.exists():
        raise BadInputError(f"There is no file or folder at {path}.")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in MAIL_SUFFIXES) \
        if path.is_dir() else [path]
    if not files:
        raise BadInputError(f"The folder {path.name} holds no .eml or .mbox files.")
    if all(f.stat().st_size == 0 for f in files):
        raise BadInputError(f"{path.name} is empty.")
    kinds = {"eml" if f.suffix.lower() == ".eml" else "mbox" for f in files}
    source = MailSource(path=path, kind=kinds.pop() if len(kinds) == 1 else "mail",
                        sha256=_digest(files, path), files=len(files))
    for file in files:
        with file.open("rb") as handle:
            head = handle.read(4096)
        if file.suffix.lower() == ".eml":
            _add(source, file.read_bytes(), file.name)
        elif _is_mbox_bytes(head):
            box = mailbox.mbox(str(file), create=False)
            try:
                for n, key in enumerate(box.iterkeys(), start=1):
                    _add(source, box.get_bytes(key), f"{file.name} mail {n}")
            finally:
                box.close()
        else:
            source.skipped.setdefault("not an mbox file (it does not start with a 'From ' line)",
                                      []).append(file.name)
    if not source.records:
        reasons = "; ".join(f"{len(v)} {k}" for k, v in source.skipped.items())
        raise BadInputError(f"{path.name} holds no mail that could be read"
                            f"{' (' + reasons + ')' if reasons else ''}; it may be damaged.")
    return source


def now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")
