// The library's entry point: one source and one push sink.
#include <kmetrics/sdk.hpp>

#include "hello_source.hpp"
#include "json_lines_sink.hpp"

KMETRICS_PLUGIN("example_hello", "0.1.0",
                kmetrics::sdk::sourceComponent<example::HelloSource>(
                    {"example_hello", "0.1.0", "alpha", "Reports a constant usage for every node."}),
                kmetrics::sdk::pushSinkComponent<example::JsonLinesSink>(
                    {"example_json_lines", "0.1.0", "alpha", "Appends every batch to a file as JSON lines."}));
