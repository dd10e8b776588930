# Batch checking, JSON and SARIF reports (tests/cli/batch_check_test.py), one ctest per test
# function. The SARIF schema comes from the npm registry, fetched once by a fixture; its
# validation needs Debian's python3-jsonschema.
if(NOT DEFINED SKETCH_PYTHON)
  set(SKETCH_PYTHON /usr/bin/python3)
endif()
set(SKETCH_SARIF_DIR ${CMAKE_BINARY_DIR}/sarif-schema)
add_test(NAME setup.sarif_schema
         COMMAND ${PROJECT_SOURCE_DIR}/tests/cli/fetch_sarif_schema.sh ${SKETCH_SARIF_DIR})
set_tests_properties(setup.sarif_schema PROPERTIES FIXTURES_SETUP sarif_schema)

foreach(name parallel_matches_sequential same_as_one_file_at_a_time summary_line sarif_fields
             sarif_unicode_and_uri sarif_schema)
  add_test(NAME batch_check.${name}
           COMMAND ${SKETCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/cli/batch_check_test.py
                   $<TARGET_FILE:sketchc> ${PROJECT_SOURCE_DIR} ${name}
                   ${SKETCH_SARIF_DIR}/sarif-2.1.0.json)
endforeach()
set_tests_properties(batch_check.sarif_schema PROPERTIES FIXTURES_REQUIRED sarif_schema)
