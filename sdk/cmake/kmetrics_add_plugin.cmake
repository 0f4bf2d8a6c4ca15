# kmetrics_add_plugin(<name> SOURCES a.cpp ... [LIBS x y])
# Builds lib kmetrics_<name>.so as a loadable plugin: hidden visibility (only the entry symbol is
# exported), linked against the SDK, installed next to the host's in-tree plugins.
function(kmetrics_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  set_target_properties(${name} PROPERTIES
    OUTPUT_NAME kmetrics_${name}
    PREFIX lib
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE kmetrics::sdk ${P_LIBS})
  # Refuse undefined symbols at link time rather than at load time in the host.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  include(GNUInstallDirs)
  install(TARGETS ${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/kmetrics/plugins)
endfunction()
