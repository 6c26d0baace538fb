#include "xmpp/sasl.h"

#include <gsasl.h>

#include <algorithm>
#include <array>
#include <mutex>

namespace timd::xmpp {
namespace {

// One context per process. No callback is installed: the session gets its
// credentials as properties, and every other request (notably the
// channel-binding properties, which break non-PLUS SCRAM) stays unanswered.
Gsasl* Context() {
  static Gsasl* context = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    if (gsasl_init(&context) != GSASL_OK) context = nullptr;
  });
  return context;
}

std::string ErrorText(int rc) {
  const char* name = gsasl_strerror_name(rc);
  return std::string(name != nullptr ? name : "GSASL_UNKNOWN") + ": " + gsasl_strerror(rc);
}

// XMPP sends "=" for an empty payload (RFC 6120 §6.4.2); whitespace is not
// part of base64.
std::string NormalizeBase64(std::string_view in) {
  std::string out;
  std::copy_if(in.begin(), in.end(), std::back_inserter(out),
               [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; });
  if (out == "=") out.clear();
  return out;
}

}  // namespace

struct SaslClient::Impl {
  Gsasl_session* session = nullptr;
  bool completed = false;
  std::string error;

  ~Impl() { Finish(); }
  void Finish() {
    if (session != nullptr) gsasl_finish(session);
    session = nullptr;
  }
};

SaslClient::SaslClient() : impl_(std::make_unique<Impl>()) {}
SaslClient::~SaslClient() = default;

std::string SaslClient::ChooseMechanism(const std::vector<std::string>& offered, bool encrypted,
                                        bool allow_plain) {
  // Strongest first. Never -PLUS: we supply no channel-binding data.
  static constexpr std::array<std::string_view, 3> kPreference = {"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"};
  Gsasl* context = Context();
  if (context == nullptr) return {};
  for (std::string_view mechanism : kPreference) {
    if (mechanism == "PLAIN" && !(encrypted && allow_plain)) continue;
    if (std::find(offered.begin(), offered.end(), mechanism) == offered.end()) continue;
    std::string name(mechanism);
    if (gsasl_client_support_p(context, name.c_str()) != 0) return name;
  }
  return {};
}

bool SaslClient::Start(const std::string& mechanism, const std::string& username,
                       const std::string& password, std::string* initial_response) {
  impl_->Finish();
  impl_->completed = false;
  impl_->error.clear();
  Gsasl* context = Context();
  if (context == nullptr) {
    impl_->error = "gsasl_init failed";
    return false;
  }
  int rc = gsasl_client_start(context, mechanism.c_str(), &impl_->session);
  if (rc != GSASL_OK) {
    impl_->session = nullptr;
    impl_->error = ErrorText(rc);
    return false;
  }
  gsasl_property_set(impl_->session, GSASL_AUTHID, username.c_str());
  gsasl_property_set(impl_->session, GSASL_PASSWORD, password.c_str());
  StepResult result = Step("", initial_response);
  return result != StepResult::kError;
}

SaslClient::StepResult SaslClient::Step(std::string_view base64_in, std::string* base64_out) {
  if (impl_->session == nullptr) {
    if (impl_->error.empty()) impl_->error = "no SASL session";
    return StepResult::kError;
  }
  std::string input = NormalizeBase64(base64_in);
  // A mechanism that already finished (PLAIN) sees an empty <success/>.
  if (impl_->completed && input.empty()) {
    if (base64_out != nullptr) base64_out->clear();
    return StepResult::kDone;
  }
  char* output = nullptr;
  int rc = gsasl_step64(impl_->session, input.c_str(), &output);
  std::string out = output != nullptr ? output : "";
  gsasl_free(output);
  if (base64_out != nullptr) *base64_out = std::move(out);
  if (rc == GSASL_NEEDS_MORE) return StepResult::kContinue;
  if (rc == GSASL_OK) {
    impl_->completed = true;
    return StepResult::kDone;
  }
  impl_->completed = false;
  impl_->error = ErrorText(rc);
  return StepResult::kError;
}

bool SaslClient::completed() const { return impl_->completed; }
const std::string& SaslClient::error() const { return impl_->error; }

}  // namespace timd::xmpp
