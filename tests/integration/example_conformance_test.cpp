// The conformance suite on the SDK example, both ways: the C++ classes linked into this test, and
// the in-tree built libkmetrics_example_hello.so through the host's loader.
#include "kmetrics/testing/conformance_loaded.hpp"

#include "hello_source.hpp"
#include "json_lines_sink.hpp"

// The sink's started instances need a file to append to.
#define JSON_LINES_OPTIONS {.start_config = R"({"path": "${TMPDIR}/batches.jsonl"})"}

KMETRICS_CONFORMANCE_LINKED(HelloLinked, example::HelloSource, "example_hello");
KMETRICS_CONFORMANCE_LINKED(JsonLinesLinked, example::JsonLinesSink, "example_json_lines",
                            JSON_LINES_OPTIONS);
KMETRICS_CONFORMANCE_LOADED(HelloLoaded, KMETRICS_EXAMPLE_PLUGIN, "example_hello");
KMETRICS_CONFORMANCE_LOADED(JsonLinesLoaded, KMETRICS_EXAMPLE_PLUGIN, "example_json_lines",
                            JSON_LINES_OPTIONS);
