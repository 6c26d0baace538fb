#!/usr/bin/python3
"""A python3-slixmpp peer for timd's XEP-0184 delivery receipts.

Logs in as --jid with slixmpp's xep_0184 plugin, whose auto-ack answers
every message asking for a receipt, prints {"ready": true} and then
{"got": body} for each chat message it receives (after slixmpp acked it).

With --forge-to and --forge-id it then sends --forge-to a receipt for
--forge-id (a message it never received), then a chat message "after
forged receipt" (a timd test sees it arrive after the receipt, as the
server keeps their order), prints {"forged": id} and disconnects.

With --send-to and --send-id it then sends --send-to a chat message "from
another device" under that id asking for a receipt, and prints
{"receipt": id} when the receipt arrives.
"""
import sys

from peer_common import JsonLineClient, emit, run


class Peer(JsonLineClient):
    def __init__(self, args):
        super().__init__(args, "receipt-peer")
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0184")  # auto_ack: on by default

    async def on_ready(self):
        if self.args.send_to:
            self.add_event_handler("receipt_received", lambda m: emit(receipt=m["receipt"]))
            message = self.make_message(mto=self.args.send_to, mbody="from another device", mtype="chat")
            message["id"] = self.args.send_id
            message["request_receipt"] = True
            message.send()
        if not self.args.forge_to:
            return
        receipt = self.make_message(mto=self.args.forge_to, mtype="chat")
        receipt["receipt"] = self.args.forge_id
        receipt.send()
        self.make_message(mto=self.args.forge_to, mbody="after forged receipt", mtype="chat").send()
        emit(forged=self.args.forge_id)
        self.disconnect()

    def on_message(self, message):
        if message["type"] in ("chat", "normal") and message["body"]:
            emit(got=message["body"])


def add_arguments(parser):
    parser.add_argument("--forge-to", default="")
    parser.add_argument("--forge-id", default="")
    parser.add_argument("--send-to", default="")
    parser.add_argument("--send-id", default="")


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
