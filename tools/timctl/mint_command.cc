// mint: a time-limited login token, computed locally (no daemon needed).
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "call_error.h"
#include "commands.h"
#include "mint_token.h"
#include "output.h"
#include "secret_input.h"

namespace timctl {
namespace {

struct MintArgs {
  std::string user_at_domain;
  std::string secret_file;
  int64_t ttl_s = 3600;
  int64_t expires = 0;
  bool has_expires = false;
};

int RunMint(const CommonOptions& common, const MintArgs& args) {
  auto jid = CanonicalUserAtDomain(args.user_at_domain);
  if (!jid) {
    ReportLocalError(common, "not a USER@DOMAIN: " + args.user_at_domain);
    return kExitUsage;
  }
  auto contents = ReadWholeFile(args.secret_file);
  std::string secret = contents ? SecretFromFileContents(std::move(*contents)) : "";
  if (secret.empty()) {
    ReportLocalError(common, "cannot read a secret from " + args.secret_file);
    return kExitLocalInput;
  }
  int64_t expires = args.has_expires ? args.expires
                                     : std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                               .count() +
                                           args.ttl_s;
  std::string token = MintToken(*jid, secret, expires);
  if (common.json) {
    PrintLine(nlohmann::json{{"user", *jid}, {"expires", expires}, {"token", token}}.dump());
  } else {
    PrintLine(token);
  }
  return kExitOk;
}

}  // namespace

void AddMintCommand(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto args = std::make_shared<MintArgs>();
  auto* mint = app.add_subcommand("mint", "Print a time-limited login token for the Prosody token auth provider");
  AddCommonOptions(*mint, common);
  mint->add_option("USER@DOMAIN", args->user_at_domain, "the account (lower-cased in the token)")->required();
  mint->add_option("--secret-file", args->secret_file, "the shared secret (one trailing newline is ignored)")
      ->required();
  auto* ttl = mint->add_option("--ttl", args->ttl_s, "seconds from now until the token expires (default 3600)")
                  ->check(CLI::PositiveNumber);
  auto* expires = mint->add_option("--expires", args->expires, "expiry as Unix seconds (instead of --ttl)")
                      ->check(CLI::NonNegativeNumber)
                      ->excludes(ttl);
  mint->footer("Token: v1:<expires>:<hex HMAC-SHA256(secret, \"<user>@<domain>:<expires>\")>. "
               "Use it as the password: timctl login USER --password-stdin. "
               "With --json: {\"user\":..,\"expires\":..,\"token\":..}.");
  commands.push_back({mint, [&common, args, expires] {
                        args->has_expires = expires->count() > 0;
                        return RunMint(common, *args);
                      }});
}

}  // namespace timctl
