// SASL client for XMPP on GNU SASL: picks a mechanism from an allow-list
// (SCRAM-SHA-256, SCRAM-SHA-1, then PLAIN only when the stream is encrypted),
// never supplies channel-binding data (see shared/sasl-notes.md), and checks
// the server signature carried by <success/>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace timd::xmpp {

class SaslClient {
 public:
  enum class StepResult { kContinue, kDone, kError };

  SaslClient();
  ~SaslClient();
  SaslClient(const SaslClient&) = delete;
  SaslClient& operator=(const SaslClient&) = delete;

  // Chooses from the offered mechanisms. Empty string: none acceptable.
  static std::string ChooseMechanism(const std::vector<std::string>& offered,
                                     bool encrypted, bool allow_plain);

  // Starts a session; `initial_response` receives the base64 payload for
  // <auth>. Returns false on error (see error()).
  bool Start(const std::string& mechanism, const std::string& username,
             const std::string& password, std::string* initial_response);

  // Processes base64 data of a <challenge/> (output: <response/> payload) or
  // of <success/> (final server-signature check; output unused).
  StepResult Step(std::string_view base64_in, std::string* base64_out);

  // Whether the final step (server signature) has completed successfully.
  bool completed() const;
  const std::string& error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
