// Everything a plugin author needs: #include <kmetrics/sdk.hpp>
#pragma once

#include "kmetrics/sdk/component.hpp"
#include "kmetrics/sdk/config.hpp"
#include "kmetrics/sdk/host.hpp"
#include "kmetrics/sdk/plugin.hpp"
#include "kmetrics/sdk/samples.hpp"
