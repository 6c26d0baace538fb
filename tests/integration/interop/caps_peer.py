#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) for timd's XEP-0030/0115 tests.

It logs in as another resource of timd's own account (own resources see each
other's presence without a roster) and prints one JSON object per line:

  inspect: waits for the presence of the resource --timd-resource, checks
           its <c/> with slixmpp's xep_0115 verification string, and prints
           timd's disco#info and disco#items answers.
  good:    announces caps whose ver is the true hash of its node's disco#info.
  bad:     announces caps whose ver is not (the node answers the same info).
           Both print {"ready": ver} and then {"queried": node} when asked.
  send:    sends one chat message (--to, --body) and prints {"sent": body}.
"""
import asyncio
import base64
import hashlib
import sys

from slixmpp import ClientXMPP
from slixmpp.plugins.xep_0030.stanza import DiscoInfo
from slixmpp.xmlstream import ET

from peer_common import emit, run

CAPS_NS = "http://jabber.org/protocol/caps"
PEER_NODE = "urn:x-test:caps-peer"
PEER_FEATURES = ["http://jabber.org/protocol/disco#info", "urn:xmpp:receipts", "urn:xmpp:chat-markers:0"]


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid + "/" + args.resource, args.password)
        self.args = args
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0004")
        self.register_plugin("xep_0115")
        self["xep_0115"].broadcast = False  # presence is built by hand below
        self.timd_presence = asyncio.Future()
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("presence_available", self.on_presence)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))

    def fail(self, why):
        emit(error=why)
        self.disconnect()

    def on_presence(self, presence):
        if presence["from"].resource == self.args.timd_resource and not self.timd_presence.done():
            self.timd_presence.set_result(presence)

    async def start(self, _):
        try:
            await getattr(self, "run_" + self.args.mode)()
        except Exception as error:  # reported to the test, which fails on it
            emit(error=repr(error))
        self.disconnect()

    async def run_inspect(self):
        self.send_presence()
        presence = await asyncio.wait_for(self.timd_presence, self.args.timeout)
        caps = presence.xml.find("{%s}c" % CAPS_NS)
        if caps is None:
            return emit(error="timd's presence carries no caps")
        full = presence["from"]
        info = await self["xep_0030"].get_info(jid=full, node=caps.get("node") + "#" + caps.get("ver"))
        plain = await self["xep_0030"].get_info(jid=full)
        items = await self["xep_0030"].get_items(jid=full)
        disco = info["disco_info"]
        emit(presence_caps=dict(caps.attrib),
             identities=["/".join(part or "" for part in i) for i in disco["identities"]],
             features=sorted(disco["features"]),
             answer_node=disco["node"],
             same_without_node=sorted(plain["disco_info"]["features"]) == sorted(disco["features"]),
             items=len(items["disco_items"]["items"]),
             verified_ver=self["xep_0115"].generate_verstring(disco, caps.get("hash")))

    async def run_send(self):
        self.send_message(mto=self.args.to, mbody=self.args.body, mtype="chat")
        emit(sent=self.args.body)
        await asyncio.sleep(self.args.linger)

    async def run_good(self):
        await self.announce(lambda info: self["xep_0115"].generate_verstring(info, "sha-1"))

    async def run_bad(self):
        # A well-formed SHA-1 in base64 that is not the hash of the info.
        await self.announce(lambda _: base64.b64encode(hashlib.sha1(b"not the info").digest()).decode())

    async def announce(self, make_ver):
        info = DiscoInfo()
        info.add_identity("client", "pc", name="caps-peer")
        for feature in PEER_FEATURES:
            info.add_feature(feature)
        ver = make_ver(info)
        node = PEER_NODE + "#" + ver
        disco = self["xep_0030"]
        disco.add_identity(category="client", itype="pc", name="caps-peer", node=node)
        for feature in PEER_FEATURES:
            disco.add_feature(feature, node=node)
        queried = asyncio.Future()

        def on_info(iq):
            if iq["disco_info"]["node"] == node and not queried.done():
                queried.set_result(node)
        self.register_handler_for_info(on_info)
        presence = self.make_presence()
        c = ET.Element("{%s}c" % CAPS_NS, {"hash": "sha-1", "node": PEER_NODE, "ver": ver})
        presence.append(c)
        presence.send()
        emit(ready=ver)
        try:
            emit(queried=await asyncio.wait_for(queried, self.args.timeout))
        except asyncio.TimeoutError:
            emit(queried=None)
        await asyncio.sleep(self.args.linger)

    def register_handler_for_info(self, on_info):
        from slixmpp.xmlstream.handler import Callback
        from slixmpp.xmlstream.matcher import MatchXPath
        self.register_handler(Callback(
            "caps peer: disco#info seen",
            MatchXPath("{jabber:client}iq/{http://jabber.org/protocol/disco#info}query"),
            on_info))


def add_arguments(parser):
    parser.add_argument("--resource", default="caps-peer")
    parser.add_argument("--mode", choices=["inspect", "good", "bad", "send"], required=True)
    parser.add_argument("--timd-resource", default="")
    parser.add_argument("--to", default="")
    parser.add_argument("--body", default="")
    parser.add_argument("--timeout", type=float, default=15)
    parser.add_argument("--linger", type=float, default=1)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
