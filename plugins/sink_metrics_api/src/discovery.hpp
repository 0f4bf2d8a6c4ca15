// Discovery documents, byte-for-byte as metrics-server serves them (wire-formats.md §3.3), and the
// OpenAPI v2/v3 documents (title "Kubernetes metrics-server").
#pragma once

#include <string>

namespace kmetrics::metrics_api {

const std::string& apiResourceList();  // GET /apis/metrics.k8s.io/v1beta1
const std::string& apiGroup();         // GET /apis/metrics.k8s.io
const std::string& apiGroupList();     // GET /apis
const std::string& openApiV2();        // GET /openapi/v2
const std::string& openApiV3Index();   // GET /openapi/v3
const std::string& openApiV3Group();   // GET /openapi/v3/apis/metrics.k8s.io/v1beta1

}  // namespace kmetrics::metrics_api
