#include "xmpp/xml_stream_parser.h"

#include <expat.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace timd::xmpp {
namespace {

constexpr char kNsSeparator = '\x01';
constexpr std::string_view kStreamRoot = "http://etherx.jabber.org/streams\x01stream";
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";
// Expat takes an int length; feed large buffers in pieces.
constexpr size_t kMaxParseChunk = 1 << 20;

void SplitName(std::string_view full, std::string* name, std::string* ns) {
  size_t sep = full.find(kNsSeparator);
  if (sep == std::string_view::npos) {
    *name = std::string(full);
    ns->clear();
  } else {
    *ns = std::string(full.substr(0, sep));
    *name = std::string(full.substr(sep + 1));
  }
}

// Unprefixed attributes keep their name, xml:* keeps its usual prefix, and
// attributes in any other namespace are dropped (XMPP stanzas carry none).
std::vector<std::pair<std::string, std::string>> ConvertAttrs(const XML_Char** atts) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    std::string name;
    std::string ns;
    SplitName(atts[i], &name, &ns);
    if (ns == kXmlNamespace) {
      name = "xml:" + name;
    } else if (!ns.empty()) {
      continue;
    }
    out.emplace_back(std::move(name), atts[i + 1]);
  }
  return out;
}

}  // namespace

struct XmlStreamParser::Impl {
  Callbacks callbacks;
  Limits limits;
  XML_Parser parser = nullptr;
  std::vector<Element> stack;   // open elements of the current stanza
  size_t depth = 0;             // open elements, the stream root included
  uint64_t fed = 0;             // bytes given to the current document
  uint64_t stanza_start = 0;    // document offset of the open stanza
  uint64_t last_event_end = 0;  // document offset just after the last event
  bool failed = false;
  bool stopped = false;          // expat asked to stop: ignore late handler calls
  bool in_parse = false;         // inside XML_Parse (handlers may be running)
  bool feeding = false;          // inside Feed (callbacks may be running)
  bool destroyed = false;        // the owner was destroyed from a callback
  bool reset_requested = false;  // Reset() from a handler, done after XML_Parse
  uint64_t reset_offset = 0;     // where the next document starts

  Impl(Callbacks cb, Limits lim) : callbacks(std::move(cb)), limits(lim) { CreateParser(); }
  ~Impl() { XML_ParserFree(parser); }

  void CreateParser() {
    if (parser != nullptr) XML_ParserFree(parser);
    // XMPP is UTF-8 only; forcing it ignores any other declared encoding.
    parser = XML_ParserCreateNS("UTF-8", kNsSeparator);
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &OnStart, &OnEnd);
    XML_SetCharacterDataHandler(parser, &OnText);
    // RFC 6120 §11.1: no DTDs (billion laughs), comments or processing instructions.
    XML_SetStartDoctypeDeclHandler(parser, &OnDoctype);
    XML_SetEntityDeclHandler(parser, &OnEntityDecl);
    XML_SetCommentHandler(parser, &OnComment);
    XML_SetProcessingInstructionHandler(parser, &OnProcessingInstruction);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 6)
    // Deferral would hold back complete stanzas until more bytes arrive.
    XML_SetReparseDeferralEnabled(parser, XML_FALSE);
