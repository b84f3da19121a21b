"""SMTP sink for the smoke test: accepts every message on port 25 and lists them as JSON on
port 8025 (GET /messages), so the test can count what the worker sent."""

import json
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict[str, object]] = []
LOCK = threading.Lock()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        with LOCK:
            MESSAGES.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "subject": str(message["subject"] or ""),
                    "message_id": str(message["message-id"] or ""),
                    "body": body.get_content() if body is not None else "",
                }
            )
        return "250 Message accepted for delivery"


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        with LOCK:
            payload = json.dumps(MESSAGES).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


controller = Controller(Handler(), hostname="0.0.0.0", port=25)
controller.start()
print("SMTP sink on :25, messages on :8025/messages", flush=True)
ThreadingHTTPServer(("0.0.0.0", 8025), Api).serve_forever()
