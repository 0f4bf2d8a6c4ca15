#include "https_client.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <mutex>

namespace kmetrics::e2e {

HttpResponse httpsRequest(const std::string& host, int port, const std::string& method,
                          const std::string& path_and_query, const TlsIdentity& id,
                          const std::map<std::string, std::string>& headers,
                          std::chrono::seconds timeout) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  HttpResponse out;
  try {
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, id.key_file, id.cert_file, id.ca_file,
        id.ca_file.empty() ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_RELAXED);
    Poco::Net::HTTPSClientSession session(host, static_cast<Poco::UInt16>(port), ctx);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    Poco::Net::HTTPRequest req(method, path_and_query, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (method == "POST" || method == "PUT") req.setContentLength(0);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream& body = session.receiveResponse(resp);
    Poco::StreamCopier::copyToString(body, out.body);
    out.status = static_cast<int>(resp.getStatus());
    out.content_type = resp.getContentType();
  } catch (const Poco::Exception& e) {
    out.status = 0;
    out.body = e.displayText();
  } catch (const std::exception& e) {
    out.status = 0;
    out.body = e.what();
  }
  return out;
}

}  // namespace kmetrics::e2e
