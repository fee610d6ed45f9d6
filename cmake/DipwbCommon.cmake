# Options shared by every target of the project: language level, warnings and Qt's strictness switches.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

add_library(dipwb_options INTERFACE)
target_compile_features(dipwb_options INTERFACE cxx_std_20)
target_compile_definitions(dipwb_options INTERFACE
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_USE_QSTRINGBUILDER
  DIPWB_VERSION="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(dipwb_options INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
endif()

# dipwb_add_test(NAME SOURCES... [LIBS ...] [LABELS ...] [TIMEOUT s])
# One Qt Test executable per area; it runs headless and gets the location of the reference
# specification and the built programs through its environment.
function(dipwb_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE dipwb_options Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DIPWB_BIN_DIR=${CMAKE_BINARY_DIR}/app;DIPWB_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
