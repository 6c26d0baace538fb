-- Prosody 0.12 auth provider: the password is an HMAC-signed, time-limited
-- token (TIM's UserSig), not a stored secret.
--
--   token   = "v1:" .. expires .. ":" .. hex
--   expires = Unix time in seconds (decimal) after which the token is refused
--   hex     = lowercase hex of HMAC-SHA256(secret, username .. "@" .. host .. ":" .. expires)
--
-- A token with a valid MAC whose expiry has passed fails SASL with
-- <credentials-expired/> (RFC 6120 §6.5.2) so that clients know to fetch a
-- new one; a bad MAC or a malformed token fails with <not-authorized/>.
-- Only SASL PLAIN is offered (SCRAM needs a stored password), and
-- mod_saslauth offers PLAIN only on encrypted streams.
--
-- The token issuer is the authority on who exists: the first login with a
-- valid token creates the account record (it holds no password), so offline
-- storage, MAM and user lookups work from then on. Accounts created with
-- prosodyctl exist too; their passwords are never used.
--
-- Config: authentication = "timd_token"
--         timd_token_secret_file = "/etc/prosody/timd-token.secret"
-- The file is read when the module loads (one trailing newline stripped);
-- after rotating the secret, reload the module or restart Prosody.

local new_sasl = require "util.sasl".new;
local hashes = require "util.hashes";

local host = module.host;
local accounts = module:open_store("accounts");

local function read_secret()
	local path = module:get_option_string("timd_token_secret_file");
	if not path then
		return nil, "timd_token_secret_file is not set";
	end
	local file, err = io.open(path, "rb");
	if not file then
		return nil, "cannot open timd_token_secret_file: " .. tostring(err);
	end
	local secret = file:read("a");
	file:close();
	secret = secret and secret:gsub("\n$", "", 1);
	if not secret or secret == "" then
		return nil, "timd_token_secret_file is empty";
	end
	return secret;
end

local secret, secret_err = read_secret();
if not secret then
	module:log("error", "%s: every token login on %s will fail", secret_err, host);
end

-- Returns "ok", "expired" or "invalid". Never logs the token.
local function check_token(username, token)
	if not secret or type(token) ~= "string" then
		return "invalid";
	end
	local expires, mac = token:match("^v1:(%d%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?):(%x+)$");
	if not expires or #mac ~= 64 then
		return "invalid";
	end
	local expected = hashes.hmac_sha256(secret, username .. "@" .. host .. ":" .. expires, true);
	if not hashes.equals(mac, expected) then
		return "invalid";
	end
	if tonumber(expires) < os.time() then
		return "expired";
	end
	return "ok";
end

-- The record holds no secret; it must not be empty (Prosody's file store
-- deletes empty records).
local function new_account()
	return { created = os.time() };
end

local function ensure_account(username)
	if not accounts:get(username) then
		local ok, err = accounts:set(username, new_account());
		if not ok then
			module:log("warn", "cannot create the account record for %s: %s", username, tostring(err));
		end
	end
end

local provider = {};

function provider.test_password(username, password)
	local verdict = check_token(username, password);
	if verdict == "ok" then
		return true;
	end
	return nil, verdict == "expired" and "Token expired" or "Invalid token";
end

function provider.get_password()
	return nil, "Passwords are not stored: this host authenticates with tokens";
end

function provider.set_password()
	return nil, "Passwords are not stored: this host authenticates with tokens";
end

function provider.user_exists(username)
	if accounts:get(username) then
		return true;
	end
	return nil, "Auth failed. Invalid username";
end

function provider.users()
	return accounts:users();
end

function provider.create_user(username)
	return accounts:set(username, new_account());
end

function provider.delete_user(username)
	return accounts:set(username, nil);
end

-- util.sasl's PLAIN reports every failed check as not-authorized; the
-- profile function marks the handler when the reason was expiry, and the
-- wrapped process() turns that failure into credentials-expired.
-- mod_saslauth replaces the handler with clean_clone() after each failure,
-- so the clone is wrapped the same way.
local profile = {
	plain_test = function(sasl, username, password)
		local verdict = check_token(username, password);
		if verdict == "ok" then
			ensure_account(username);
			return true, true;
		end
		sasl.token_expired = verdict == "expired";
		module:log("info", "token login refused for %s@%s: %s", username, host, verdict);
		return false, nil;
	end;
};

local function new_handler()
	local handler = new_sasl(host, profile);
	local process = handler.process;
	function handler:process(message)
		local status, condition, text = process(self, message);
		if status == "failure" and self.token_expired then
			return "failure", "credentials-expired", "The token has expired; log in with a new one.";
		end
		return status, condition, text;
	end
	function handler:clean_clone()
		return new_handler();
	end
	return handler;
end

function provider.get_sasl_handler()
	return new_handler();
end

module:provides("auth", provider);
