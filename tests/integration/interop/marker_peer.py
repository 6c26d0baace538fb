#!/usr/bin/python3
"""A python3-slixmpp peer that sends one XEP-0333 <displayed/> marker.

Logs in as --jid, sends a displayed marker for --marked-id to --to (type
chat, with slixmpp's xep_0333 stanza plugin, so that the server's carbons
copy it to the account's other devices), then a chat message --then-text to the same
address (a timd test sees that message arrive after the marker, as the
server keeps their order), prints {"sent": true} and disconnects.
"""
import sys

from slixmpp import ClientXMPP

from peer_common import emit, run


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid + "/marker-peer", args.password)
        self.args = args
        self.register_plugin("xep_0333")
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("failed_auth", lambda _: self.disconnect())

    def start(self, _):
        self.send_presence()
        marker = self.make_message(mto=self.args.to, mtype="chat")
        marker["displayed"]["id"] = self.args.marked_id
        marker.send()
        self.make_message(mto=self.args.to, mbody=self.args.then_text, mtype="chat").send()
        emit(sent=True)
        self.disconnect()


def add_arguments(parser):
    for name in ("--to", "--marked-id", "--then-text"):
        parser.add_argument(name, required=True)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
