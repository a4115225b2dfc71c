"""Mail bodies as text: HTML turned into text safely, quotes and signatures found.

HTML mail is read with the standard library's HTML parser into plain text: scripts, styles
and the head are dropped, images and links keep only their words, and nothing is ever
fetched (no remote image, font or style sheet is loaded: there is no network code here).

`strip_reply` keeps what the customer wrote in THIS message: quoted lines (">"), the
"On ... wrote:" / "-----Original Message-----" / Outlook "From: ... Sent:" block and all
below it, and the signature (after "-- " or a "Sent from my phone" line) are cut. The full
body is stored too, for display.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
               "section", "article", "header", "footer", "ul", "ol", "hr"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "blockquote":
            self.quote_depth += 1
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n" + ("- " if tag == "li" else ""))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.quote_depth:  # quoted history in HTML replies: mark it like plain-text quotes
            data = "\n".join("> " + line if line.strip() else line for line in data.split("\n"))
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML mail body (blank lines collapsed); never loads anything."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
    except (AssertionError, ValueError, TypeError):  # a broken document still has words worth keeping
        text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_REPLY_HEADERS = [
    re.compile(r"^\s*on\b.{0,200}\bwrote:\s*$", re.IGNORECASE | re.DOTALL),          # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*-{2,}\s*original message\s*-{2,}", re.IGNORECASE),          # Outlook, older clients
    re.compile(r"^\s*-{2,}\s*forwarded message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^\s*_{10,}\s*$"),                                      # Outlook web separator
    re.compile(r"^\s*le\b.{0,200}\ba écrit\s*:\s*$", re.IGNORECASE | re.DOTALL),      # French
    re.compile(r"^\s*am\b.{0,200}\bschrieb\b.{0,100}:\s*$", re.IGNORECASE | re.DOTALL),  # German
    re.compile(r"^\s*在.{0,200}写道[:：]\s*$", re.DOTALL),                    # Chinese
]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|von|de|发件人)\s*[:：]", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(sent|date|gesendet|envoyé|发送时间|to|subject)\s*[:：]", re.IGNORECASE)
_SIGNATURE = [
    re.compile(r"^--\s*$"),
    re.compile(r"^\s*(sent from my|sent from mail for|get outlook for|envoyé de mon|von meinem)\b", re.IGNORECASE),
    re.compile(r"^\s*发自我的"),
]


def strip_reply(text: str) -> str:
    """What the sender wrote in this message, without quoted history or signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        two = line + " " + (lines[i + 1] if i + 1 < len(lines) else "")
        if any(p.match(line) for p in _REPLY_HEADERS) or (
                # "On Mon, 3 Jun 2024 at 10:00, Shop <shop@example.com>\nwrote:" wraps over two lines
                line.strip().lower().startswith("on ") and _REPLY_HEADERS[0].match(two)):
            break
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(n) for n in lines[i + 1:i + 4]):
            break
        if any(p.match(line) for p in _SIGNATURE):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    result = "\n".join(kept).strip()
    return result or text.strip()  # a mail that is all quote: classify what there is
