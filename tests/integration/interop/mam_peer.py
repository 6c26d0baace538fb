#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) that shows what the server
kept of a conversation.

Logs in as --jid, sends its initial presence and prints one JSON object per
line: {"received": body, "no_store": bool, "delayed": bool} for each chat
message that arrives within --settle seconds (offline storage is delivered
after the presence), then asks the server's archive (XEP-0313, a raw query
filtered on --with) and reports {"archived": [bodies]}, and disconnects.
"""
import asyncio
import sys

from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from peer_common import JsonLineClient, emit, run

MAM_NS = "urn:xmpp:mam:2"
HINTS_NS = "urn:xmpp:hints"
CLIENT_NS = "jabber:client"


class Peer(JsonLineClient):
    def __init__(self, args):
        super().__init__(args, "mam-peer")
        self.archived = []
        # Archive results are not chat messages: slixmpp's message event skips them.
        self.register_handler(Callback("mam result", MatchXPath("{%s}message/{%s}result" % (CLIENT_NS, MAM_NS)),
                                       self.on_result))

    def on_result(self, message):
        body = message.xml.find(".//{%s}message/{%s}body" % (CLIENT_NS, CLIENT_NS))
        if body is not None:
            self.archived.append(body.text or "")

    def on_message(self, message):
        if message.xml.find("{%s}result" % MAM_NS) is not None:
            return
        if message["type"] in ("chat", "headline") and message["body"]:
            no_store = any(message.xml.find("{%s}%s" % (HINTS_NS, hint)) is not None
                           for hint in ("no-store", "no-permanent-store"))
            delayed = message.xml.find("{urn:xmpp:delay}delay") is not None
            emit(received=message["body"], no_store=no_store, delayed=delayed)

    async def on_ready(self):
        await asyncio.sleep(self.args.settle)
        iq = self.make_iq_set()
        query = ET.SubElement(iq.xml, "{%s}query" % MAM_NS)
        form = ET.SubElement(query, "{jabber:x:data}x", {"type": "submit"})
        for var, value in (("FORM_TYPE", MAM_NS), ("with", self.args.with_jid)):
            field = ET.SubElement(form, "{jabber:x:data}field", {"var": var})
            ET.SubElement(field, "{jabber:x:data}value").text = value
        await iq.send()  # every <result/> arrives before the answer
        emit(archived=self.archived)
        self.disconnect()


def add_arguments(parser):
    parser.add_argument("--with", dest="with_jid", required=True)
    parser.add_argument("--settle", type=float, default=1.5)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
