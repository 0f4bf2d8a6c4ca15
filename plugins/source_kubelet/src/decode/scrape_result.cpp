#include "scrape_result.hpp"

#include "decode_status.hpp"

namespace kmetrics::kubelet {

const char* drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::kNodeIncomplete: return "node_incomplete";
    case DropReason::kContainerIncomplete: return "container_incomplete";
    case DropReason::kNonFiniteValue: return "non_finite_value";
    case DropReason::kNegativeValue: return "negative_value";
    case DropReason::kOutOfRange: return "out_of_range";
    case DropReason::kDuplicateSeries: return "duplicate_series";
    case DropReason::kMissingLabel: return "missing_label";
    case DropReason::kNegativeTimestamp: return "negative_timestamp";
    case DropReason::kCount: break;
  }
  return "unknown";
}

const char* decode_code_name(DecodeCode c) {
  switch (c) {
    case DecodeCode::kOk: return "ok";
    case DecodeCode::kMalformed: return "malformed";
    case DecodeCode::kNegativeTimestamp: return "negative_timestamp";
    case DecodeCode::kWrongType: return "wrong_type";
    case DecodeCode::kInvalidUtf8: return "invalid_utf8";
  }
  return "unknown";
}

}  // namespace kmetrics::kubelet
