#!/usr/bin/python3
"""An independent XMPP peer (python3-slixmpp) for video previews: XEP-0447
stateless file sharing whose XEP-0446 <file> metadata carries an XEP-0264
<thumbnail xmlns='urn:xmpp:thumbs:1'/> (slixmpp 1.8.3 has no plugin for
them: the stanza XML is read and written directly).

Logs in as --jid and prints one JSON object per line. When a chat message
with a <file-sharing/> arrives it reports the raw <file> element as
received, the first thumbnail's attributes, and the size and SHA-256 of
what the thumbnail's uri serves over HTTPS (trusting --ca-file):
{"file_xml": ..., "thumb_uri": ..., "thumb_media_type": ..., "thumb_width":
..., "thumb_height": ..., "thumb_size": n, "thumb_sha256": hex}.
Then it shares a video of its own back: the video and a JPEG preview
uploaded to --upload-jid (XEP-0363), and a message with the video's URL as
body, OOB and a <file-sharing/> whose metadata has a cid: thumbnail (which
timd must skip) before the https one. It reports {"sent_video_url": ...,
"sent_thumb_url": ..., "sent_thumb_sha256": hex, "sent_thumb_size": n}.
"""
import hashlib
import ssl
import sys
import urllib.request
import xml.etree.ElementTree as ET

from slixmpp.xmlstream import tostring

from peer_common import JsonLineClient, emit, run, upload

SFS_NS = "urn:xmpp:sfs:0"
META_NS = "urn:xmpp:file:metadata:0"
THUMBS_NS = "urn:xmpp:thumbs:1"
URL_DATA_NS = "http://jabber.org/protocol/url-data"
OWN_VIDEO = b"not really a webm\n" * 4000
OWN_PREVIEW = b"\xff\xd8\xff\xe0 a jpeg preview \xff\xd9" * 500


class Peer(JsonLineClient):
    def __init__(self, args):
        super().__init__(args, "thumbs-peer")
        self.https = ssl.create_default_context(cafile=args.ca_file)
        self.answered = False
        for plugin in ("xep_0030", "xep_0066"):
            self.register_plugin(plugin)

    async def on_message(self, message):
        meta = message.xml.find("{%s}file-sharing/{%s}file" % (SFS_NS, META_NS))
        if message["type"] != "chat" or meta is None or self.answered:
            return
        self.answered = True
        thumb = meta.find("{%s}thumbnail" % THUMBS_NS)
        report = {"file_xml": tostring(meta)}
        if thumb is not None:
            data = urllib.request.urlopen(thumb.get("uri"), context=self.https).read()
            report.update(thumb_uri=thumb.get("uri"), thumb_media_type=thumb.get("media-type"),
                          thumb_width=thumb.get("width"), thumb_height=thumb.get("height"), thumb_size=len(data),
                          thumb_sha256=hashlib.sha256(data).hexdigest())
        emit(**report)
        await self.share_own_video(message["from"])

    async def share_own_video(self, to):
        video_url = await upload(self, self.args.upload_jid, self.https, "from-slixmpp.webm", OWN_VIDEO, "video/webm")
        thumb_url = await upload(self, self.args.upload_jid, self.https, "from-slixmpp.jpg", OWN_PREVIEW, "image/jpeg")
        answer = self.make_message(mto=to, mbody=video_url, mtype="chat")
        answer["oob"]["url"] = video_url
        sharing = ET.Element("{%s}file-sharing" % SFS_NS)
        meta = ET.SubElement(sharing, "{%s}file" % META_NS)
        ET.SubElement(meta, "{%s}media-type" % META_NS).text = "video/webm"
        ET.SubElement(meta, "{%s}name" % META_NS).text = "from-slixmpp.webm"
        ET.SubElement(meta, "{%s}size" % META_NS).text = str(len(OWN_VIDEO))
        ET.SubElement(meta, "{%s}thumbnail" % THUMBS_NS,
                      {"uri": "cid:sha1+0123456789abcdef0123456789abcdef01234567@bob.xmpp.org",
                       "media-type": "image/png", "width": "32", "height": "18"})
        ET.SubElement(meta, "{%s}thumbnail" % THUMBS_NS,
                      {"uri": thumb_url, "media-type": "image/jpeg", "width": "320", "height": "180"})
        sources = ET.SubElement(sharing, "{%s}sources" % SFS_NS)
        ET.SubElement(sources, "{%s}url-data" % URL_DATA_NS, {"target": video_url})
        answer.append(sharing)
        answer.send()
        emit(sent_video_url=video_url, sent_thumb_url=thumb_url,
             sent_thumb_sha256=hashlib.sha256(OWN_PREVIEW).hexdigest(), sent_thumb_size=len(OWN_PREVIEW))


def add_arguments(parser):
    parser.add_argument("--upload-jid", required=True)


if __name__ == "__main__":
    sys.exit(run(Peer, add_arguments))
