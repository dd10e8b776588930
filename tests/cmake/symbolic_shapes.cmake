# Every symbolic shape that sketchc prints, evaluated as Python, equals concrete inference at
# many sizes (tests/ops/check_symbolic_shapes.py). The PATH python3 suffices (no torch).
add_test(NAME shapes.symbolic_expressions
         COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/ops/check_symbolic_shapes.py
                 $<TARGET_FILE:sketchc> ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/symbolic_shapes)
set_tests_properties(shapes.symbolic_expressions PROPERTIES LABELS shapes TIMEOUT 600)
