#!/usr/bin/python3
"""Small command-line client for timd's gRPC API (a stand-in for grpcurl).

Needs Debian's python3-grpcio and python3-protobuf (run it with /usr/bin/python3)
and protoc (protobuf-compiler). No generated code is kept in the tree: the
.proto files are compiled at run time into descriptor sets (cached under
~/.cache/timd-client) and messages are built from those descriptors.

Examples:
  timd_client.py --socket /run/timd/timd.sock list
  timd_client.py status
  timd_client.py send bob "hello"
  timd_client.py history bob
  timd_client.py convs
  timd_client.py subscribe --since 0
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_ROOT = os.path.join(HERE, "..", "proto")
# One service per TIM manager; each file imports tim/v1/common.proto.
TIMD_PROTOS = ["tim/v1/session.proto", "tim/v1/messages.proto", "tim/v1/conversations.proto",
               "tim/v1/events.proto"]
TIMD_SERVICES = ["tim.v1.Session", "tim.v1.Messages", "tim.v1.Conversations", "tim.v1.Events"]
GRPC_PROTO_ROOT = "/usr/share/grpc-proto"
REFLECTION_PROTO = "grpc/reflection/v1alpha/reflection.proto"
REFLECTION_METHOD = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"


def fail(text, code=2):
    print(f"timd_client: {text}", file=sys.stderr)
    sys.exit(code)


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "timd-client")
    os.makedirs(path, exist_ok=True)
    return path


def protoc_command():
    if shutil.which("protoc"):
        return ["protoc"]
    try:
        import grpc_tools  # noqa: F401  (python3-grpc-tools, optional)
        return [sys.executable, "-m", "grpc_tools.protoc"]
    except ImportError:
        fail("protoc not found: install protobuf-compiler (tools/setup.sh)")


def descriptor_set(proto_root, proto_file):
    """Compiles proto_file (with imports) to a FileDescriptorSet, cached by the
    content of every .proto file beside it (the imports it may use)."""
    source = os.path.join(proto_root, proto_file)
    folder = os.path.dirname(source)
    hasher = hashlib.sha256()
    try:
        for name in sorted(n for n in os.listdir(folder) if n.endswith(".proto")):
            with open(os.path.join(folder, name), "rb") as f:
                hasher.update(name.encode() + b"\0" + f.read())
    except OSError as e:
        fail(f"cannot read {source}: {e}")
    digest = hasher.hexdigest()[:16]
    out = os.path.join(cache_dir(), f"{os.path.basename(proto_file)}.{digest}.pb")
    if not os.path.exists(out):
        tmp = f"{out}.{os.getpid()}.tmp"
        cmd = protoc_command() + [f"--proto_path={proto_root}", "--include_imports",
                                  f"--descriptor_set_out={tmp}", source]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"protoc failed for {source}:\n{result.stderr}")
        os.replace(tmp, out)
    fds = descriptor_pb2.FileDescriptorSet()
    with open(out, "rb") as f:
        fds.ParseFromString(f.read())
    return fds


class Messages:
    """Message classes by full name, built from compiled descriptor sets."""

    def __init__(self, *sets):
        self.pool = descriptor_pool.DescriptorPool()
        seen = set()
        for fds in sets:
            for file_proto in fds.file:
                if file_proto.name not in seen:
                    seen.add(file_proto.name)
                    self.pool.Add(file_proto)
        self.factory = message_factory.MessageFactory(self.pool)

    def __getitem__(self, full_name):
        return self.factory.GetPrototype(self.pool.FindMessageTypeByName(full_name))

    def enum_value(self, enum_full_name, value_name):
        return self.pool.FindEnumTypeByName(enum_full_name).values_by_name[value_name].number


def to_json(message):
    return json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True),
                      ensure_ascii=False)


class Client:
    def __init__(self, args):
        self.args = args
        target = args.target or f"unix:{os.path.abspath(args.socket)}"
        self.channel = grpc.insecure_channel(target)
        self.m = Messages(*(descriptor_set(args.proto_root, proto) for proto in TIMD_PROTOS))

    def method(self, name):
        """The service and descriptor of the tim.v1 method called `name`."""
        for service_name in TIMD_SERVICES:
            desc = self.m.pool.FindServiceByName(service_name).methods_by_name.get(name)
            if desc is not None:
                return service_name, desc
        fail(f"no tim.v1 method {name}")

    def unary(self, method, request):
        service, desc = self.method(method)
        response_cls = self.m[desc.output_type.full_name]
        call = self.channel.unary_unary(f"/{service}/{method}",
                                        request_serializer=lambda r: r.SerializeToString(),
                                        response_deserializer=response_cls.FromString)
        return call(request, timeout=self.args.timeout)

    def request(self, name, **fields):
        msg = self.m[f"tim.v1.{name}"]()
        json_format.ParseDict(fields, msg)
        return msg


def print_rpc_error(err):
    trailers = dict(err.trailing_metadata() or ())
    tim_code = trailers.get("tim-error-code")
    extra = f" (tim_code {tim_code})" if tim_code else ""
    print(f"error: {err.code().name}: {err.details()}{extra}", file=sys.stderr)


def cmd_list(args):
    refl = Messages(descriptor_set(GRPC_PROTO_ROOT, REFLECTION_PROTO))
    request_cls = refl["grpc.reflection.v1alpha.ServerReflectionRequest"]
    response_cls = refl["grpc.reflection.v1alpha.ServerReflectionResponse"]
    target = args.target or f"unix:{os.path.abspath(args.socket)}"
    channel = grpc.insecure_channel(target)
    call = channel.stream_stream(REFLECTION_METHOD,
                                 request_serializer=lambda r: r.SerializeToString(),
                                 response_deserializer=response_cls.FromString)
    if args.service:
        req = request_cls(file_containing_symbol=args.service)
    else:
        req = request_cls(list_services="")
    for resp in call(iter([req]), timeout=args.timeout):
        if resp.HasField("error_response"):
            fail(f"reflection: {resp.error_response.error_message}", 1)
        if not args.service:
            for svc in resp.list_services_response.service:
                print(svc.name)
            continue
        for blob in resp.file_descriptor_response.file_descriptor_proto:
            file_proto = descriptor_pb2.FileDescriptorProto.FromString(blob)
            for svc in file_proto.service:
                if f"{file_proto.package}.{svc.name}" != args.service:
                    continue
                for m in svc.method:
                    stream = "stream " if m.server_streaming else ""
                    print(f"rpc {m.name}({m.input_type.lstrip('.')}) returns "
                          f"({stream}{m.output_type.lstrip('.')})")


def cmd_status(client, _args):
    print(to_json(client.unary("GetLoginStatus", client.request("GetLoginStatusRequest"))))


def cmd_login(client, args):
    with open(args.password_file, encoding="utf-8") as f:
        password = f.readline().rstrip("\n")
    req = client.request("LoginRequest", user_id=args.user, user_sig=password)
    print(to_json(client.unary("Login", req)))


def cmd_logout(client, _args):
    print(to_json(client.unary("Logout", client.request("LogoutRequest"))))


def cmd_send(client, args):
    fields = {"conv_id": args.peer, "conv_type": "CONV_C2C",
              "elems": [{"type": "ELEM_TEXT", "text": {"content": args.text}}]}
    if args.client_msg_id:
        fields["client_msg_id"] = args.client_msg_id
    print(to_json(client.unary("SendMessage", client.request("SendMessageRequest", **fields))))


def cmd_history(client, args):
    req = client.request("GetMessagesRequest", conv_id=args.peer, conv_type="CONV_C2C",
                         count=args.count, before_seq=str(args.before_seq))
    print(to_json(client.unary("GetMessages", req)))


def cmd_convs(client, _args):
    print(to_json(client.unary("ListConversations", client.request("ListConversationsRequest"))))


def has_text(event, text):
    for msg in event.new_messages.messages:
        for elem in msg.elems:
            if elem.HasField("text") and elem.text.content == text:
                return True
    return False


def cmd_subscribe(client, args):
    fields = {}
    if args.since is not None:
        fields["since_seq"] = str(args.since)
    if args.kinds:
        fields["kinds"] = args.kinds
    req = client.request("SubscribeRequest", **fields)
    event_cls = client.m["tim.v1.Event"]
    call = client.channel.unary_stream("/tim.v1.Events/Subscribe",
                                       request_serializer=lambda r: r.SerializeToString(),
                                       response_deserializer=event_cls.FromString)
    # No deadline unless asked for: a subscription is meant to stay open.
    stream = call(req, timeout=args.stream_timeout)
    try:
        for event in stream:
            print(to_json(event), flush=True)
            if args.until_text is not None and has_text(event, args.until_text):
                stream.cancel()
                return 0
    except grpc.RpcError as err:
        if err.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise
        if args.until_text is not None:
            print(f"timeout: no message with text {args.until_text!r}", file=sys.stderr)
            return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description="Command-line client for timd's gRPC API.")
    parser.add_argument("--socket", default=os.environ.get("TIMD_SOCKET", "/run/timd/timd.sock"),
                        help="timd's Unix socket (default $TIMD_SOCKET or /run/timd/timd.sock)")
    parser.add_argument("--target", help="gRPC target instead of --socket, e.g. 127.0.0.1:7000")
    parser.add_argument("--proto-root", default=DEFAULT_PROTO_ROOT,
                        help="directory holding tim/v1/*.proto")
    parser.add_argument("--timeout", type=float, default=30, help="deadline of unary calls (s)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list services by server reflection (or one service's methods)")
    p.add_argument("service", nargs="?")
    sub.add_parser("status", help="GetLoginStatus")
    p = sub.add_parser("login", help="Login")
    p.add_argument("user")
    p.add_argument("--password-file", required=True)
    sub.add_parser("logout", help="Logout")
    p = sub.add_parser("send", help="send a text message (C2C)")
    p.add_argument("peer")
    p.add_argument("text")
    p.add_argument("--client-msg-id")
    p = sub.add_parser("history", help="GetMessages of a C2C conversation, newest first")
    p.add_argument("peer")
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--before-seq", type=int, default=0)
    sub.add_parser("convs", help="ListConversations")
    p = sub.add_parser("subscribe", help="print events as JSON lines")
    p.add_argument("--since", type=int, help="replay journal events after this seq")
    p.add_argument("--kinds", nargs="+", help="EventKind names, e.g. NEW_MESSAGES")
    p.add_argument("--until-text", help="exit 0 once a new message with this text arrives")
    p.add_argument("--stream-timeout", type=float, help="end the stream after this many seconds")

    args = parser.parse_args()
    try:
        if args.command == "list":
            return cmd_list(args) or 0
        client = Client(args)
        handler = {"status": cmd_status, "login": cmd_login, "logout": cmd_logout,
                   "send": cmd_send, "history": cmd_history, "convs": cmd_convs,
                   "subscribe": cmd_subscribe}[args.command]
        return handler(client, args) or 0
    except grpc.RpcError as err:
        print_rpc_error(err)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
