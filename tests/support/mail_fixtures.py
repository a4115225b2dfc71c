"""Mail written by the tests: multipart with attachments, HTML-only, legacy charsets, replies."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path


def multipart_with_attachment() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Anna Berg <anna@example.com>"
    msg["To"] = "shop@candles.example"
    msg["Subject"] = "Where is my order #1042?"
    msg["Date"] = "Mon, 03 Jun 2024 10:15:00 +0200"
    msg["Message-ID"] = "<m1@example.com>"
    msg.set_content("Hi, my order #1042 has not arrived yet. Where is it?\n\n-- \nAnna Berg\n+44 1234")
    msg.add_alternative("<p>Hi, my order <b>#1042</b> has not arrived yet.</p>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 secret invoice text", maintype="application", subtype="pdf",
                       filename="invoice.pdf")
    return msg.as_bytes()


def html_only() -> bytes:
    msg = MIMEText("<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
                   "<body><p>The vase arrived <b>broken</b>.</p><img src='https://tracker.example/pixel.gif'"
                   " alt='photo'><p>Can I get a refund?</p></body></html>", "html", "utf-8")
    msg["From"] = "bob@example.com"
    msg["To"] = "shop@candles.example"
    msg["Subject"] = "Broken vase"
    msg["Date"] = "Tue, 04 Jun 2024 09:00:00 +0000"
    msg["Message-ID"] = "<m2@example.com>"
    return msg.as_bytes()


def latin1() -> bytes:
    msg = MIMEText("Bonjour, le café est arrivé cassé. Merci.", "plain", "iso-8859-1")
    msg["From"] = "=?iso-8859-1?q?Ren=E9e?= <renee@example.fr>"
    msg["Subject"] = "=?iso-8859-1?q?Caf=E9?="
    msg["Date"] = "Wed, 05 Jun 2024 12:00:00 +0100"
    msg["Message-ID"] = "<m3@example.com>"
    return msg.as_bytes()


def gb2312() -> bytes:
    msg = MIMEText("你好，我的订单还没有到。", "plain", "gb2312")
    msg["From"] = "li@example.cn"
    msg["Subject"] = "订单"
    msg["Date"] = "Thu, 06 Jun 2024 08:00:00 +0800"
    msg["Message-ID"] = "<m4@example.com>"
    return msg.as_bytes()


def unknown_charset() -> bytes:
    body = "Die Tasse ist kaputt angekommen, schöne Grüße".encode("cp1252")
    raw = (b"From: karl@example.de\r\nSubject: Tasse\r\nDate: Fri, 07 Jun 2024 08:00:00 +0200\r\n"
           b"Message-ID: <m5@example.com>\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n")
    return raw


def reply_to_first() -> bytes:
    outer = MIMEMultipart("mixed")
    outer["From"] = "Anna Berg <anna@example.com>"
    outer["To"] = "shop@candles.example"
    outer["Subject"] = "Re: Where is my order #1042?"
    outer["Date"] = "Thu, 06 Jun 2024 18:00:00 +0200"
    outer["Message-ID"] = "<m6@example.com>"
    outer["In-Reply-To"] = "<shop-reply@candles.example>"
    outer["References"] = "<m1@example.com> <shop-reply@candles.example>"
    outer.attach(MIMEText("Still nothing, this is getting late!\n\nOn Tue, 4 Jun 2024 at 09:00, Shop "
                          "<shop@candles.example> wrote:\n> We are looking into it.\n> Best, the shop\n", "plain"))
    outer.attach(MIMEApplication(b"\x89PNG fake", Name="photo.png"))
    return outer.as_bytes()


ALL = [multipart_with_attachment, html_only, latin1, gb2312, unknown_charset, reply_to_first]


def write_mbox(path: Path, makers=ALL) -> Path:
    box = mailbox.mbox(str(path))
    for make in makers:
        box.add(make())
    box.flush()
    box.close()
    return path


def write_eml_folder(folder: Path, makers=ALL) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, make in enumerate(makers):
        (folder / f"mail{i}.eml").write_bytes(make())
    return folder