#endif
  }

  void Restart() {
    CreateParser();
    stack.clear();
    depth = 0;
    fed = 0;
    stanza_start = 0;
    last_event_end = 0;
    failed = false;
    stopped = false;
    reset_requested = false;
    reset_offset = 0;
  }

  uint64_t CurrentEventEnd() const {
    XML_Index index = XML_GetCurrentByteIndex(parser);
    if (index < 0) return fed;
    return static_cast<uint64_t>(index) + static_cast<uint64_t>(XML_GetCurrentByteCount(parser));
  }

  void RequestReset() {
    reset_requested = true;
    reset_offset = CurrentEventEnd();
    stopped = true;
    XML_StopParser(parser, XML_FALSE);
  }

  void Fail(const std::string& reason) {
    if (failed) return;
    failed = true;
    stopped = true;
    stack.clear();
    if (in_parse) XML_StopParser(parser, XML_FALSE);
    if (callbacks.on_error) callbacks.on_error(reason);
  }

  // Called at each event inside a stanza.
  bool CheckStanzaSize() {
    last_event_end = CurrentEventEnd();
    if (depth >= 2 && last_event_end - stanza_start > limits.max_stanza_bytes) {
      Fail("stanza exceeds " + std::to_string(limits.max_stanza_bytes) + " bytes");
      return false;
    }
    return true;
  }

  // After a chunk: bytes expat holds back (an unfinished stanza or token)
  // must stay within the stanza limit too.
  void CheckPendingSize() {
    uint64_t pending_start = depth >= 2 ? stanza_start : last_event_end;
    if (fed - pending_start > limits.max_stanza_bytes) {
      Fail("stanza exceeds " + std::to_string(limits.max_stanza_bytes) + " bytes");
    }
  }

  std::string ExpatError() const {
    return std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser)) + " at line " +
           std::to_string(XML_GetCurrentLineNumber(parser)) + ", column " +
           std::to_string(XML_GetCurrentColumnNumber(parser));
  }

  void StartElement(const XML_Char* name, const XML_Char** atts) {
    if (stopped) return;
    if (depth == 0) {
      if (kStreamRoot != name) {
        Fail("root element is not <stream:stream>");
        return;
      }
      depth = 1;
      last_event_end = CurrentEventEnd();
      if (callbacks.on_stream_open) callbacks.on_stream_open(ConvertAttrs(atts));
      return;
    }
    // `depth` is the new element's depth counted from the stanza (1).
    if (depth > limits.max_depth) {
      Fail("stanza nested deeper than " + std::to_string(limits.max_depth));
      return;
    }
    if (depth == 1) stanza_start = static_cast<uint64_t>(XML_GetCurrentByteIndex(parser));
    ++depth;
    if (!CheckStanzaSize()) return;
    Element element;
    SplitName(name, &element.name, &element.xmlns);
    element.attrs = ConvertAttrs(atts);
    stack.push_back(std::move(element));
  }

  void EndElement() {
    if (stopped) return;
    if (depth == 1) {
      depth = 0;
      last_event_end = CurrentEventEnd();
      if (callbacks.on_stream_close) callbacks.on_stream_close();
      return;
    }
    if (!CheckStanzaSize()) return;
    --depth;
    Element done = std::move(stack.back());
    stack.pop_back();
    if (!stack.empty()) {
      stack.back().children.push_back(std::move(done));
    } else if (callbacks.on_stanza) {
      callbacks.on_stanza(std::move(done));
    }
  }

  void Text(const XML_Char* s, int len) {
    if (stopped) return;
    if (stack.empty()) {  // whitespace keepalives between stanzas
      last_event_end = CurrentEventEnd();
      return;
    }
    if (!CheckStanzaSize()) return;
    stack.back().text.append(s, static_cast<size_t>(len));
  }

  static Impl* Self(void* user_data) { return static_cast<Impl*>(user_data); }
  static void OnStart(void* ud, const XML_Char* name, const XML_Char** atts) {
    Self(ud)->StartElement(name, atts);
  }
  static void OnEnd(void* ud, const XML_Char*) { Self(ud)->EndElement(); }
  static void OnText(void* ud, const XML_Char* s, int len) { Self(ud)->Text(s, len); }
  static void OnDoctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    Self(ud)->Fail("DOCTYPE is not allowed in an XMPP stream");
  }
  static void OnEntityDecl(void* ud, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                           const XML_Char*, const XML_Char*, const XML_Char*) {
    Self(ud)->Fail("entity declarations are not allowed in an XMPP stream");
  }
  static void OnComment(void* ud, const XML_Char*) {
    Self(ud)->Fail("comments are not allowed in an XMPP stream");
  }
  static void OnProcessingInstruction(void* ud, const XML_Char*, const XML_Char*) {
    Self(ud)->Fail("processing instructions are not allowed in an XMPP stream");
  }
};

XmlStreamParser::XmlStreamParser(Callbacks callbacks) : XmlStreamParser(std::move(callbacks), Limits{}) {}

XmlStreamParser::XmlStreamParser(Callbacks callbacks, Limits limits)
    : impl_(std::make_unique<Impl>(std::move(callbacks), limits)) {}

XmlStreamParser::~XmlStreamParser() {
  if (impl_->feeding) {
    // Destroyed from one of our callbacks: Feed frees the state once expat
    // and the callback have returned.
    impl_->destroyed = true;
    impl_->stopped = true;
    if (impl_->in_parse) XML_StopParser(impl_->parser, XML_FALSE);
    impl_.release();
  }
}

bool XmlStreamParser::Feed(std::string_view bytes) {
  // Callbacks may destroy *this; from here on only `impl` is used.
  Impl* impl = impl_.get();
  if (impl->failed) return false;
  impl->feeding = true;
  while (!bytes.empty() && !impl->failed) {
    size_t n = std::min(bytes.size(), kMaxParseChunk);
    uint64_t chunk_start = impl->fed;
    impl->fed += n;
    impl->in_parse = true;
    XML_Status status = XML_Parse(impl->parser, bytes.data(), static_cast<int>(n), XML_FALSE);
    impl->in_parse = false;
    if (impl->destroyed) break;
    if (impl->reset_requested) {
      // Bytes after the event that asked for the reset belong to the new document.
      uint64_t consumed = impl->reset_offset > chunk_start ? impl->reset_offset - chunk_start : 0;
      bytes.remove_prefix(static_cast<size_t>(std::min<uint64_t>(consumed, n)));
      impl->Restart();
      continue;
    }
    bytes.remove_prefix(n);
    if (status == XML_STATUS_ERROR) {
      impl->Fail(impl->ExpatError());  // no-op when a handler already failed
    } else {
      impl->CheckPendingSize();
    }
  }
  if (impl->destroyed) {
    delete impl;
    return false;
  }
  impl->feeding = false;
  return !impl->failed;
}

void XmlStreamParser::Reset() {
  if (impl_->in_parse) {
    impl_->RequestReset();
  } else {
    impl_->Restart();
  }
}

bool XmlStreamParser::failed() const { return impl_->failed; }

}  // namespace timd::xmpp
