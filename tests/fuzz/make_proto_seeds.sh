#!/usr/bin/env bash
# Writes the binary seeds of the fuzz targets that read protobuf (a selector
# byte, then the serialized message) from the text-format messages below.
# Run it after a change to proto/tim/v1/*.proto that the seeds should show.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="$ROOT/tests/fuzz/corpus"

seed() {  # seed TARGET NAME SELECTOR_BYTE MESSAGE_TYPE TEXT
  local out="$CORPUS/$1/$2"
  printf "\\x$(printf '%02x' "$3")" >"$out"
  protoc --proto_path="$ROOT/proto" --encode="tim.v1.$4" tim/v1/session.proto tim/v1/messages.proto \
    tim/v1/events.proto <<<"$5" >>"$out"
}

# api_request: 0 SendMessage, 1 GetMessages, 2 Login, 3 Subscribe, 4 AckEvents.
seed api_request send_text 0 SendMessageRequest \
  'conv_id: "bob" conv_type: CONV_C2C elems { type: ELEM_TEXT text { content: "hello" } }'
seed api_request send_idempotent 0 SendMessageRequest \
  'conv_id: "bob@example.org" conv_type: CONV_C2C client_msg_id: "key-1"
   elems { type: ELEM_TEXT text { content: "line one" } } elems { type: ELEM_TEXT text { content: "line two\t\u00e9" } }'
seed api_request send_other_domain 0 SendMessageRequest \
  'conv_id: "Carol@Other.Example" conv_type: CONV_C2C cloud_custom_str: "x" need_read_receipt: true
   elems { type: ELEM_TEXT text { content: "\U0001F600 <b>&amp;</b> \"q\" '"'"'a'"'"'" } }'
seed api_request send_custom 0 SendMessageRequest \
  'conv_id: "bob" conv_type: CONV_C2C elems { type: ELEM_CUSTOM custom { data: "d" desc: "x" } }'
seed api_request send_group 0 SendMessageRequest \
  'conv_id: "room" conv_type: CONV_GROUP elems { type: ELEM_TEXT text { content: "hi all" } }'
# Regressions: a peer ID and a client_msg_id that could not travel in XML were accepted.
seed api_request regress_peer_fffe 0 SendMessageRequest \
  'conv_id: "bo\xef\xbf\xbeb@example.org" conv_type: CONV_C2C elems { type: ELEM_TEXT text { content: "hello" } }'
seed api_request regress_msg_id_control 0 SendMessageRequest \
  'conv_id: "bob" client_msg_id: "k\x01ey\xef\xbf\xbf" conv_type: CONV_C2C elems { type: ELEM_TEXT text { content: "hi" } }'
seed api_request get_page 1 GetMessagesRequest 'conv_id: "bob" conv_type: CONV_C2C count: 50 before_seq: 3'
seed api_request get_default 1 GetMessagesRequest 'conv_id: "bob@example.org" conv_type: CONV_C2C'
seed api_request login 2 LoginRequest 'user_id: "Alice" user_sig: "secret"'
seed api_request login_jid 2 LoginRequest 'user_id: "alice@Example.org" user_sig: "v1:1:ab"'
seed api_request subscribe_consumer 3 SubscribeRequest \
  'consumer: "app-1.x_y" kinds: EVENT_KIND_NEW_MESSAGES kinds: EVENT_KIND_CONV_EVENT min_log_level: LOG_WARN'
seed api_request subscribe_since 3 SubscribeRequest 'since_seq: 1'
seed api_request ack 4 AckEventsRequest 'consumer: "app-1.x_y" seq: 2'

# tim_json, odd selector: a daemon event turned into callback JSON.
seed tim_json event_new_messages 1 Event \
  'seq: 7 time_ms: 1764158400000 new_messages { messages {
     msg_id: "m1" conv_id: "bob" conv_type: CONV_C2C sender: "bob" client_time: 1764158400 server_time: 1764158400
     status: MSG_SEND_SUCC unique_id: 123 rand: 456 seq: 3 priority: 1 server_time_ms: 1764158400123
     elems { type: ELEM_TEXT text { content: "hi \u00e9" } }
     elems { type: ELEM_CUSTOM custom { data: "\377\376 not utf-8" } }
     elems { type: ELEM_FACE face { index: 3 data: "\300" } }
     elems { type: ELEM_LOCATION location { desc: "here" longitude: 113.5 latitude: 22 } }
     elems { type: ELEM_VIDEO file { local_path: "/tmp/v.mp4" media_type: "video/mp4" duration_s: 9 } } } }'
seed tim_json event_conv 3 Event \
  'seq: 8 conv_event { type: CONV_EVENT_UPDATE conversations { conv_id: "bob" conv_type: CONV_C2C unread_num: 2
     active_time: 1764158400 is_has_last_msg: true show_name: "bob"
     last_msg { msg_id: "m1" conv_id: "bob" elems { type: ELEM_TEXT text { content: "hi" } } } } }'
seed tim_json event_group_tips 5 Event \
  'group_tips { tip { tip_type: 6 group_id: "g" op_user: "alice" user_array: "bob"
     group_change_info { key: "name" value: "new name" } group_change_info { key: "shutup_all" value: "true" }
     group_change_info { key: "custom-key" value: "v" } } }'
seed tim_json event_receipts 7 Event \
  'msg_read_receipts { receipts { conv_id: "bob" conv_type: CONV_C2C msg_id: "m1" time_stamp: 5 is_peer_read: true } }'
seed tim_json event_revoked 9 Event \
  'msg_revoked { locators { conv_id: "bob" conv_type: CONV_C2C seq: 3 rand: 1 unique_id: 2 msg_id: "m1"
     revoker_user_id: "bob" revoke_reason: "oops" } }'
seed tim_json event_friends 11 Event \
  'friend_add_requests { pendencies { type: 1 user_id: "carol" wording: "hi" add_time: 9 } }'
