#include <iostream>

#include "app/housekeeping.h"
#include "app/outbox_worker.h"
#include "app/register_linker.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "common/log.h"
#include "http/api.h"
#include "http/server.h"
#include "recognition/engine.h"

namespace liaison::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string web_root = "web";
  std::string outbox_dir;
  std::string tls_cert;
  std::string tls_key;
  bool behind_tls_proxy = false;
  int threads = 2;
  int break_glass_minutes = 240;
  int purge_interval_seconds = 300;
  std::string rules_data;
};

int Serve(const DatabaseOptions& db, const ServeOptions& options) {
  Result<std::pair<std::string, std::uint16_t>> address = http::ParseListenAddress(options.listen);
  if (!address.ok()) {
    std::cerr << "error: " << address.status().message() << " (--listen)\n";
    return kExitUsage;
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    std::cerr << "error: --tls-cert and --tls-key go together: give both or neither ("
              << (options.tls_cert.empty() ? "--tls-cert" : "--tls-key") << ")\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  Context& c = **context;

  http::ApiOptions api_options;
  api_options.web_root = options.web_root;
  // Clients reach us over HTTPS at a proxy that speaks plain HTTP to us: cookies must still be
  // Secure and responses carry HSTS.
  if (options.behind_tls_proxy) api_options.transport = http::Transport::kTls;
  if (options.break_glass_minutes < 5 || options.break_glass_minutes > 24 * 60) {
    std::cerr << "error: break-glass access lasts 5 to 1440 minutes (--break-glass-minutes)\n";
    return kExitUsage;
  }
  if (options.purge_interval_seconds < 1 || options.purge_interval_seconds > 24 * 3600) {
    std::cerr << "error: the purge interval is 1 to 86400 seconds (--purge-interval)\n";
    return kExitUsage;
  }
  api_options.break_glass.duration = std::chrono::minutes(options.break_glass_minutes);
  if (!options.rules_data.empty()) {
    Result<std::unique_ptr<recognition::Engine>> engine =
        recognition::Engine::Load(options.rules_data);
    if (!engine.ok()) return Fail(engine.status());
    api_options.engine = std::move(*engine);
  }
  // The register's matcher with the linker, its index built from the register now.
  Result<std::shared_ptr<const app::RegisterMatcher>> matcher =
      app::MakeLinkingRegisterMatcher(*c.store);
  if (!matcher.ok()) return Fail(matcher.status());
  api_options.register_matcher = *std::move(matcher);
  http::Api api(*c.store, *c.audit, c.clock, api_options);
  http::ServerOptions server_options;
  server_options.host = address->first;
  server_options.port = address->second;
  server_options.threads = std::max(1, options.threads);
  // The server marks requests that came over TLS, and the API then sets Secure cookies and
  // HSTS; ApiOptions::transport stays for TLS ended at a proxy in front.
  if (!options.tls_cert.empty()) {
    server_options.tls = http::TlsOptions{options.tls_cert, options.tls_key};
  }
  http::Server server(server_options, {[&api](const http::Request& r) { return api.Handle(r); },
                                       [&api](const http::Request& r) { return api.RouteFor(r); }});
  Result<std::string> where = server.Listen();
  if (!where.ok()) return Fail(where.status());

  std::string spool =
      options.outbox_dir.empty() ? app::DefaultAnchorPath(db.url) + ".outbox" : options.outbox_dir;
  std::unique_ptr<app::Deliverer> deliverer = app::NewSpoolDirectoryDeliverer(spool);
  app::OutboxWorker worker(*c.store, *deliverer, c.clock, {});
  worker.Start();
  // Purges expired sessions, ended tokens, reviewed grants and stale throttle rows.
  app::HousekeepingOptions housekeeping_options;
  housekeeping_options.sessions = api_options.sessions;
  housekeeping_options.interval = std::chrono::seconds(options.purge_interval_seconds);
  app::Housekeeping housekeeping(*c.store, *c.audit, c.clock, housekeeping_options);
  housekeeping.Start();

  std::cout << "listening on " << (server_options.tls ? "https://" : "http://") << *where
            << std::endl;
  server.Run();
  housekeeping.Stop();
  worker.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<DatabaseOptions>();
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = root.add_subcommand("serve", "serve the web application and API");
  AddDatabaseOptions(*serve, *db);
  serve->add_option("--listen", options->listen, "HOST:PORT; port 0 picks a free port");
  serve->add_option("--web-root", options->web_root, "folder with templates/ and assets");
  serve->add_option("--outbox-dir", options->outbox_dir, "where notifications are spooled");
  serve->add_option("--threads", options->threads, "network threads");
  serve->add_option("--rules-data", options->rules_data,
                    "a recognition concept-set directory replacing the shipped one");
  serve->add_option("--tls-cert", options->tls_cert,
                    "PEM certificate chain: serve HTTPS only (needs --tls-key)");
  serve->add_option("--tls-key", options->tls_key, "PEM private key, unencrypted");
  serve->add_flag("--behind-tls-proxy", options->behind_tls_proxy,
                  "clients connect over HTTPS to a proxy in front: Secure cookies and HSTS");
  serve->add_option("--break-glass-minutes", options->break_glass_minutes,
                    "how long break-glass access lasts (default 240)");
  serve->add_option("--purge-interval", options->purge_interval_seconds,
                    "seconds between purges of expired sessions, tokens and grants (default 300)");
  serve->add_flag("--relaxed-durability", db->relaxed_durability,
                  "SQLite synchronous=NORMAL: survives a crash, not a power loss");
  // `serve --config FILE` is read by the root command (CLI11 reads config files there only):
  // unknown options of serve fall through to it.
  serve->fallthrough();
  serve->callback([db, options, &exit_code] { exit_code = Serve(*db, *options); });
}

}  // namespace liaison::cli
