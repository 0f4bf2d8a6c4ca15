// Assertions shared by the kubectl and fault tests: every number a `kubectl top` table prints is
// compared with the sim's ground truth.
#pragma once
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "top_output_parser.hpp"
#include "truth.hpp"

namespace kmetrics::e2e {

// A node row: CPU/memory vs truth, percentages vs allocatable. Column names checked by the caller.
// With `capacity`, percentages are checked against capacity (`--show-capacity`).
::testing::AssertionResult nodeRowMatches(const TopRow& row, const Truth& t, bool capacity = false);
// A pod row (NAMESPACE taken from the row or `ns`), summed over containers.
::testing::AssertionResult podRowMatches(const TopRow& row, const Truth& t, const std::string& ns);
// A --containers row: POD + NAME (the container).
::testing::AssertionResult containerRowMatches(const TopRow& row, const Truth& t, const std::string& ns);

// Names in table order (NAME column, or NAMESPACE/NAME when `with_ns`).
std::vector<std::string> rowNames(const TopTable& table, bool with_ns = false);
std::set<std::string> nameSet(const TopTable& table, bool with_ns = false);

}  // namespace kmetrics::e2e
