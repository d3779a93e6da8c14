"""The project's mail catcher: a real SMTP server on loopback that keeps every mail as a file.

``make run`` starts it (tools/mailcatcher start) and points the demo database's outgoing mail
server at it, so that the follow-up's mails are really sent and can be read: each mail lands as
``<time>-<n>.eml`` in the folder given (``.run/mail/`` for ``make run``), exactly as Odoo handed
it over (headers, German text, PDF attachments). Nothing leaves the machine.

    python tools/mailcatcher.py serve --port 55025 --dir .run/mail
"""

import argparse
import itertools
import signal
import threading
import time
from datetime import datetime
from pathlib import Path

from aiosmtpd.controller import Controller


class Store:
    """aiosmtpd handler: writes each message to its own .eml file, atomically."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-{next(self.counter):05d}.eml"
        partial = self.folder / f".{name}.part"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        partial.write_bytes(content)
        partial.rename(self.folder / name)
        return "250 Message accepted for delivery"


def serve(host, port, folder, ready=None):
    controller = Controller(Store(folder), hostname=host, port=port)
    controller.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_args: stop.set())
    if ready:
        Path(ready).write_text(str(port))
    try:
        while not stop.is_set():
            time.sleep(0.2)
    finally:
        controller.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True, help="folder the .eml files are written to")
    parser.add_argument("--ready", help="file written once the server accepts connections")
    args = parser.parse_args()
    serve(args.host, args.port, args.dir, args.ready)


if __name__ == "__main__":
    main()
