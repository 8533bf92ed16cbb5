# Helpers that give every target of the project the same warnings and include
# root, so that an area's CMakeLists.txt only lists its files and its deps.

set(SKYFLOW_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference)
# GCC 12 at -O3 reports "literal" + std::string&& in libstdc++ as a memcpy
# overlap (GCC bug 105329, a false positive); the check is off rather than
# the code bent around it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND SKYFLOW_WARNINGS -Wno-restrict)
endif()
if(SKYFLOW_WERROR)
  list(APPEND SKYFLOW_WARNINGS -Werror)
endif()

function(skyflow_target_defaults target)
  target_compile_options(${target} PRIVATE ${SKYFLOW_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

# skyflow_library(name SOURCES a.cc b.cc DEPS lib...)
function(skyflow_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  skyflow_target_defaults(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# Test code (test files, the integration harness): whatever the build type,
# it is compiled without optimisation, which halves its compile time; the
# build type is for the code under test, the libraries and binaries. Nor is
# it compiled in unity batches (CMAKE_UNITY_BUILD, the sanitizer presets):
# each test file keeps its own kToken, fixtures and helpers.
function(skyflow_test_code_defaults target)
  skyflow_target_defaults(${target})
  target_compile_options(${target} PRIVATE -O0)
  set_target_properties(${target} PROPERTIES UNITY_BUILD OFF)
endfunction()

# skyflow_test(name SOURCES a_test.cc DEPS lib... [LABELS unit|integration])
function(skyflow_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  skyflow_test_code_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
