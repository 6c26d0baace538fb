// Incremental parser for an XMPP stream, built on expat. Bytes can be fed in
// arbitrary chunks (a TCP read may split a stanza, an attribute or a UTF-8
// sequence anywhere). It reports the stream header, each complete top-level
// stanza (a child of <stream:stream>) as an Element tree, the stream end, and
// the first error. After an error no further callback fires until Reset().
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/element.h"

namespace timd::xmpp {

class XmlStreamParser {
 public:
  struct Callbacks {
    // <stream:stream ...> opened; attrs without namespace declarations.
    std::function<void(const std::vector<std::pair<std::string, std::string>>& attrs)> on_stream_open;
    std::function<void(Element stanza)> on_stanza;
    std::function<void()> on_stream_close;
    // Malformed XML, a non-stream root, an over-deep or over-large stanza.
    std::function<void(const std::string& reason)> on_error;
  };

  // Limits protect the daemon from a hostile or broken server.
  struct Limits {
    size_t max_depth = 64;
    size_t max_stanza_bytes = 1 << 20;
  };

  // Two constructors rather than `Limits limits = {}`: GCC rejects a default
  // argument of a nested type with member initializers inside the class.
  explicit XmlStreamParser(Callbacks callbacks);
  XmlStreamParser(Callbacks callbacks, Limits limits);
  ~XmlStreamParser();
  XmlStreamParser(const XmlStreamParser&) = delete;
  XmlStreamParser& operator=(const XmlStreamParser&) = delete;

  // Feeds bytes. Returns false once an error was reported.
  bool Feed(std::string_view bytes);

  // Starts a fresh document (after STARTTLS or SASL success).
  void Reset();

  bool failed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
