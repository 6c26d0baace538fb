#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) for XEP-0080 locations in
messages.

Logs in as --jid and prints one JSON object per line. When a chat message
with a <geoloc/> arrives it reports what slixmpp's own xep_0080 stanza
reads of it: {"geoloc": {"lat": ..., "lon": ..., "description": ...},
"body": ...}. Then it answers with a location of its own the way a plain
XMPP client does, a chat message without a body holding only a geoloc
(--lat, --lon, --description, plus a locality timd does not keep), and
reports {"sent": true}. slixmpp 1.8.3's Geoloc stanza misspells the
description interface ("dscription"), so the peer reads and writes
<description/> in the stanza XML; lat and lon go through the plugin.
"""
import sys

from slixmpp import Message
from slixmpp.plugins.xep_0080.stanza import Geoloc
from slixmpp.xmlstream import ET, register_stanza_plugin

from peer_common import JsonLineClient, emit, run


class Peer(JsonLineClient):
    def __init__(self, args):
        super().__init__(args, "geoloc-peer")
        self.answered = False
        self.register_plugin("xep_0080")
        # xep_0080 only handles PEP; a location in a message is the same stanza.
        register_stanza_plugin(Message, Geoloc)

    def on_message(self, message):
        if message["type"] != "chat" or message.xml.find("{%s}geoloc" % Geoloc.namespace) is None:
            return
        geoloc = message["geoloc"]
        description = geoloc.xml.findtext("{%s}description" % Geoloc.namespace) or ""
        emit(geoloc={"lat": geoloc["lat"], "lon": geoloc["lon"], "description": description}, body=message["body"])
        if self.answered:
            return
        self.answered = True
        answer = self.make_message(mto=message["from"].bare, mtype="chat")
        answer["geoloc"]["lat"] = self.args.lat
        answer["geoloc"]["lon"] = self.args.lon
        ET.SubElement(answer["geoloc"].xml, "{%s}description" % Geoloc.namespace).text = self.args.description
        answer["geoloc"]["locality"] = "somewhere"
        answer.send()
        emit(sent=True)


def add_arguments(parser):
    parser.add_argument("--lat", type=float, required=True)
    parser.add_argument("--lon", type=float, required=True)
    parser.add_argument("--description", required=True)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
