#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) for files: XEP-0066 OOB and
XEP-0363 HTTP File Upload.

Logs in as --jid and prints one JSON object per line. When a chat message
with an OOB URL arrives it fetches the URL over HTTPS (trusting --ca-file)
and reports {"oob": url, "body": ..., "size": n, "sha256": hex,
"sfs_name": ..., "sfs_size": ..., "sfs_hash": base64} (the XEP-0447 /
XEP-0446 metadata, read from the stanza XML: slixmpp 1.8.3 has no plugin
for them). Then it sends a file of its own back, the way plain XMPP
clients do: an XEP-0363 upload to --upload-jid (peer_common.upload) and a
chat message whose body is the GET URL with an OOB element
(xep_0066). It reports {"sent_url": url, "sha256": hex, "name": ...}.
"""
import hashlib
import ssl
import sys
import urllib.request

from slixmpp import ClientXMPP

from peer_common import emit, run, upload

SFS_NS = "urn:xmpp:sfs:0"
META_NS = "urn:xmpp:file:metadata:0"
HASH_NS = "urn:xmpp:hashes:2"
OWN_FILE = b"slixmpp's own bytes\n" * 1000


class Peer(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid + "/file-peer", args.password)
        self.args = args
        self.https = ssl.create_default_context(cafile=args.ca_file)
        self.answered = False
        for plugin in ("xep_0030", "xep_0066"):
            self.register_plugin(plugin)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: emit(error="authentication failed"))

    def start(self, _):
        self.send_presence()
        emit(ready=True)

    def metadata(self, message):
        meta = message.xml.find("{%s}file-sharing/{%s}file" % (SFS_NS, META_NS))
        if meta is None:
            return {}
        text = lambda name: (meta.findtext("{%s}%s" % (META_NS, name)) or "")
        return {"sfs_name": text("name"), "sfs_size": text("size"), "sfs_media_type": text("media-type"),
                "sfs_hash": meta.findtext("{%s}hash" % HASH_NS) or ""}

    async def on_message(self, message):
        url = message["oob"]["url"]
        if message["type"] != "chat" or not url or self.answered:
            return
        self.answered = True
        data = urllib.request.urlopen(url, context=self.https).read()
        emit(oob=url, body=message["body"], size=len(data), sha256=hashlib.sha256(data).hexdigest(),
             **self.metadata(message))
        await self.send_own_file(message["from"])

    async def send_own_file(self, to):
        get_url = await upload(self, self.args.upload_jid, self.https, "from-slixmpp.txt", OWN_FILE, "text/plain")
        answer = self.make_message(mto=to, mbody=get_url, mtype="chat")
        answer["oob"]["url"] = get_url
        answer.send()
        emit(sent_url=get_url, sha256=hashlib.sha256(OWN_FILE).hexdigest(), name="from-slixmpp.txt")


def add_arguments(parser):
    parser.add_argument("--upload-jid", required=True)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
