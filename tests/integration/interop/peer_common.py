"""What the python3-slixmpp peers of timd's interop tests share.

Each peer is a slixmpp ClientXMPP subclass taking the parsed arguments; it
reports to the test one JSON object per line on stdout (emit) and logs to
stderr. run() parses the common arguments (--jid, --password, --port,
--ca-file) plus the peer's own, logs in over STARTTLS on 127.0.0.1 trusting
the fixture's CA, and returns when the peer disconnects.
"""
import argparse
import json
import logging
import ssl
import sys


def emit(**fields):
    print(json.dumps(fields), flush=True)


def run(peer_class, add_arguments=lambda parser: None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--jid", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca-file", required=True)
    add_arguments(parser)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    peer = peer_class(args)
    peer.ssl_context = ssl.create_default_context(cafile=args.ca_file)
    peer.connect(("127.0.0.1", args.port))
    peer.loop.run_until_complete(peer.disconnected)
    return 0
