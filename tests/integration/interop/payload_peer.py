#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) for timd's message payload modules.

Logs in as --jid and prints one JSON object per line. When timd sends it a
chat message, the peer answers with what slixmpp's own plugins build:

  a chat message "original" (id --original-id) asking for a receipt
  (xep_0184) and markable (xep_0333), a <displayed/> marker for timd's
  message (xep_0333), a delivery receipt for it (xep_0184 ack), a
  retraction of "original" (xep_0424: Debian 12's slixmpp 1.8.3 only knows
  the older urn:xmpp:message-retract:0 form) and a correction of
  "original" (xep_0308).

With --second-id it also sends a chat message "second" under that id and
corrects that one instead of "original"; with --early-id it first
retracts the id, then sends a message "retracted early" under it (the
retraction arrives before its message). With --spoof-to it does none of
this: it retracts --spoof-id in a message to --spoof-to (a message it never
sent), then sends that JID a chat message "after spoof", and reports
{"spoofed": id}.

Then it reports what slixmpp parsed of timd's own payloads: {"receipt": id}
(xep_0184), {"marker": kind, "id": id} (xep_0333), {"correction": id,
"body": ...} (xep_0308), and {"retract": id} for the current
urn:xmpp:message-retract:1 form, which slixmpp 1.8.3's xep_0424 plugin
does not parse: the script reads that one from the stanza XML, with the
XEP-0428 fallback and XEP-0334 store hint it carries.
"""
import sys

from slixmpp import ClientXMPP

from peer_common import emit, run

RETRACT_NS = "urn:xmpp:message-retract:1"
FALLBACK_NS = "urn:xmpp:fallback:0"
HINTS_NS = "urn:xmpp:hints"


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid + "/payload-peer", args.password)
        self.args = args
        self.answered = False
        for plugin in ("xep_0030", "xep_0184", "xep_0333", "xep_0308", "xep_0334", "xep_0359", "xep_0422",
                       "xep_0424", "xep_0428"):
            self.register_plugin(plugin)
        self["xep_0184"].auto_ack = False  # receipts are sent below, in a known order
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("receipt_received", lambda m: emit(receipt=m["receipt"]))
        self.add_event_handler("marker", self.on_marker)
        self.add_event_handler("message_correction", self.on_correction)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))

    def fail(self, why):
        emit(error=why)
        self.disconnect()

    def start(self, _):
        self.send_presence()
        if self.args.spoof_to:
            self["xep_0424"].send_retraction(self.args.spoof_to, self.args.spoof_id)
            self.make_message(mto=self.args.spoof_to, mbody="after spoof", mtype="chat").send()
            emit(spoofed=self.args.spoof_id)
            return
        emit(ready=True)

    def on_marker(self, message):
        for kind in ("received", "displayed", "acknowledged"):
            marker = message.xml.find("{urn:xmpp:chat-markers:0}" + kind)
            if marker is not None:
                emit(marker=kind, id=message[kind]["id"], from_=str(message["from"].bare))

    def on_correction(self, message):
        emit(correction=message["replace"]["id"], body=message["body"], id=message["id"])

    def on_message(self, message):
        retract = message.xml.find("{%s}retract" % RETRACT_NS)
        if retract is not None:
            fallback = message.xml.find("{%s}fallback" % FALLBACK_NS)
            emit(retract=retract.get("id"), fallback_for=fallback.get("for") if fallback is not None else None,
                 store=message.xml.find("{%s}store" % HINTS_NS) is not None, has_body=bool(message["body"]))
            return
        if self.answered or message["type"] != "chat" or not message["body"] or message["replace"]["id"]:
            return
        self.answered = True
        self.answer(message)

    def answer(self, theirs):
        to = theirs["from"]
        original = self.make_message(mto=to, mbody="original", mtype="chat")
        original["id"] = self.args.original_id
        original["request_receipt"] = True
        original.enable("markable")
        original.send()
        if self.args.second_id:
            second = self.make_message(mto=to, mbody="second", mtype="chat")
            second["id"] = self.args.second_id
            second.send()
        if self.args.early_id:
            self["xep_0424"].send_retraction(to, self.args.early_id)
            early = self.make_message(mto=to, mbody="retracted early", mtype="chat")
            early["id"] = self.args.early_id
            early.send()
        self["xep_0333"].send_marker(to, theirs["id"], "displayed")
        self["xep_0184"].ack(theirs)
        self["xep_0424"].send_retraction(to, self.args.original_id)
        correction = self.make_message(mto=to, mbody="corrected", mtype="chat")
        correction["replace"]["id"] = self.args.second_id or self.args.original_id
        correction.send()
        emit(answered=theirs["id"])


def add_arguments(parser):
    parser.add_argument("--original-id", default="peer-original")
    parser.add_argument("--second-id", default="")
    parser.add_argument("--early-id", default="")
    parser.add_argument("--spoof-to", default="")
    parser.add_argument("--spoof-id", default="")


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
