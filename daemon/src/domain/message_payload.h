// timd's own message payload (<tim xmlns='urn:x-timd:0'>, mapping §3.1 and
// §3.4): the element array and the fields XMPP has no place for
// (cloud_custom_str, need_read_receipt), as protobuf JSON of a tim.v1.Message
// holding only those fields. A timd peer gets the message back exactly as it
// was sent; other clients read the fallback <body>.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

using Elems = google::protobuf::RepeatedPtrField<tim::v1::Elem>;

// Peers' payloads larger than this are ignored (the body still arrives).
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;
inline constexpr int kMaxElems = 64;

// `content` with only what a peer may see: elems (local file paths
// stripped), cloud_custom_str, need_read_receipt,
// is_excluded_from_unread_count.
tim::v1::Message ShareableContent(const tim::v1::Message& content);

// One text element and nothing else: the <body> says it all, and most
// messages are like that.
bool BodySaysItAll(const tim::v1::Message& content);

// The payload of `content`, or "" when BodySaysItAll: such messages travel
// as plain XMPP.
std::string EncodePayload(const tim::v1::Message& content);

// A peer's payload, checked: JSON of the fields above (unknown fields are
// ignored, for newer peers), at most kMaxElems elements of the kinds a peer
// may send, each with the body its type names.
Result<tim::v1::Message> DecodePayload(std::string_view payload);

// What other clients show (mapping §3.4): the text elements joined by
// newlines, a custom element's description, "[face]", "geo:LAT,LON", a
// file's URL.
std::string FallbackBody(const Elems& elems);

// Whether an element may be sent by an app or accepted from a peer:
// UNIMPLEMENTED for a kind timd cannot send (yet), INVALID_ARGUMENT for a
// body that does not match its type or text XML cannot carry. `index`
// names it in the message.
Status CheckElem(const tim::v1::Elem& elem, int index);

}  // namespace timd::domain
