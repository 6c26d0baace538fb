"""What the slixmpp peers of this directory share: the JSON line they
print, a client that logs in, sends its presence and reports
{"ready": true}, and a main() that parses the flags JsonLinePeer passes
(--jid, --password, --port, --ca-file, plus the peer's own), logs in over
TLS trusting the test CA and runs until disconnected."""
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
    on_ready runs after the initial presence (both for subclasses)."""

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


def run(peer_class, add_arguments=None):
    """Runs peer_class(args) until it disconnects; add_arguments(parser)
    adds the peer's own flags."""
    parser = argparse.ArgumentParser()
    for name in ("--jid", "--password", "--ca-file"):
        parser.add_argument(name, required=True)
    parser.add_argument("--port", type=int, required=True)
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    peer = peer_class(args)
    peer.ssl_context = ssl.create_default_context(cafile=args.ca_file)
    peer.connect(("127.0.0.1", args.port))
    peer.loop.run_until_complete(peer.disconnected)
    return 0
