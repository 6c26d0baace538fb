#!/usr/bin/python3
"""A python3-slixmpp peer that sends one XEP-0333 <displayed/> marker.

Logs in as --jid, sends a displayed marker for --marked-id to --to (type
chat, with slixmpp's xep_0333 stanza plugin, so that the server's carbons
copy it to the account's other devices), then a chat message --then-text to the same
address (a timd test sees that message arrive after the marker, as the
server keeps their order), prints {"sent": true} and disconnects.
"""
import argparse
import json
import logging
import ssl
import sys

from slixmpp import ClientXMPP


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
        print(json.dumps({"sent": True}), flush=True)
        self.disconnect()


def main():
    parser = argparse.ArgumentParser()
    for name in ("--jid", "--password", "--ca-file", "--to", "--marked-id", "--then-text"):
        parser.add_argument(name, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    peer = Peer(args)
    peer.ssl_context = ssl.create_default_context(cafile=args.ca_file)
    peer.connect(("127.0.0.1", args.port))
    peer.loop.run_until_complete(peer.disconnected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
