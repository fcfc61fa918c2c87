# liaison_library(NAME SOURCES ... DEPS ... TESTS ...)
# One folder is one library. DEPS lists exactly what it may use; the layering test
# (tests/check_layering.sh) checks the includes agree.
function(liaison_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  if(LIAISON_BUILD_TESTS AND ARG_TESTS)
    add_executable(${name}_test ${ARG_TESTS})
    target_link_libraries(${name}_test PRIVATE ${name} ${ARG_TEST_DEPS} GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "LIAISON_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
