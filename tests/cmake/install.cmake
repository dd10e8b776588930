# Packaging (tests/cli/install_test.py): `cmake --install` into a temporary prefix and the
# installed tools at work; `cpack -G DEB` (label "package": it compresses the whole install,
# about 15 s).
if(NOT DEFINED SKETCH_PYTHON)
  set(SKETCH_PYTHON /usr/bin/python3)
endif()
foreach(name install deb)
  add_test(NAME package.${name}
           COMMAND ${SKETCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/cli/install_test.py ${CMAKE_COMMAND}
                   ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${name})
  set_tests_properties(package.${name} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
set_tests_properties(package.deb PROPERTIES LABELS package)
