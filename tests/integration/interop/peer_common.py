"""What the python3-slixmpp peers of timd's interop tests share.

Each peer is a slixmpp ClientXMPP subclass taking the parsed arguments
(JsonLineClient is a ready-made base); it reports to the test one JSON
object per line on stdout (emit) and logs to stderr. run() parses the
common arguments (--jid, --password, --port, --ca-file) plus the peer's
own, logs in over STARTTLS on 127.0.0.1 trusting the fixture's CA, and
returns when the peer disconnects.
"""
import argparse
import json
import logging
import ssl
import sys

from slixmpp import ClientXMPP


def emit(**fields):
    print(json.dumps(fields), flush=True)


class JsonLineClient(ClientXMPP):
    """Logs in as args.jid/resource; on_message gets every message and
    on_ready runs after the initial presence and {"ready": true} (both for
    subclasses)."""

    def __init__(self, args, resource):
        super().__init__(args.jid + "/" + resource, args.password)
        self.args = args
        self.add_event_handler("session_start", self._start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: emit(error="authentication failed"))

    async def _start(self, _):
        self.send_presence()
        emit(ready=True)
        await self.on_ready()

    def on_message(self, message):
        pass

    async def on_ready(self):
        pass


def run(peer_class, add_arguments=lambda parser: None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca-file", required=True)
    add_arguments(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    peer = peer_class(args)
    peer.ssl_context = ssl.create_default_context(cafile=args.ca_file)
    peer.connect(("127.0.0.1", args.port))
    peer.loop.run_until_complete(peer.disconnected)
    return 0
