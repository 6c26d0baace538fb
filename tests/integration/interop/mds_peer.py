#!/usr/bin/python3
"""A python3-slixmpp peer as another device of the same account, for
XEP-0490 (Message Displayed Synchronization, urn:xmpp:mds:displayed:0).

Logs in as --jid/phone, advertises the node's "+notify" (xep_0163, so the
server sends it the account's notifications) and prints {"ready": true}.
For each chat message with a body it prints {"received": body,
"stanza_id": id}, the XEP-0359 stanza-id our server gave it (by = own bare
JID). When the body is one of --read-bodies (comma-separated) it publishes
that stanza-id as the sender's read position, with the publish-options of
XEP-0490, and prints {"published": id} or {"publish_error": condition}.
Each notification of the node prints {"position": chat JID, "stanza_id": id}.
Runs until killed.
"""
import sys
import xml.etree.ElementTree as ET

from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from peer_common import emit, run

MDS_NS = "urn:xmpp:mds:displayed:0"
SID_NS = "urn:xmpp:sid:0"
EVENT_NS = "http://jabber.org/protocol/pubsub#event"


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid + "/phone", args.password)
        self.args = args
        self.read_bodies = set(args.read_bodies.split(",")) if args.read_bodies else set()
        for plugin in ("xep_0030", "xep_0004", "xep_0060", "xep_0115", "xep_0163"):
            self.register_plugin(plugin)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("failed_auth", lambda _: self.disconnect())
        self.add_event_handler("message", self.on_message)
        self.register_handler(Callback(
            "mds peer: pubsub event",
            MatchXPath("{jabber:client}message/{%s}event" % EVENT_NS),
            self.on_event))

    async def start(self, _):
        self["xep_0163"].add_interest(MDS_NS)
        # The presence must carry the caps with "+notify" for the server to
        # send this device the node's notifications.
        await self["xep_0115"].update_caps(broadcast=False)
        self.send_presence()
        emit(ready=True)

    def own_stanza_id(self, msg):
        for sid in msg.xml.findall("{%s}stanza-id" % SID_NS):
            if sid.get("by") == self.boundjid.bare:
                return sid.get("id")
        return ""

    async def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        stanza_id = self.own_stanza_id(msg)
        emit(received=msg["body"], stanza_id=stanza_id)
        if msg["body"] in self.read_bodies:
            await self.publish(msg["from"].bare, stanza_id)

    async def publish(self, chat, stanza_id):
        displayed = ET.Element("{%s}displayed" % MDS_NS)
        ET.SubElement(displayed, "{%s}stanza-id" % SID_NS, {"id": stanza_id, "by": self.boundjid.bare})
        form = self["xep_0004"].make_form(ftype="submit")
        form.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/pubsub#publish-options")
        form.add_field(var="pubsub#persist_items", value="true")
        form.add_field(var="pubsub#max_items", value="max")
        form.add_field(var="pubsub#send_last_published_item", value="never")
        form.add_field(var="pubsub#access_model", value="whitelist")
        try:
            await self["xep_0060"].publish(None, MDS_NS, id=chat, payload=displayed, options=form)
            emit(published=stanza_id)
        except IqError as error:
            emit(publish_error=error.condition)

    def on_event(self, msg):
        items = msg.xml.find("{%s}event/{%s}items" % (EVENT_NS, EVENT_NS))
        if items is None or items.get("node") != MDS_NS:
            return
        for item in items.findall("{%s}item" % EVENT_NS):
            sid = item.find("{%s}displayed/{%s}stanza-id" % (MDS_NS, SID_NS))
            emit(position=item.get("id"), stanza_id=sid.get("id") if sid is not None else "")


def add_arguments(parser):
    parser.add_argument("--read-bodies", default="")


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
