// login, logout, status.
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "exit_codes.h"
#include "human_format.h"
#include "secret_input.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct LoginArgs {
  std::string user;
  std::string password_file;
  bool password_stdin = false;
};

// The password from --password-file, --password-stdin or a terminal prompt.
// Returns an exit code other than kExitOk when there is none.
int ObtainPassword(const CommonOptions& common, const LoginArgs& args, std::string* password) {
  std::optional<std::string> secret;
  std::string source;
  if (!args.password_file.empty()) {
    secret = ReadFirstLine(args.password_file);
    source = args.password_file;
  } else if (args.password_stdin) {
    secret = ReadStdinFirstLine();
    source = "stdin";
  } else {
    secret = PromptPassword("Password for " + args.user + ": ");
    if (!secret) {
      ReportLocalError(common, "no password: use --password-file FILE or --password-stdin");
      return kExitUsage;
    }
    source = "the terminal";
  }
  if (!secret) {
    ReportLocalError(common, "cannot read a password from " + source);
    return kExitLocalInput;
  }
  *password = std::move(*secret);
  return kExitOk;
}

int RunLogin(const CommonOptions& common, const LoginArgs& args) {
  tim::v1::LoginRequest request;
  request.set_user_id(args.user);
  if (int rc = ObtainPassword(common, args, request.mutable_user_sig()); rc != kExitOk) return rc;
  TimdClient client(common);
  return CallAndPrint<tim::v1::LoginRequest, tim::v1::LoginResponse>(
      client, *client.stubs().session, &tim::v1::Session::Stub::Login, request,
      [](const tim::v1::LoginResponse& r) { return "logged in as " + r.user_id(); });
}

}  // namespace

void AddAccountCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto login_args = std::make_shared<LoginArgs>();
  auto* login = app.add_subcommand("login", "Log timd in (Login); the password is never taken from argv");
  AddCommonOptions(*login, common);
  login->add_option("USER", login_args->user, "user ID: local part or bare JID")->required();
  auto* file = login->add_option("--password-file", login_args->password_file,
                                 "read the password (or token) from the first line of this file");
  login
      ->add_flag("--password-stdin", login_args->password_stdin,
                 "read the password (or token) from the first line of stdin")
      ->excludes(file);
  login->footer("Without either option the password is prompted for on the terminal.");
  commands.push_back({login, [&common, login_args] { return RunLogin(common, *login_args); }});

  auto* logout = app.add_subcommand("logout", "Log timd's account out (Logout)");
  AddCommonOptions(*logout, common);
  commands.push_back({logout, [&common] {
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::LogoutRequest, tim::v1::LogoutResponse>(
                            client, *client.stubs().session, &tim::v1::Session::Stub::Logout, {},
                            [](const tim::v1::LogoutResponse&) { return std::string("logged out"); });
                      }});

  auto* status = app.add_subcommand("status", "Show the login and network status (GetLoginStatus)");
  AddCommonOptions(*status, common);
  commands.push_back({status, [&common] {
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::GetLoginStatusRequest, tim::v1::GetLoginStatusResponse>(
                            client, *client.stubs().session, &tim::v1::Session::Stub::GetLoginStatus, {},
                            LoginStatusLine);
                      }});
}

}  // namespace timctl
