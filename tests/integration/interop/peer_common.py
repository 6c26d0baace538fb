"""What the python3-slixmpp peers of timd's interop tests share.

Each peer is a slixmpp ClientXMPP subclass taking the parsed arguments
(JsonLineClient is a ready-made base); it reports to the test one JSON
object per line on stdout (emit) and logs to stderr. run() parses the
common arguments (--jid, --password, --port, --ca-file) plus the peer's
own, logs in over STARTTLS on 127.0.0.1 trusting the fixture's CA, and
returns when the peer disconnects. upload() puts a file on the server's
XEP-0363 service.
"""
import argparse
import json
import logging
import ssl
import sys
import urllib.request
import xml.etree.ElementTree as ET

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


UPLOAD_NS = "urn:xmpp:http:upload:0"


async def upload(client, upload_jid, https, filename, data, content_type):
    """Uploads `data` through XEP-0363 and returns its GET URL: a slot by a
    raw IQ (Debian's slixmpp lacks aiohttp, which its xep_0363 plugin
    needs), then an HTTP PUT with urllib trusting the `https` context."""
    iq = client.make_iq_get(ito=upload_jid)
    iq.append(ET.Element("{%s}request" % UPLOAD_NS,
                         {"filename": filename, "size": str(len(data)), "content-type": content_type}))
    slot = (await iq.send()).xml.find("{%s}slot" % UPLOAD_NS)
    put = slot.find("{%s}put" % UPLOAD_NS)
    headers = {h.get("name"): h.text for h in put.findall("{%s}header" % UPLOAD_NS)}
    headers["Content-Type"] = content_type
    urllib.request.urlopen(urllib.request.Request(put.get("url"), data=data, headers=headers, method="PUT"),
                           context=https).read()
    return slot.find("{%s}get" % UPLOAD_NS).get("url")


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
